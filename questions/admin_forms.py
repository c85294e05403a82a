"""Forms of the bank in the Wagtail admin: the question form (status workflow checked on the
server, cited articles typed as citations and resolved against the library, key-change history)
and the import upload form."""

from __future__ import annotations

from crispy_forms.helper import FormHelper

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms import WagtailAdminModelForm

from core.import_limits import with_limits

from .bankfile import _ARTICLE_SPLIT, normalise_answer
from .models import STATUS_TRANSITIONS, Question, QuestionStatus, QuestionType
from .services import (
    question_record_key_change,
    question_refresh_fingerprint,
    question_renumber_options,
    validate_question_key,
)


class QuestionAdminForm(WagtailAdminModelForm):
    citations = forms.CharField(
        label=_("考查法条"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("每行一条，如《中华人民共和国刑事诉讼法》第八十二条；保存时与法规库核对。"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = self.instance
        self._old_answer = instance.answer if instance.pk else ""
        self._old_status = instance.status if instance.pk else QuestionStatus.DRAFT
        if instance.pk:
            self.fields["citations"].initial = "\n".join(
                a.citation for a in instance.cited_articles.select_related("law")
            )
        if "status" in self.fields:
            allowed = {self._old_status, *STATUS_TRANSITIONS[QuestionStatus(self._old_status)]}
            if self.for_user is not None and not self.for_user.has_perm(
                "questions.review_question"
            ):
                allowed = {s for s in allowed if s == QuestionStatus.DRAFT or s == self._old_status}
            self.fields["status"].choices = [c for c in QuestionStatus.choices if c[0] in allowed]
        if "parent" in self.fields:
            self.fields["parent"].queryset = Question.objects.filter(
                qtype=QuestionType.CASE, parent__isnull=True
            )
            self.fields["parent"].required = False

    def clean_citations(self):
        from laws.references import resolve_reference

        text = self.cleaned_data.get("citations", "")
        pinned = {}
        if self.instance.pk:
            pinned = {a.key: a for a in self.instance.cited_articles.all()}
        articles, unknown = [], []
        for line in [p.strip() for p in _ARTICLE_SPLIT.split(text) if p.strip()]:
            article = resolve_reference(line)
            if article is None:
                unknown.append(line)
                continue
            # An unchanged citation keeps the version it was pinned to when written.
            articles.append(pinned.get(article.key, article))
        if unknown:
            raise ValidationError(
                gettext("法规库中找不到：%(refs)s") % {"refs": "；".join(unknown)}
            )
        return articles

    def clean(self):
        cleaned = super().clean()
        qtype = cleaned.get("qtype")
        if qtype:
            cleaned["answer"] = normalise_answer(qtype, cleaned.get("answer", ""))
            self.instance.answer = cleaned["answer"]
        status = cleaned.get("status")
        if status and status != self._old_status:
            if status not in STATUS_TRANSITIONS[QuestionStatus(self._old_status)]:
                self.add_error(
                    "status",
                    gettext("不能从“%(a)s”直接改为“%(b)s”。")
                    % {
                        "a": QuestionStatus(self._old_status).label,
                        "b": QuestionStatus(status).label,
                    },
                )
            elif (
                status != QuestionStatus.DRAFT
                and self.for_user is not None
                and not self.for_user.has_perm("questions.review_question")
            ):
                self.add_error("status", gettext("您没有审核题目的权限。"))
        parent = cleaned.get("parent")
        if parent is not None and qtype not in (QuestionType.SINGLE, QuestionType.MULTIPLE):
            self.add_error("qtype", gettext("案例分析题的小题只能是单选或多选。"))
        if qtype == QuestionType.CASE and cleaned.get("answer"):
            self.add_error("answer", gettext("案例分析题的答案由各小题给出，请留空。"))
        self._check_options_and_key(cleaned)
        return cleaned

    def _check_options_and_key(self, cleaned):
        qtype = cleaned.get("qtype")
        formset = self.formsets.get("options")
        if formset is None or not qtype:
            return
        # ClusterForm validates the formsets after this clean(): validate them now to count.
        if not formset.is_valid():
            return
        count = 0
        for option_form in formset.forms:
            data = getattr(option_form, "cleaned_data", None) or {}
            if data.get("text") and not data.get("DELETE"):
                count += 1
        answer = cleaned.get("answer", "")
        if qtype in (QuestionType.SINGLE, QuestionType.MULTIPLE):
            if not 2 <= count <= 8:
                self.add_error(
                    None, gettext("选择题需要 2 至 8 个选项，现有 %(n)d 个。") % {"n": count}
                )
                return
            letters = "ABCDEFGH"[:count]
            if answer and any(letter not in letters for letter in answer):
                self.add_error(
                    "answer",
                    gettext("答案 %(a)s 不在选项 A–%(z)s 中。") % {"a": answer, "z": letters[-1]},
                )
            if qtype == QuestionType.SINGLE and len(answer) > 1:
                self.add_error("answer", gettext("单选题只能有一个答案。"))
        elif count:
            self.add_error(None, gettext("判断题和案例分析题不填选项。"))
        if qtype == QuestionType.TRUE_FALSE and answer and answer not in ("T", "F"):
            self.add_error("answer", gettext("判断题答案填 T（正确）或 F（错误）。"))
        status = cleaned.get("status")
        if (
            status in (QuestionStatus.REVIEWED, QuestionStatus.ACTIVE)
            and qtype != QuestionType.CASE
            and not answer
        ):
            self.add_error("answer", gettext("审核或启用前必须填写答案。"))

    @transaction.atomic
    def save(self, commit=True):
        question = super().save(commit=commit)
        if not commit:
            return question
        question.cited_articles.set(self.cleaned_data.get("citations", []))
        question_renumber_options(question)
        question = Question.objects.get(pk=question.pk)
        if question.status != self._old_status:
            question.status_changed_at = question.updated_at
            if question.status in (QuestionStatus.REVIEWED, QuestionStatus.ACTIVE):
                validate_question_key(question)
                question.review_reason = ""
            Question.objects.filter(pk=question.pk).update(
                status_changed_at=question.updated_at, review_reason=question.review_reason
            )
            Question.objects.filter(parent=question).update(status=question.status)
        if question.parent_id:
            Question.objects.filter(pk=question.pk).update(status=question.parent.status)
        if self._old_answer or question.answer:
            if self.instance.pk and self._old_answer != question.answer and self._old_answer:
                question_record_key_change(question, self._old_answer, by=self.for_user)
        question_refresh_fingerprint(question)
        self.instance.duplicate_of = question.duplicate_of
        return question


class ImportForm(forms.Form):
    files = forms.FileField(
        label=_("题目文件"),
        help_text=with_limits(
            _(
                "本系统导入模板（.xlsx）、同列的 CSV，或 input,output,A,B,C,D,source,multichoice 格式的 CSV。"
            )
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
    status = forms.ChoiceField(
        label=_("导入后状态"),
        choices=[
            (QuestionStatus.DRAFT, QuestionStatus.DRAFT.label),
            (QuestionStatus.ACTIVE, QuestionStatus.ACTIVE.label),
        ],
        initial=QuestionStatus.DRAFT,
    )
    dry_run = forms.BooleanField(label=_("只检查，不导入"), required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
