"""Exams in the Wagtail admin (legal staff): create, set the paper, allowances; links to the
preview, print, regrade, results and item-analysis pages."""

from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    HelpPanel,
    InlinePanel,
    MultiFieldPanel,
)
from wagtail.admin.ui.tables import Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .admin_forms import ExamAdminForm, SectionChoiceWidget
from .models import Exam, ExamSection

Exam.base_form_class = ExamAdminForm

ExamSection.panels = [
    FieldRowPanel([FieldPanel("label"), FieldPanel("qtype")]),
    FieldRowPanel([FieldPanel("count"), FieldPanel("points_each")]),
    FieldPanel("law", widget=SectionChoiceWidget("law")),
    FieldPanel("chapter", widget=SectionChoiceWidget("chapter")),
    FieldPanel("knowledge_point", widget=SectionChoiceWidget("knowledge_point")),
    FieldPanel("compilation"),
    FieldRowPanel([FieldPanel("difficulty_min"), FieldPanel("difficulty_max")]),
]

Exam.panels = [
    MultiFieldPanel(
        [
            FieldPanel("title"),
            FieldPanel("kind"),
            FieldPanel("description"),
            FieldPanel("published"),
        ],
        heading=_("基本信息"),
        help_text=_(
            "发布或保存已发布的考试时，系统按组卷规则试抽一份样卷；题库不够的部分会被指出，考试不会发布。"
        ),
    ),
    MultiFieldPanel(
        [
            FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]),
            FieldRowPanel(
                [
                    FieldPanel("time_limit_minutes"),
                    FieldPanel("start_delay_max_seconds"),
                    FieldPanel("attempts_allowed"),
                    FieldPanel("leave_limit"),
                ]
            ),
        ],
        heading=_("时间与次数"),
    ),
    MultiFieldPanel(
        [
            FieldRowPanel(
                [
                    FieldPanel("pass_mark"),
                    FieldPanel("excellence_mark"),
                    FieldPanel("multiple_partial_share"),
                ]
            ),
            FieldRowPanel([FieldPanel("score_visibility"), FieldPanel("score_visible_from")]),
            FieldRowPanel([FieldPanel("answers_visibility"), FieldPanel("answers_visible_from")]),
        ],
        heading=_("评分与公布"),
    ),
    MultiFieldPanel(
        [
            FieldPanel("paper_mode"),
            FieldRowPanel(
                [FieldPanel("shuffle_questions"), FieldPanel("shuffle_options"), FieldPanel("seed")]
            ),
        ],
        heading=_("试卷"),
    ),
    InlinePanel("sections", heading=_("组卷规则（随机抽题）"), label=_("部分")),
    InlinePanel("fixed_questions", heading=_("固定试卷题目"), label=_("题目")),
    MultiFieldPanel(
        [
            FieldPanel("eligible_units"),
            FieldPanel("eligible_officers"),
            HelpPanel(
                template="exams/admin/eligible_count.html",
            ),
        ],
        heading=_("参考人员（都不选则全体民警）"),
    ),
    InlinePanel("allowances", heading=_("个别安排（延时、补考）"), label=_("安排")),
]


def _links_cell(exam):
    return format_html_join(" · ", '<a href="{1}">{0}</a>', exam.admin_links())


class ExamViewSet(SnippetViewSet):
    model = Exam
    icon = "tasks"
    menu_label = _("考试")
    menu_order = 310
    add_to_admin_menu = True
    list_display = [
        "title",
        "kind",
        "opens_at",
        Column("state", label=_("状态"), accessor="state_label"),
        Column("links", label=_("操作"), accessor=_links_cell),
    ]
    list_filter = ["kind", "published"]
    search_fields = ["title"]


register_snippet(ExamViewSet)


@hooks.register("register_admin_menu_item")
def register_results_menu_item():
    return MenuItem(_("考试统计"), reverse("exams:results"), icon_name="table", order=311)


def _todo_items(request):
    """Exams whose scores are stale: a question's key changed after officers had answered it."""
    from core.admin_todo import TodoItem

    from . import selectors

    if not selectors.can_manage(request.user):
        return
    stale = list(Exam.objects.filter(needs_regrade=True).values_list("pk", flat=True))
    if not stale:
        return
    url = (
        reverse("exams:regrade", args=[stale[0]])
        if len(stale) == 1
        else reverse("wagtailsnippets_exams_exam:list")
    )
    yield TodoItem(_("考试 · 答案已修改、待重新评分的考试"), len(stale), url, urgent=True)


def _register_todo():
    from core.admin_todo import register_todo

    register_todo("exams", order=25, items=_todo_items)


_register_todo()
