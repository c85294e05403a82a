"""Reads of the exams app. Every function that returns officers' results takes the viewer
and narrows to what they may see (accounts.selectors.units_visible_to / officers_visible_to)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext

from accounts.models import QualificationLevel, Unit, User
from accounts.roles import is_legal_staff
from accounts.selectors import units_visible_to
from questions.engine import stats

from .models import Attempt, AttemptStatus, Exam, ExamKind, ExamSettings, ScoreChange
from .services import eligible_officers_q, is_eligible, window_for


def can_view_results(user) -> bool:
    return user.is_authenticated and user.has_perm("exams.view_exam_results")


def can_manage(user) -> bool:
    return user.is_authenticated and user.has_perm("exams.manage_exam")


# --- Officer side ------------------------------------------------------------------------------


@dataclass
class ExamCard:
    exam: Exam
    window: object
    attempts: list
    open_attempt: Attempt | None
    can_start: bool
    best: Decimal | None
    score_visible: bool


def exams_for_officer(officer, now=None) -> list[ExamCard]:
    now = now or timezone.now()
    cards = []
    exams = Exam.objects.published().order_by("-opens_at")
    attempts_by_exam: dict[int, list[Attempt]] = {}
    for a in Attempt.objects.filter(officer=officer).order_by("number"):
        attempts_by_exam.setdefault(a.exam_id, []).append(a)
    for exam in exams:
        mine = attempts_by_exam.get(exam.pk, [])
        if not mine and not is_eligible(exam, officer):
            continue
        window = window_for(exam, officer, now)
        open_attempt = next((a for a in mine if a.status == AttemptStatus.IN_PROGRESS), None)
        in_window = window.opens_at <= now < window.closes_at
        can_start = bool(open_attempt) or (in_window and len(mine) < window.attempts_allowed)
        submitted = [
            a.score for a in mine if a.status == AttemptStatus.SUBMITTED and a.score is not None
        ]
        cards.append(
            ExamCard(
                exam,
                window,
                mine,
                open_attempt,
                can_start,
                max(submitted) if submitted else None,
                exam.score_visible(now),
            )
        )
    return cards


def home_panel_context(request, now=None):
    """The home page's "open exams" panel: the viewer's exams whose window is open now, plus, for
    people who follow results, the open exams' statistics pages."""
    user = request.user
    if not user.is_authenticated:
        return None
    now = now or timezone.now()
    cards = [
        c for c in exams_for_officer(user, now) if c.window.opens_at <= now < c.window.closes_at
    ]
    staff_exams = []
    if can_view_results(user):
        staff_exams = list(
            Exam.objects.published()
            .filter(opens_at__lte=now, closes_at__gt=now)
            .order_by("closes_at")[:5]
        )
    if not cards and not staff_exams and not user.police_number:
        return None  # an account that sits no exams and follows none: no empty panel
    return {"cards": cards, "staff_exams": staff_exams}


def officer_attempt(officer, attempt_id: int) -> Attempt | None:
    """Officers see only their own attempts."""
    return Attempt.objects.select_related("exam").filter(pk=attempt_id, officer=officer).first()


def record_section_context(officer, viewer):
    now = timezone.now()
    attempts = list(
        Attempt.objects.filter(officer=officer, status=AttemptStatus.SUBMITTED)
        .select_related("exam")
        .order_by("-submitted_at")
    )
    own = viewer.pk == officer.pk
    rows = []
    for a in attempts:
        visible = (not own) or a.exam.score_visible(now)
        rows.append(
            {"attempt": a, "score_visible": visible, "review": own and a.exam.answers_visible(now)}
        )
    # Score as a percentage of the paper, oldest first: a line once there are two results.
    points = [
        (
            timezone.localtime(r["attempt"].submitted_at).strftime("%Y-%m-%d"),
            (r["attempt"].score * 100 / r["attempt"].max_score).quantize(Decimal("0.1")),
        )
        for r in reversed(rows)
        if r["score_visible"] and r["attempt"].score is not None and r["attempt"].max_score
    ]
    chart = {gettext("得分率"): points} if len(points) >= 2 else None
    return {"rows": rows, "officer": officer, "own": own, "chart": chart}


