"""Writes of the evaluation workflow. Every entry point checks the caller's role on the server."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Unit, User
from accounts.roles import is_legal_staff, is_unit_leader
from core import tables

from . import scoring
from .models import (
    Adjustment,
    Bulletin,
    CaseCategory,
    EvaluatedCase,
    Evaluation,
    FaultFinding,
    Finding,
    Period,
    Rectification,
    RectificationStatus,
    Standard,
    StandardItem,
)

CASE_COLUMNS = [
    "案件编号",
    "案件类别",
    "案由",
    "办案单位代码",
    "主办民警警号",
    "协办民警警号",
    "受案日期",
    "立案日期",
    "结案日期",
]
REQUIRED_COLUMNS = ["案件编号", "案件类别", "案由", "办案单位代码", "受案日期"]
CATEGORY_WORDS = {"刑事": CaseCategory.CRIMINAL, "行政": CaseCategory.ADMINISTRATIVE}


def _require_staff(user) -> None:
    if not is_legal_staff(user):
        raise PermissionDenied


# --- case list import --------------------------------------------------------------------------


@dataclass
class CaseImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _parse_date(text: str) -> datetime.date:
    text = text.strip().split(" ")[0].replace("/", "-").replace(".", "-")
    for fmt in ("%Y-%m-%d", "%Y%m%d"):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def case_list_import(
    *, filename: str, content: bytes, user, dry_run: bool = False
) -> CaseImportReport:
    """Import the case-handling system's export; every bad row is reported and nothing is saved.

    Columns: 案件编号, 案件类别 (刑事/行政), 案由, 办案单位代码, 主办民警警号, 协办民警警号 (several
    separated by 、 , ; or spaces), 受案日期, 立案日期, 结案日期. A known case number updates that case.
    """
    _require_staff(user)
    report = CaseImportReport()
    try:
        rows = tables.read_table(filename, content, required=REQUIRED_COLUMNS)
    except tables.TableFileError as exc:
        report.errors.append(str(exc))
        return report
    units = {u.code: u for u in Unit.objects.all()}
    numbers = set()
    for _row, record in rows:
        numbers.add(record.get("主办民警警号", ""))
        numbers.update(_split(record.get("协办民警警号", "")))
    officers = {u.police_number: u for u in User.objects.filter(police_number__in=numbers - {""})}
    parsed, seen = [], {}
    for row, record in rows:
        problems = []
        where = f"{filename} 第 {row} 行"
        number = record.get("案件编号", "")
        if not number:
            problems.append(_("案件编号为空"))
        elif number in seen:
            problems.append(_("案件编号与第 %(r)d 行重复") % {"r": seen[number]})
        else:
            seen[number] = row
        category = CATEGORY_WORDS.get(record.get("案件类别", ""))
        if category is None:
            problems.append(
                _("案件类别“%(v)s”无效（应为 刑事 或 行政）") % {"v": record.get("案件类别", "")}
            )
        if not record.get("案由"):
            problems.append(_("案由为空"))
        unit = units.get(record.get("办案单位代码", ""))
        if unit is None:
            problems.append(_("办案单位代码“%(v)s”不存在") % {"v": record.get("办案单位代码", "")})
        lead_number = record.get("主办民警警号", "")
        lead = officers.get(lead_number) if lead_number else None
        if lead_number and lead is None:
            problems.append(_("主办民警警号“%(v)s”不存在") % {"v": lead_number})
        assistants = []
        for n in _split(record.get("协办民警警号", "")):
            if n not in officers:
                problems.append(_("协办民警警号“%(v)s”不存在") % {"v": n})
            else:
                assistants.append(officers[n])
        dates = {}
        for column, key in (
            ("受案日期", "accepted_on"),
            ("立案日期", "filed_on"),
            ("结案日期", "closed_on"),
        ):
            value = record.get(column, "")
            if not value:
                dates[key] = None
                continue
            try:
                dates[key] = _parse_date(value)
            except ValueError:
                problems.append(
                    _("%(c)s“%(v)s”不是日期（如 2026-03-01）") % {"c": column, "v": value}
                )
                dates[key] = None
        if dates.get("accepted_on") is None and record.get("受案日期", "") == "":
            problems.append(_("受案日期为空"))
        for key, column in (("filed_on", "立案日期"), ("closed_on", "结案日期")):
            if dates.get(key) and dates.get("accepted_on") and dates[key] < dates["accepted_on"]:
                problems.append(_("%(c)s早于受案日期") % {"c": column})
        if problems:
            report.errors.append(f"{where}：" + "；".join(problems))
            continue
        parsed.append((number, category, record["案由"], unit, lead, assistants, dates))
    if report.errors or dry_run:
        if not report.errors:
            report.created = [p[0] for p in parsed]
        return report
    with transaction.atomic():
        for number, category, cause, unit, lead, assistants, dates in parsed:
            case, created = EvaluatedCase.objects.update_or_create(
                case_number=number,
                defaults={
                    "category": category,
                    "cause": cause[:200],
                    "unit": unit,
                    "lead_officer": lead,
                    **dates,
                },
            )
            case.assisting_officers.set(assistants)
            (report.created if created else report.updated).append(number)
    return report


def _split(text: str) -> list[str]:
    import re

    return [p for p in re.split(r"[、,，;；\s]+", text or "") if p]


# --- standards ----------------------------------------------------------------------------------


def standard_bump_version_if_used(standard: Standard) -> None:
    """Called after staff save a standard: a standard already used gets the next version."""
    if Evaluation.objects.filter(standard=standard, standard_version=standard.version).exists():
        Standard.objects.filter(pk=standard.pk).update(version=standard.version + 1)
        standard.version += 1


# --- evaluating a case --------------------------------------------------------------------------


@dataclass(frozen=True)
class FoundProblem:
    item: StandardItem
    note: str = ""
    article: object | None = None  # laws.Article, pinned to its version by being that row


@dataclass(frozen=True)
class Demand:
    text: str
    due_on: datetime.date
    unit: Unit | None = None  # default: the handling unit
    problem_index: int | None = None  # which FoundProblem it answers


@transaction.atomic
def evaluate_case(
    *,
    case: EvaluatedCase,
    standard: Standard,
    problems: list[FoundProblem],
    demands: list[Demand],
    by,
    summary: str = "",
    on: datetime.date | None = None,
) -> Evaluation:
    """Score a case against ``standard``; replace an earlier evaluation of the same case."""
    _require_staff(by)
    if not standard.active:
        raise ValidationError(_("该考评标准已停用。"))
    for problem in problems:
        if problem.item.standard_id != standard.pk:
            raise ValidationError(_("考评项目不属于所选标准。"))
    result = scoring.score_case(
        [
            scoring.Deduction(str(p.item.pk), p.item.deduction, p.item.fails_case, p.item.ground)
            for p in problems
        ],
        full_score=standard.full_score,
        pass_line=standard.pass_line,
        excellent_line=standard.excellent_line,
    )
    if result.grade != scoring.EXCELLENT and problems and not demands:
        raise ValidationError(_("发现问题的案件须提出至少一条整改意见。"))
    Evaluation.objects.filter(case=case).delete()
    evaluation = Evaluation.objects.create(
        case=case,
        standard=standard,
        standard_version=standard.version,
        evaluator=by,
        evaluated_on=on or timezone.localdate(),
        score=result.score,
        grade=result.grade,
        summary=summary,
    )
    findings = [
        Finding.objects.create(
            evaluation=evaluation,
            item=p.item,
            ground=p.item.ground,
            item_text=p.item.text,
            deduction=p.item.deduction,
            fails_case=p.item.fails_case,
            note=p.note,
            article=p.article,
        )
        for p in problems
    ]
    for d in demands:
        if not d.text.strip():
            continue
        finding = (
            findings[d.problem_index]
            if d.problem_index is not None and 0 <= d.problem_index < len(findings)
            else None
        )
        Rectification.objects.create(
            evaluation=evaluation,
            finding=finding,
            unit=d.unit or case.unit,
            demand=d.text.strip(),
            due_on=d.due_on,
        )
    return evaluation


# --- rectification loop -------------------------------------------------------------------------


def _may_answer_for(user, unit: Unit) -> bool:
    if is_legal_staff(user):
        return True
    return bool(is_unit_leader(user) and user.unit_id and unit.path.startswith(user.unit.path))


def rectification_answer(*, item: Rectification, by, response: str) -> Rectification:
    """The responsible unit reports what it did (整改情况)."""
    if not _may_answer_for(by, item.unit):
        raise PermissionDenied
    if item.status not in (RectificationStatus.OPEN, RectificationStatus.RETURNED):
        raise ValidationError(_("该整改意见已反馈，等待验收或已验收。"))
    if not response.strip():
        raise ValidationError({"response": _("请填写整改情况。")})
    item.response = response.strip()
    item.responded_at = timezone.now()
    item.responded_by = by
    item.status = RectificationStatus.ANSWERED
    item.save(update_fields=["response", "responded_at", "responded_by", "status"])
    return item


def rectification_review(*, item: Rectification, by, accept: bool, note: str = "") -> Rectification:
    """Legal staff accept the answer, or return it with a note."""
    _require_staff(by)
    if item.status != RectificationStatus.ANSWERED:
        raise ValidationError(_("只有已反馈的整改意见可以验收或退回。"))
    if not accept and not note.strip():
        raise ValidationError({"note": _("退回时请写明原因。")})
    item.status = RectificationStatus.ACCEPTED if accept else RectificationStatus.RETURNED
    item.review_note = note.strip()
    item.reviewed_at = timezone.now()
    item.reviewed_by = by
    item.save(update_fields=["status", "review_note", "reviewed_at", "reviewed_by"])
    return item


# --- periods ------------------------------------------------------------------------------------


def _unit_key(unit: Unit) -> str:
    return unit.code


@transaction.atomic
def period_compute(
    *, kind: str, start: datetime.date, end: datetime.date, scope: Unit, by
) -> Period:
    """Compute a period's figures over the evaluations dated in [start, end] within ``scope``.

    Each case counts for the direct child of ``scope`` it belongs to (a 派出所 counts for itself
    when the scope is the bureau), and for its lead officer.
    """
    _require_staff(by)
    if end < start:
        raise ValidationError(_("截止日期不能早于起始日期。"))
    scope = Unit.objects.get(pk=scope.pk)
    children = list(scope.get_children()) or [scope]
    evaluations = list(
        Evaluation.objects.filter(
            evaluated_on__gte=start,
            evaluated_on__lte=end,
            case__unit__path__startswith=scope.path,
        )
        .select_related("case__unit", "case__lead_officer")
        .prefetch_related("findings", "rectifications")
    )
    unit_records, officer_records = [], []
    for ev in evaluations:
        owner = next((c for c in children if ev.case.unit.path.startswith(c.path)), scope)
        problems = tuple((f.ground, f.item_text) for f in ev.findings.all())
        rects = list(ev.rectifications.all())
        accepted = sum(1 for r in rects if r.status == RectificationStatus.ACCEPTED)
        record = {
            "score": ev.score,
            "grade": ev.grade,
            "problems": problems,
            "rectifications": len(rects),
            "rectified": accepted,
        }
        unit_records.append(scoring.EvaluatedRecord(group=_unit_key(owner), **record))
        if ev.case.lead_officer_id:
            officer_records.append(
                scoring.EvaluatedRecord(group=ev.case.lead_officer.police_number, **record)
            )
    previous = Period.objects.filter(kind=kind, scope=scope, end__lt=start).order_by("-end").first()
    previous_ranks = {u["code"]: u["rank"] for u in previous.units} if previous else {}
    unit_figures = scoring.period_figures(unit_records)
    for child in children:
        unit_figures.setdefault(_unit_key(child), scoring.GroupFigures(group=_unit_key(child)))
    ranked = scoring.rank(unit_figures, previous=previous_ranks)
    names = {_unit_key(c): c.name for c in children}
    units = [
        _figures_json(g, name=names.get(g.group, g.group), previous=previous_ranks.get(g.group))
        for g in ranked
    ] + [
        _figures_json(g, name=names.get(g.group, g.group), previous=previous_ranks.get(g.group))
        for g in unit_figures.values()
        if not g.cases
    ]
    officer_figures = scoring.period_figures(officer_records)
    people = {
        u.police_number: u.display_name
        for u in User.objects.filter(police_number__in=list(officer_figures))
    }
    officers = [
        _figures_json(g, name=people.get(g.group, g.group))
        for g in sorted(officer_figures.values(), key=lambda g: (-g.mean_score, g.group))
    ]
    return Period.objects.create(
        kind=kind,
        start=start,
        end=end,
        scope=scope,
        computed_at=timezone.now(),
        computed_by=by,
        units=units,
        officers=officers,
    )


def _figures_json(g: scoring.GroupFigures, *, name: str, previous: int | None = None) -> dict:
    return {
        "previous_rank": previous,
        "code": g.group,
        "name": name,
        "cases": g.cases,
        "mean": None if g.mean_score is None else str(g.mean_score),
        "adjustment": str(g.adjustment),
        "final": None if g.final_score is None else str(g.final_score),
        "grades": g.grades,
        "by_ground": g.by_ground,
        "by_item": g.by_item,
        "rectifications": g.rectifications,
        "rectified": g.rectified,
        "rectification_rate": None if g.rectification_rate is None else str(g.rectification_rate),
        "rank": g.rank,
        "rank_change": g.rank_change,
    }


@transaction.atomic
def period_adjust(*, period: Period, unit: Unit, delta: Decimal, reason: str, by) -> Period:
    """Adjust one unit's result; refused without a reason. The ranking is recomputed."""
    _require_staff(by)
    if not reason.strip():
        raise ValidationError({"reason": _("调整考评结果必须填写原因。")})
    rows = {u["code"]: u for u in period.units}
    if unit.code not in rows or not rows[unit.code]["cases"]:
        raise ValidationError(_("该单位不在本期考评结果中。"))
    Adjustment.objects.create(period=period, unit=unit, delta=delta, reason=reason.strip(), by=by)
    totals: dict[str, Decimal] = {}
    for a in period.adjustments.select_related("unit"):
        totals[a.unit.code] = totals.get(a.unit.code, Decimal(0)) + a.delta
    figures = {}
    for code, row in rows.items():
        g = scoring.GroupFigures(group=code, cases=row["cases"])
        g.mean_score = None if row["mean"] is None else Decimal(row["mean"])
        g.grades = row["grades"]
        figures[code] = (g, row)
    previous = {c: r["previous_rank"] for c, r in rows.items() if r.get("previous_rank")}
    ranked = scoring.rank(
        {c: g for c, (g, _r) in figures.items()}, previous=previous, adjustments=totals
    )
    for g in ranked:
        row = figures[g.group][1]
        row["adjustment"] = str(g.adjustment)
        row["final"] = str(g.final_score)
        row["rank"] = g.rank
        row["rank_change"] = g.rank_change
    period.units = sorted(period.units, key=lambda r: (r["rank"] is None, r["rank"] or 0))
    period.save(update_fields=["units"])
    return period


