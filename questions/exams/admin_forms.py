"""The exam form of the Wagtail admin: blueprint filters chosen from what the bank holds, and
no exam published (or saved while published) whose paper the bank cannot fill."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext

from wagtail.admin.forms import WagtailAdminModelForm

from questions.engine.errors import BlueprintError
from questions.engine.generate import (
    Blueprint,
    Section,
    check_blueprint,
    derive_seed,
    fixed_paper,
    generate_paper,
)

from . import bank
from .models import ExamKind, PaperMode


class SectionChoiceWidget(forms.Select):
    """A drop-down of the laws, chapters or knowledge points that active bank questions hold,
    each with the number of active questions per type. The choices are read when the form is
    rendered (the bank changes), and a value saved before that the bank no longer holds stays
    selectable, marked as such."""

    def __init__(self, field: str, attrs=None):
        self.field = field
        super().__init__(attrs={"data-exam-section-filter": field, **(attrs or {})})

    def optgroups(self, name, value, attrs=None):
        self.choices = section_filter_choices(self.field, value[0] if value else "")
        return super().optgroups(name, value, attrs)


def _count_label(text: str, counts: dict[str, int]) -> str:
    parts = [f"{bank.QTYPE_LABELS[t]} {counts[t]}" for t in bank.QTYPE_LABELS if counts.get(t)]
    return f"{text}（{gettext('可用')} {' · '.join(parts)}）"


def section_filter_choices(field: str, current: str = "") -> list:
    counts = bank.filter_counts()
    choices: list = [("", gettext("不限"))]
    if field == "chapter":
        known = set()
        for law, chapters in counts.chapters_by_law():
            group = []
            for chapter in chapters:
                known.add(chapter)
                group.append((chapter, _count_label(chapter, counts.chapter[(law, chapter)])))
            choices.append((f"《{law}》" if law else gettext("未关联法规"), group))
    else:
        values = counts.law if field == "law" else counts.knowledge_point
        known = set(values)
        label = (lambda v: f"《{v}》") if field == "law" else (lambda v: v)
        choices += [(v, _count_label(label(v), values[v])) for v in sorted(values)]
    if current and current.strip("《》") not in known and current not in known:
        choices.append((current, f"{current}（{gettext('题库中已没有可用题')}）"))
    return choices


class ExamAdminForm(WagtailAdminModelForm):
    """Publishing, or saving a published exam, first draws a sample paper from the bank: a
    section the bank cannot fill is refused with that section's message, so no officer ever
    meets "试卷生成失败" on exam day."""

    def is_valid(self):
        if not super().is_valid():
            return False
        if not self.cleaned_data.get("published"):
            return True
        return self._paper_can_be_drawn()

    def _live_rows(self, name):
        formset = self.formsets.get(name)
        if formset is None:
            return []
        return [
            f for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE", False)
        ]

    def _paper_can_be_drawn(self) -> bool:
        mode = self.cleaned_data.get("paper_mode")
        kind = self.cleaned_data.get("kind") or ExamKind.MONTHLY
        if mode == PaperMode.FIXED:
            return self._fixed_paper_ok()
        rows = sorted(self._live_rows("sections"), key=lambda f: f.cleaned_data.get("ORDER") or 0)
        if not rows:
            self.add_error(None, gettext("无法发布：组卷规则中没有任何部分。"))
            return False
        blueprint = Blueprint(
            tuple(
                Section(
                    qtype=f.cleaned_data["qtype"],
                    count=f.cleaned_data["count"],
                    points_each=f.cleaned_data["points_each"],
                    label=f.cleaned_data.get("label", ""),
                    law=bank.normalise_law(f.cleaned_data.get("law", "")),
                    chapter=f.cleaned_data.get("chapter", ""),
                    knowledge_point=f.cleaned_data.get("knowledge_point", ""),
                    difficulty_min=f.cleaned_data.get("difficulty_min") or 1,
                    difficulty_max=f.cleaned_data.get("difficulty_max") or 5,
                    **bank.compilation_scope(f.cleaned_data.get("compilation")),
                )
                for f in rows
            )
        )
        pool = bank.pool_for_kind(kind, fresh=True)
        problems = check_blueprint(blueprint, pool)
        if not problems:
            try:  # the sample paper itself, drawn as an officer's would be
                generate_paper(blueprint, pool, seed=derive_seed("admin-check"))
            except BlueprintError as exc:
                problems = [exc]
        for problem in problems:
            message = gettext("无法发布：%(reason)s。") % {"reason": problem}
            self.add_error(None, message)
            if problem.section_index is not None:
                rows[problem.section_index].add_error("count", str(problem))
        return not problems

    def _fixed_paper_ok(self) -> bool:
        rows = self._live_rows("fixed_questions")
        if not rows:
            self.add_error(None, gettext("无法发布：固定试卷中还没有题目。"))
            return False
        ids = [f.cleaned_data["question"].pk for f in rows if f.cleaned_data.get("question")]
        pool = bank.pool_for_ids(ids)
        bad = [qid for qid in ids if qid not in pool or not pool[qid].active]
        if bad:
            self.add_error(
                None,
                gettext("无法发布：固定试卷中有 %(n)d 道题目未启用或已删除：%(ids)s")
                % {"n": len(bad), "ids": ", ".join(map(str, bad))},
            )
            return False
        try:
            fixed_paper(
                [(pool[f.cleaned_data["question"].pk], f.cleaned_data["points"]) for f in rows]
            )
        except BlueprintError as exc:
            self.add_error(None, gettext("无法发布：%(reason)s。") % {"reason": exc})
            return False
        return True
