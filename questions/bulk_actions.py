"""Bulk status changes for the question bank in the Wagtail admin (题库 list: select, then
审核通过 / 启用 / 停用 / 退回待审核).

Every selected question is checked first (permission, allowed status change, a valid key). The
confirmation page lists the questions that cannot change, each with its reason; only the others
change, in one transaction, through ``services.question_transition``.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction

from .models import STATUS_TRANSITIONS, Question, QuestionStatus
from .services import question_transition, validate_question_key


def transition_problem(question: Question, to_status: str, user) -> str | None:
    """Why `question` cannot move to `to_status` for `user`, or None when it can."""
    target = QuestionStatus(to_status)
    if not user.has_perm("questions.review_question"):
        return gettext("您没有审核题目的权限。")
    if question.parent_id:
        return gettext("案例分析题的小题随所属案例题一起变化。")
    if question.status == target:
        return gettext("已经是“%(s)s”。") % {"s": target.label}
    if target not in STATUS_TRANSITIONS[QuestionStatus(question.status)]:
        return gettext("不能从“%(a)s”直接改为“%(b)s”。") % {
            "a": QuestionStatus(question.status).label,
            "b": target.label,
        }
    if target in (QuestionStatus.REVIEWED, QuestionStatus.ACTIVE):
        try:
            validate_question_key(question)
        except ValidationError as exc:
            return "；".join(exc.messages)
    return None


class QuestionStatusBulkAction(SnippetBulkAction):
    models = [Question]
    template_name = "questions/admin/bulk_status.html"
    to_status: str = ""
    action_priority = 20

    def check_perm(self, question):
        return transition_problem(question, self.to_status, self.request.user) is None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["blocked"] = [
            (question, transition_problem(question, self.to_status, self.request.user))
            for question in context.get("items_with_no_access", [])
        ]
        context["to_label"] = QuestionStatus(self.to_status).label
        return context

    def get_execution_context(self):
        return {**super().get_execution_context(), "user": self.request.user}

    @classmethod
    def execute_action(cls, objects, user=None, **kwargs):
        # Each question was checked on the confirmation page; should one still fail (changed
        # meanwhile), the error propagates and Wagtail's surrounding transaction rolls back all.
        for question in objects:
            question_transition(question, cls.to_status, by=user)
        return len(objects), 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext(
            "%(n)d 道题已改为“%(s)s”。", "%(n)d 道题已改为“%(s)s”。", num_parent_objects
        ) % {"n": num_parent_objects, "s": QuestionStatus(self.to_status).label}


class MarkReviewedBulkAction(QuestionStatusBulkAction):
    display_name = _("审核通过")
    action_type = "question_reviewed"
    aria_label = _("将选中的题目标为已审核")
    to_status = QuestionStatus.REVIEWED


class ActivateBulkAction(QuestionStatusBulkAction):
    display_name = _("启用")
    action_type = "question_active"
    aria_label = _("启用选中的题目")
    to_status = QuestionStatus.ACTIVE


class RetireBulkAction(QuestionStatusBulkAction):
    display_name = _("停用")
    action_type = "question_retired"
    aria_label = _("停用选中的题目")
    to_status = QuestionStatus.RETIRED


BULK_ACTIONS = (MarkReviewedBulkAction, ActivateBulkAction, RetireBulkAction)
