"""Item analysis (试题分析) for one exam: pure Python, ``Decimal`` only.

Input: one ``AttemptRecord`` per submitted attempt, listing the items that were on that
attempt's paper. Papers drawn from a blueprint differ per officer, so every figure of a
question is computed over the attempts that actually had it.

Figures per question:

- **facility index** (难度系数 / 通过率): mean of score / max score, 0..1.
- **discrimination index** (区分度): the classic upper–lower group index (Kelley's 27 %):
  rank the attempts that had the question by their percentage on the *rest* of the paper,
  take the top and bottom 27 % (at least one attempt each), and
  D = facility(upper) − facility(lower), −1..1. Using the rest-score stops a question from
  correlating with itself on short papers.
- **point-biserial** (item–rest correlation), reported beside D for staff who prefer it.
- **option frequencies**: how often each option key was chosen, plus unanswered.

Per paper: **Cronbach's alpha** over the questions every attempt had (with all-or-nothing
items this *is* KR-20; ``kr20`` is reported then too). With blueprint papers few questions are
shared, so alpha is ``None`` with a reason when fewer than 2 shared items or 2 attempts.

Flags: ``negative_discrimination`` (D < 0), ``too_easy`` (facility ≥ easy threshold, default
0.9), ``too_hard`` (facility ≤ hard threshold, default 0.1), ``few_responses`` (fewer than
``min_responses`` attempts had it; other flags are still computed but less reliable).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, localcontext

THREE_PLACES = Decimal("0.001")
UPPER_LOWER_SHARE = Decimal("0.27")

FLAG_NEGATIVE = "negative_discrimination"
FLAG_EASY = "too_easy"
FLAG_HARD = "too_hard"
FLAG_FEW = "few_responses"


@dataclass(frozen=True)
class ItemResponse:
    question_id: int
    score: Decimal
    max_score: Decimal
    # Option keys chosen (choice questions); None when unanswered; () for non-choice answers.
    choice: tuple[str, ...] | None = ()


@dataclass(frozen=True)
class AttemptRecord:
    attempt_id: int
    responses: tuple[ItemResponse, ...]

    @property
    def score(self) -> Decimal:
        return sum((r.score for r in self.responses), Decimal(0))

    @property
    def max_score(self) -> Decimal:
        return sum((r.max_score for r in self.responses), Decimal(0))


@dataclass(frozen=True)
class ItemStats:
    question_id: int
    responses: int
    facility: Decimal | None
    discrimination: Decimal | None
    point_biserial: Decimal | None
    option_counts: dict[str, int] = field(default_factory=dict)
    unanswered: int = 0
    flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class PaperStats:
    attempts: int
    shared_items: int
    cronbach_alpha: Decimal | None
    kr20: Decimal | None
    alpha_note: str = ""


@dataclass(frozen=True)
class GroupStats:
    key: str
    questions: int
    responses: int
    facility: Decimal | None
    discrimination: Decimal | None
    flagged: int


@dataclass(frozen=True)
class Analysis:
    items: tuple[ItemStats, ...]
    paper: PaperStats


def _q(value: Decimal) -> Decimal:
    return value.quantize(THREE_PLACES, ROUND_HALF_UP)


def _ratio(r: ItemResponse) -> Decimal:
    if r.max_score <= 0:
        return Decimal(0)
    return Decimal(r.score) / Decimal(r.max_score)


def _mean(values: Sequence[Decimal]) -> Decimal | None:
    if not values:
        return None
    return sum(values, Decimal(0)) / len(values)


def _pvariance(values: Sequence[Decimal]) -> Decimal:
    m = _mean(values) or Decimal(0)
    return sum(((v - m) ** 2 for v in values), Decimal(0)) / len(values)


def _correlation(xs: Sequence[Decimal], ys: Sequence[Decimal]) -> Decimal | None:
    n = len(xs)
    if n < 2:
        return None
    mx = sum(xs, Decimal(0)) / n
    my = sum(ys, Decimal(0)) / n
    sxy = sum(((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)), Decimal(0))
    sxx = sum(((x - mx) ** 2 for x in xs), Decimal(0))
    syy = sum(((y - my) ** 2 for y in ys), Decimal(0))
    if sxx == 0 or syy == 0:
        return None
    return sxy / (sxx * syy).sqrt()


def analyse(
    attempts: Iterable[AttemptRecord],
    *,
    easy_threshold: Decimal = Decimal("0.9"),
    hard_threshold: Decimal = Decimal("0.1"),
    min_responses: int = 10,
) -> Analysis:
    attempts = list(attempts)
    with localcontext() as ctx:
        ctx.prec = 28
        # Per question: list of (attempt index, response)
        per_q: dict[int, list[tuple[int, ItemResponse]]] = defaultdict(list)
        for a_index, a in enumerate(attempts):
            for r in a.responses:
                per_q[r.question_id].append((a_index, r))
        totals = [(a.score, a.max_score) for a in attempts]

        items = []
        for qid in sorted(per_q):
            rows = per_q[qid]
            n = len(rows)
            ratios = [_ratio(r) for _, r in rows]
            facility = _mean(ratios)
            rest = []
            for (a_index, r), _ratio_value in zip(rows, ratios, strict=True):
                score, max_score = totals[a_index]
                rest_max = max_score - r.max_score
                rest.append((score - r.score) / rest_max if rest_max > 0 else Decimal(0))
            discrimination = _upper_lower(ratios, rest)
            pbis = _correlation(ratios, rest)
            counts: Counter[str] = Counter()
            unanswered = 0
            for _, r in rows:
                if r.choice is None:
                    unanswered += 1
                else:
                    counts.update(r.choice)
            flags = []
            if discrimination is not None and discrimination < 0:
                flags.append(FLAG_NEGATIVE)
            if facility is not None and facility >= easy_threshold:
                flags.append(FLAG_EASY)
            if facility is not None and facility <= hard_threshold:
                flags.append(FLAG_HARD)
            if n < min_responses:
                flags.append(FLAG_FEW)
            items.append(
                ItemStats(
                    question_id=qid,
                    responses=n,
                    facility=_q(facility) if facility is not None else None,
                    discrimination=_q(discrimination) if discrimination is not None else None,
                    point_biserial=_q(pbis) if pbis is not None else None,
                    option_counts=dict(sorted(counts.items())),
                    unanswered=unanswered,
                    flags=tuple(flags),
                )
            )
        paper = _reliability(attempts)
    return Analysis(items=tuple(items), paper=paper)


def _upper_lower(ratios: Sequence[Decimal], rest: Sequence[Decimal]) -> Decimal | None:
    n = len(ratios)
    if n < 2:
        return None
    k = int((UPPER_LOWER_SHARE * n).to_integral_value(ROUND_HALF_UP))
    k = max(1, min(k, n // 2))
    # Stable order: by rest score, ties keep input order, so results are reproducible.
    order = sorted(range(n), key=lambda i: rest[i])
    lower = [ratios[i] for i in order[:k]]
    upper = [ratios[i] for i in order[-k:]]
    return (sum(upper, Decimal(0)) - sum(lower, Decimal(0))) / k


def _reliability(attempts: Sequence[AttemptRecord]) -> PaperStats:
    n = len(attempts)
    if n < 2:
        return PaperStats(n, 0, None, None, "参加人数少于 2 人，无法计算信度")
    shared = set.intersection(*({r.question_id for r in a.responses} for a in attempts))
    k = len(shared)
    if k < 2:
        return PaperStats(n, k, None, None, "所有考生共有的题目少于 2 道（随机组卷），无法计算信度")
    matrix = []
    dichotomous = True
    for a in attempts:
        row = {r.question_id: r for r in a.responses if r.question_id in shared}
        values = []
        for qid in sorted(shared):
            r = row[qid]
            if r.score not in (0, r.max_score):
                dichotomous = False
            values.append(Decimal(r.score))
        matrix.append(values)
    item_vars = [_pvariance([row[j] for row in matrix]) for j in range(k)]
    total_var = _pvariance([sum(row, Decimal(0)) for row in matrix])
    if total_var == 0:
        return PaperStats(n, k, None, None, "所有考生总分相同，无法计算信度")
    alpha = Decimal(k) / (k - 1) * (1 - sum(item_vars, Decimal(0)) / total_var)
    alpha = _q(alpha)
    return PaperStats(n, k, alpha, alpha if dichotomous else None, "")


def group_by(analysis: Analysis, keys_of: Callable[[int], Iterable[str]]) -> list[GroupStats]:
    """The same figures per group (e.g. per cited article): response-weighted facility and
    discrimination over the group's questions. A question citing two articles counts in both."""
    buckets: dict[str, list[ItemStats]] = defaultdict(list)
    for item in analysis.items:
        for key in keys_of(item.question_id):
            buckets[key].append(item)
    out = []
    for key in sorted(buckets):
        group = buckets[key]
        out.append(
            GroupStats(
                key=key,
                questions=len(group),
                responses=sum(i.responses for i in group),
                facility=_weighted(group, "facility"),
                discrimination=_weighted(group, "discrimination"),
                flagged=sum(1 for i in group if set(i.flags) - {FLAG_FEW}),
            )
        )
    return out


def _weighted(group: Sequence[ItemStats], attribute: str) -> Decimal | None:
    num = Decimal(0)
    den = 0
    for i in group:
        value = getattr(i, attribute)
        if value is not None and i.responses:
            num += value * i.responses
            den += i.responses
    return _q(num / den) if den else None