# --- bulletin -----------------------------------------------------------------------------------


def bulletin_draft(*, period: Period, by) -> Bulletin:
    """A draft 通报: ranking table (from the period), typical problems with anonymised
    examples, and the rectification demands. Staff edit it, then publish."""
    _require_staff(by)
    from casebook.pii import mask_pii

    counts: dict[str, int] = {}
    for row in period.units:
        for item, n in row["by_item"].items():
            counts[item] = counts.get(item, 0) + n
    top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:5]
    examples = []
    for item, n in top:
        finding = (
            Finding.objects.filter(
                item_text=item,
                evaluation__evaluated_on__gte=period.start,
                evaluation__evaluated_on__lte=period.end,
            )
            .exclude(note="")
            .select_related("evaluation__case")
            .first()
        )
        example = ""
        if finding is not None:
            # Anonymised: no case number, no names; PII in the note masked.
            example = "（" + _("例：") + mask_pii(finding.note).text + "）"
        examples.append(f"{len(examples) + 1}. {item}：{n} " + _("起") + example)
    demands = sorted(
        {
            r.demand
            for r in Rectification.objects.filter(
                evaluation__evaluated_on__gte=period.start,
                evaluation__evaluated_on__lte=period.end,
            )
        }
    )[:8]
    label = period.get_kind_display()
    return Bulletin.objects.create(
        period=period,
        title=_("关于%(s)s至%(e)s执法质量%(k)s情况的通报")
        % {"s": f"{period.start:%Y年%m月%d日}", "e": f"{period.end:%Y年%m月%d日}", "k": label},
        intro=_(
            "根据执法质量考评工作安排，法制大队对%(scope)s%(s)s至%(e)s办理的案件开展了考评，"
            "现将有关情况通报如下。"
        )
        % {
            "scope": period.scope.name,
            "s": f"{period.start:%m月%d日}",
            "e": f"{period.end:%m月%d日}",
        },
        problems="\n".join(examples),
        demands="\n".join(f"{i}. {d}" for i, d in enumerate(demands, start=1)),
    )


