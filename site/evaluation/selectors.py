"""Reads of the evaluation data, scoped to who is asking."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from accounts.roles import is_legal_staff, is_unit_leader
from accounts.selectors import can_view_officer, units_visible_to

from .models import (
    EvaluatedCase,
    FaultFinding,
    FaultView,
    Finding,
    Rectification,
    RectificationStatus,
)

OPEN_STATES = (RectificationStatus.OPEN, RectificationStatus.RETURNED)


def cases_visible_to(user) -> QuerySet[EvaluatedCase]:
    """Legal staff: every case; a unit leader: the cases of their unit and below; an officer:
    the cases they handled (as lead or assistant)."""
    qs = EvaluatedCase.objects.select_related("unit", "lead_officer", "evaluation")
    if is_legal_staff(user):
        return qs
    if is_unit_leader(user) and user.unit_id:
        return qs.filter(unit__path__startswith=user.unit.path)
    return qs.filter(Q(lead_officer=user) | Q(assisting_officers=user)).distinct()


def rectifications_for_unit_leader(user) -> QuerySet[Rectification]:
    units = units_visible_to(user)
    return Rectification.objects.filter(unit__in=units).select_related(
        "evaluation__case", "unit", "finding"
    )


def overdue_rectifications(*, units=None, today=None) -> QuerySet[Rectification]:
    today = today or timezone.localdate()
    qs = Rectification.objects.filter(status__in=OPEN_STATES, due_on__lt=today)
    if units is not None:
        qs = qs.filter(unit__in=units)
    return qs.select_related("evaluation__case", "unit")


def misapplied_article_counts(*, officer=None, units=None, limit: int | None = None) -> list[dict]:
    """Articles that evaluations found misapplied, most often first: for one officer (cases they
    led or assisted) or for a set of units. Each row: article id, citation, url, count."""
    qs = Finding.objects.filter(article__isnull=False)
    if officer is not None:
        qs = qs.filter(
            Q(evaluation__case__lead_officer=officer)
            | Q(evaluation__case__assisting_officers=officer)
        )
    if units is not None:
        qs = qs.filter(evaluation__case__unit__in=units)
    rows = (
        qs.values("article_id").annotate(n=Count("pk", distinct=True)).order_by("-n", "article_id")
    )
    if limit:
        rows = rows[:limit]
    from laws.models import Article

    rows = list(rows)
    articles = Article.objects.in_bulk([r["article_id"] for r in rows])
    return [
        {
            "article": articles[r["article_id"]],
            "count": r["n"],
        }
        for r in rows
        if r["article_id"] in articles
    ]


def officer_cases(officer):
    return (
        EvaluatedCase.objects.filter(Q(lead_officer=officer) | Q(assisting_officers=officer))
        .select_related("unit", "evaluation", "lead_officer")
        .distinct()
        .order_by("-accepted_on")
    )


def fault_findings_allowed(*, officer, viewer) -> bool:
    return viewer.pk == officer.pk or (
        (is_legal_staff(viewer) or is_unit_leader(viewer)) and can_view_officer(viewer, officer)
    )


def fault_findings_for(*, officer, viewer, path: str = "") -> list[FaultFinding] | None:
    """Fault-liability findings: visible to the officer, their leaders and legal staff only;
    every view is logged. None when the viewer may not see them."""
    if not fault_findings_allowed(officer=officer, viewer=viewer):
        return None
    findings = list(FaultFinding.objects.filter(officer=officer))
    FaultView.objects.create(officer=officer, viewer=viewer, path=path[:300])
    return findings