def timeline_events(officer, viewer) -> list:
    """Submitted attempts on the record's timeline; the score only where the record shows it."""
    from accounts.records import TimelineEvent

    section = record_section_context(officer, viewer)
    events = []
    for row in section["rows"]:
        attempt = row["attempt"]
        text = attempt.exam.title
        if row["score_visible"] and attempt.score is not None:
            text += f" · {attempt.score}/{attempt.max_score}"
        events.append(
            TimelineEvent(timezone.localtime(attempt.submitted_at).date(), gettext("考试"), text)
        )
    # The qualification level's history: every raise by a pass and every withdrawal by a regrade.
    changes = ScoreChange.objects.filter(attempt__officer=officer).exclude(qualification_after="")
    for change in changes.select_related("attempt__exam"):
        before = QualificationLevel(change.qualification_before or QualificationLevel.NONE).label
        after = QualificationLevel(change.qualification_after).label
        events.append(
            TimelineEvent(
                timezone.localtime(change.changed_at).date(),
                gettext("执法资格等级"),
                f"{before} → {after}（{change.attempt.exam.title}）",
            )
        )
    return events


# --- Results for leaders and staff -----------------------------------------------------------


def exams_with_results_for(viewer):
    if not can_view_results(viewer):
        return Exam.objects.none()
    return Exam.objects.published().order_by("-opens_at")


def exam_with_results_for(viewer, exam_id):
    """The exam whose statistics ``viewer`` may open, or None: unit leaders see published
    exams only; staff who manage exams see every exam (they also preview unpublished ones)."""
    if not can_view_results(viewer):
        return None
    qs = Exam.objects.all() if can_manage(viewer) else Exam.objects.published()
    return qs.filter(pk=exam_id).first()


def registered_officers(exam: Exam, unit: Unit | None = None):
    qs = User.objects.officers().filter(eligible_officers_q(exam))
    if unit is not None:
        qs = qs.filter(unit__path__startswith=unit.path)
    return qs


def eligible_count(unit_ids, officer_ids) -> int:
    """How many officers an exam with these units (sub-units included) and named officers
    would admit (neither = every officer): shown in the admin before the exam is saved."""
    from .services import eligible_officers_q_for

    paths = Unit.objects.filter(pk__in=unit_ids).values_list("path", flat=True)
    return User.objects.officers().filter(eligible_officers_q_for(paths, officer_ids)).count()


def best_scores(exam: Exam, officer_ids=None) -> dict[int, Decimal]:
    """Best submitted score per officer (one officer counts once)."""
    qs = Attempt.objects.filter(exam=exam, status=AttemptStatus.SUBMITTED, score__isnull=False)
    if officer_ids is not None:
        qs = qs.filter(officer_id__in=officer_ids)
    return dict(
        qs.values("officer_id").annotate(best=Max("score")).values_list("officer_id", "best")
    )


@dataclass
class UnitRow:
    unit: Unit
    summary: stats.Summary
    absent: list


def unit_summary(exam: Exam, unit: Unit, *, with_absent: bool = False) -> UnitRow:
    officers = list(registered_officers(exam, unit).values_list("pk", flat=True))
    scores = best_scores(exam, officers)
    summary = stats.summarize(
        registered=len(officers),
        scores=list(scores.values()),
        pass_mark=exam.pass_mark,
        excellence_mark=exam.excellence_mark,
    )
    absent = []
    if with_absent:
        absent = list(
            registered_officers(exam, unit)
            .exclude(pk__in=scores.keys())
            .select_related("unit")
            .order_by("unit__path", "police_number")
        )
    return UnitRow(unit, summary, absent)


