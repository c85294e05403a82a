"""What the evaluation app contributes elsewhere: record sections, a home panel for unit leaders
and officers with open work, the admin to-do list, and study weights for daily practice."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def register() -> None:
    from accounts.records import (
        register_record_section,
        register_timeline,
        register_unit_section,
    )
    from core.admin_todo import register_todo
    from home.panels import register_home_panel
    from questions.selectors import register_weak_articles

    register_record_section(
        "evaluation_cases",
        title=_("办理案件与考评"),
        order=15,
        template="evaluation/record_cases.html",
        context=record_cases_context,
    )
    register_record_section(
        "faults",
        title=_("执法过错责任追究与奖励表彰"),
        order=60,
        template="evaluation/record_faults.html",
        context=record_faults_context,
    )
    register_home_panel(
        "evaluation",
        title=_("执法质量考评"),
        order=25,
        template="evaluation/home_panel.html",
        context=home_panel_context,
    )
    register_todo("evaluation", order=40, items=todo_items)
    register_weak_articles("evaluation", misapplied_for_practice)
    register_timeline("evaluation", timeline_events)
    register_unit_section(
        "evaluation",
        title=_("执法质量考评"),
        order=30,
        template="evaluation/unit_section.html",
        context=unit_section_context,
    )


def unit_section_context(units, viewer) -> dict | None:
    """Grades of the units' evaluated cases, open and overdue rectifications, the articles they
    misapply, and each unit's rank in every periodic evaluation (oldest first)."""
    from django.db.models import Count

    from . import selectors
    from .models import Evaluation, Grade, Period, Rectification

    units = list(units)
    if not units:
        return None
    grades = dict(
        Evaluation.objects.filter(case__unit__in=units).values_list("grade").annotate(n=Count("pk"))
    )
    periods = list(Period.objects.order_by("end", "pk")[:24])
    history = []
    for unit in sorted(units, key=lambda u: u.path):
        ranks = []
        for period in periods:
            row = next((r for r in period.units if r["code"] == unit.code), None)
            ranks.append(row["rank"] if row else None)
        if any(r is not None for r in ranks):
            history.append({"unit": unit, "ranks": ranks})
    return {
        "grades": [(label, grades.get(value, 0)) for value, label in Grade.choices],
        "overdue": selectors.overdue_rectifications(units=units).count(),
        "open": Rectification.objects.filter(
            unit__in=units, status__in=selectors.OPEN_STATES
        ).count(),
        "periods": periods,
        "history": history,
        "misapplied": selectors.misapplied_article_counts(units=units, limit=10),
    }


def timeline_events(officer, viewer) -> list:
    """Evaluated cases, fault-liability findings (for those who may see them) and awards."""
    from accounts.records import TimelineEvent

    from . import selectors
    from .models import Award, FaultFinding

    events = []
    for case in selectors.officer_cases(officer).filter(evaluation__isnull=False)[:100]:
        ev = case.evaluation
        events.append(
            TimelineEvent(
                ev.evaluated_on,
                str(_("案件考评")),
                f"{case.case_number} {case.cause} · {ev.score} · {ev.get_grade_display()}",
                reverse("evaluation:case_detail", args=[case.pk]),
            )
        )
    may_see_faults = selectors.fault_findings_allowed(officer=officer, viewer=viewer)
    if may_see_faults:
        for f in FaultFinding.objects.filter(officer=officer)[:50]:
            events.append(
                TimelineEvent(
                    f.decided_on, str(_("执法过错责任追究")), f"{f.finding}：{f.decision}"
                )
            )
    for a in Award.objects.filter(officer=officer)[:50]:
        events.append(TimelineEvent(a.awarded_on, str(_("奖励表彰")), a.title))
    return events


def record_cases_context(officer, viewer) -> dict:
    from . import selectors

    cases = list(selectors.officer_cases(officer)[:50])
    grades: dict[str, int] = {}
    for case in cases:
        evaluation = getattr(case, "evaluation", None)
        if evaluation is not None:
            grades[evaluation.get_grade_display()] = (
                grades.get(evaluation.get_grade_display(), 0) + 1
            )
    return {
        "cases": cases,
        "grades": sorted(grades.items()),
        "misapplied": selectors.misapplied_article_counts(officer=officer, limit=10),
    }


def record_faults_context(officer, viewer) -> dict | None:
    from . import selectors
    from .models import Award

    findings = selectors.fault_findings_for(officer=officer, viewer=viewer, path="record")
    return {
        "findings": findings,  # None: this viewer may not see them
        "awards": list(Award.objects.filter(officer=officer)[:50]),
    }


def home_panel_context(request) -> dict | None:
    user = request.user
    if not getattr(user, "is_authenticated", False):
        return None
    from accounts.roles import is_legal_staff, is_unit_leader
    from accounts.selectors import units_visible_to

    from . import selectors

    if is_legal_staff(user) or is_unit_leader(user):
        units = units_visible_to(user)
        overdue = selectors.overdue_rectifications(units=units)
        open_items = selectors.rectifications_for_unit_leader(user).filter(
            status__in=selectors.OPEN_STATES
        )
        return {
            "overdue": list(overdue[:5]),
            "overdue_count": overdue.count(),
            "open_count": open_items.count(),
            "url": reverse("evaluation:home"),
        }
    cases = selectors.officer_cases(user).filter(evaluation__isnull=False)
    if not cases.exists():
        return None
    return {"recent": list(cases[:3]), "url": reverse("evaluation:home")}


def todo_items(request):
    from accounts.roles import is_legal_staff
    from core.admin_todo import TodoItem

    from . import selectors
    from .models import EvaluatedCase, Rectification, RectificationStatus

    if not is_legal_staff(request.user):
        return
    base = reverse("evaluation:home")
    yield TodoItem(
        _("超期未整改"),
        selectors.overdue_rectifications(today=timezone.localdate()).count(),
        base,
        urgent=True,
    )
    yield TodoItem(
        _("整改待验收"),
        Rectification.objects.filter(status=RectificationStatus.ANSWERED).count(),
        base,
    )
    yield TodoItem(
        _("待考评案件"),
        EvaluatedCase.objects.filter(evaluation__isnull=True).count(),
        reverse("evaluation:case_list") + "?grade=pending",
    )


def misapplied_for_practice(user) -> list[int]:
    """Every version's row of the articles the officer's evaluated cases misapplied, so that
    questions citing any version of the article count."""
    from django.db.models import Q

    from laws.models import Article

    from . import selectors

    rows = selectors.misapplied_article_counts(officer=user)
    if not rows:
        return []
    condition = Q()
    for row in rows:
        a = row["article"]
        condition |= Q(law_id=a.law_id, number=a.number, suffix=a.suffix)
    return list(Article.objects.filter(condition).values_list("pk", flat=True))