@transaction.atomic
def bulletin_publish(*, bulletin: Bulletin, by, url: str) -> Bulletin:
    """Publish as a notice that links to the bulletin's page."""
    _require_staff(by)
    from notices.models import NoticeIndexPage, NoticePage

    index = NoticeIndexPage.objects.order_by("path").first()
    if index is None:
        raise ValidationError(_("还没有通知公告栏目，无法发布通报。"))
    body = [
        {"type": "paragraph", "value": f"<p>{_escape(bulletin.intro)}</p>"},
        {"type": "paragraph", "value": f'<p><a href="{url}">{_("查看通报全文与排名")}</a></p>'},
    ]
    if bulletin.notice_id:
        notice = bulletin.notice
        notice.title = bulletin.title
        notice.body = body
    else:
        notice = NoticePage(title=bulletin.title, body=body, issuer=_("法制大队"))
        index.add_child(instance=notice)
    notice.save_revision(user=by).publish()
    bulletin.notice = notice
    bulletin.published_at = timezone.now()
    bulletin.save(update_fields=["notice", "published_at"])
    return bulletin


def _escape(text: str) -> str:
    from django.utils.html import escape

    return escape(text)


# --- to the casebook ----------------------------------------------------------------------------


@transaction.atomic
def evaluation_to_casebook(*, evaluation: Evaluation, by, facts: str, handling: str = ""):
    """Send an instructive case to the casebook as a draft 以案释法 case, PII masked, with its
    evaluation as the case's review (rating and one finding per ground found)."""
    _require_staff(by)
    from casebook.choices import Rating, Verdict
    from casebook.models import CasePage, ReviewFinding
    from casebook.pii import mask_pii
    from casebook.services import case_index

    if evaluation.case_page_id:
        raise ValidationError(_("该案件已送入以案释法。"))
    if not facts.strip():
        raise ValidationError({"facts": _("请填写基本案情（将自动遮盖个人信息）。")})
    case = evaluation.case
    page = CasePage(
        title=mask_pii(f"{case.cause}（{case.get_category_display()}）").text[:255],
        kind="criminal" if case.category == CaseCategory.CRIMINAL else "administrative",
        handling_unit=case.unit.name,
        decided_on=case.closed_on,
        facts=mask_pii(facts).text,
        handling=mask_pii(handling).text,
        rating={
            "excellent": Rating.EXCELLENT,
            "qualified": Rating.QUALIFIED,
            "unqualified": Rating.PROBLEM,
        }[evaluation.grade],
        reviewed_on=evaluation.evaluated_on,
        reviewer=evaluation.evaluator.display_name,
        live=False,
    )
    case_index().add_child(instance=page)
    for finding in evaluation.findings.all():
        ReviewFinding.objects.create(
            page=page,
            ground=finding.ground,
            verdict=Verdict.WRONG if finding.fails_case else Verdict.FLAWED,
            note=mask_pii(f"{finding.item_text}。{finding.note}").text,
        )
    page.save_revision(user=by)
    evaluation.case_page = page
    evaluation.save(update_fields=["case_page"])
    return page


# --- fault-liability findings -------------------------------------------------------------------


def fault_finding_create(
    *, officer, by, decided_on, finding: str, decision: str, case_label: str = ""
):
    _require_staff(by)
    if not finding.strip() or not decision.strip():
        raise ValidationError(_("请填写过错认定和处理决定。"))
    return FaultFinding.objects.create(
        officer=officer,
        decided_on=decided_on,
        finding=finding.strip(),
        decision=decision.strip(),
        case_label=case_label.strip(),
        entered_by=by,
    )