def top_units_for(viewer):
    """The units a viewer's dashboard starts from: their own unit (leader) or the roots (staff)."""
    visible = units_visible_to(viewer)
    if is_legal_staff(viewer):
        return list(Unit.get_root_nodes())
    if viewer.unit_id and visible.filter(pk=viewer.unit_id).exists():
        return [viewer.unit]
    return []


def dashboard_units(viewer, root: Unit | None = None) -> list[Unit]:
    """The root and its direct children, if the viewer may see the root."""
    visible = units_visible_to(viewer)
    if root is None:
        roots = top_units_for(viewer)
        if not roots:
            return []
        root = roots[0]
    if not visible.filter(pk=root.pk).exists():
        return []
    return [root, *root.get_children()]


def exam_dashboard(exam: Exam, viewer, root: Unit | None = None) -> dict:
    units = dashboard_units(viewer, root)
    if not units:
        return {"rows": [], "root": None}
    rows = [unit_summary(exam, u, with_absent=(i == 0)) for i, u in enumerate(units)]
    root_unit = units[0]
    officers = list(registered_officers(exam, root_unit).values_list("pk", flat=True))
    scores = list(best_scores(exam, officers).values())
    max_score = Attempt.objects.filter(exam=exam).aggregate(m=Max("max_score"))["m"] or Decimal(100)
    bins = stats.histogram(
        scores,
        max_score=max_score,
        bin_width=(max_score / 10).quantize(Decimal("0.01")) or Decimal(10),
    )
    return {
        "rows": rows,
        "root": root_unit,
        "histogram": [(b.label, b.count) for b in bins],
        "rates_chart": [(r.unit.name, r.summary.participation_rate or 0) for r in rows[1:]],
        "pass_chart": [(r.unit.name, r.summary.pass_rate or 0) for r in rows[1:]],
        "leaves": attempts_with_leaves(exam, root_unit),
    }


LEAVES_SHOWN = 200


def attempts_with_leaves(exam: Exam, unit: Unit) -> list[Attempt]:
    """Attempts in the unit (and its sub-units) that left the exam page (切屏次数), most first."""
    return list(
        Attempt.objects.filter(exam=exam, leave_count__gt=0, unit__path__startswith=unit.path)
        .select_related("officer", "unit")
        .order_by("-leave_count", "pk")[:LEAVES_SHOWN]
    )


def monthly_trend(viewer, root: Unit | None = None, limit: int = 12) -> dict:
    units = dashboard_units(viewer, root)
    if not units:
        return {"points": [], "series": {}}
    unit = units[0]
    # Only exams whose window has closed: an exam still running would show as a dip to 0%.
    exams = list(
        Exam.objects.published()
        .filter(kind=ExamKind.MONTHLY, closes_at__lte=timezone.now())
        .order_by("-opens_at")[:limit]
    )
    exams.reverse()
    points = []
    for exam in exams:
        summary = unit_summary(exam, unit).summary
        points.append((timezone.localtime(exam.opens_at).strftime("%Y-%m"), summary))
    trend = stats.trend_series(points)
    return {
        "unit": unit,
        "points": trend,
        "series": {
            gettext("参考率"): stats.series(trend, "participation_rate"),
            gettext("通过率"): stats.series(trend, "pass_rate"),
            gettext("优秀率"): stats.series(trend, "excellence_rate"),
        },
    }


@dataclass
class QualificationAlert:
    unit: Unit
    officers: int
    without_basic: int
    percent: Decimal | None


def qualification_alerts(viewer) -> tuple[list[QualificationAlert], Decimal]:
    """Units (visible to the viewer) where too many officers lack a basic qualification."""
    threshold = ExamSettings.load().unqualified_alert_percent
    alerts = []
    for unit in units_visible_to(viewer).order_by("path"):
        officers = User.objects.officers().filter(unit__path__startswith=unit.path)
        total = officers.count()
        without = officers.filter(qualification_level=QualificationLevel.NONE).count()
        if stats.share_exceeds(without, total, threshold):
            alerts.append(QualificationAlert(unit, total, without, stats.rate(without, total)))
    return alerts, threshold
