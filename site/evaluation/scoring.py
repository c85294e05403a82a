"""Law-enforcement quality evaluation (执法质量考评): scores, grades, period figures and rankings.

Plain Python, no Django: the services feed it plain values and store what it returns.

- A case starts from the standard's full score; each problem found deducts its points (a problem
  found twice deducts twice); the score never drops below zero. A problem flagged as 一票否决
  makes the case 不合格 whatever the score.
- Grade: 优秀 at or above the excellence line, 合格 at or above the pass line, else 不合格.
- A period's figures per unit (or officer): cases evaluated, mean score, grade counts, problems by
  ground and by item, rectification rate; units ranked by mean score (ties: more excellent cases,
  then fewer unqualified, then name), with the change of rank since the previous period.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

EXCELLENT = "excellent"
QUALIFIED = "qualified"
UNQUALIFIED = "unqualified"
GRADES = (EXCELLENT, QUALIFIED, UNQUALIFIED)


@dataclass(frozen=True)
class Deduction:
    item: str  # a stable key of the standard's item
    points: Decimal
    fails_case: bool = False
    ground: str = ""


@dataclass(frozen=True)
class CaseResult:
    score: Decimal
    grade: str
    vetoed: bool  # an item that makes the case 不合格 outright was found


def grade_for(score: Decimal, *, pass_line: Decimal, excellent_line: Decimal) -> str:
    if score >= excellent_line:
        return EXCELLENT
    if score >= pass_line:
        return QUALIFIED
    return UNQUALIFIED


def score_case(
    deductions: Iterable[Deduction],
    *,
    full_score: Decimal,
    pass_line: Decimal,
    excellent_line: Decimal,
) -> CaseResult:
    if not (Decimal(0) <= pass_line <= excellent_line <= full_score):
        raise ValueError("lines must satisfy 0 <= pass <= excellent <= full score")
    deductions = list(deductions)
    total = sum((d.points for d in deductions), Decimal(0))
    score = max(Decimal(0), full_score - total)
    vetoed = any(d.fails_case for d in deductions)
    grade = (
        UNQUALIFIED
        if vetoed
        else grade_for(score, pass_line=pass_line, excellent_line=excellent_line)
    )
    return CaseResult(score=score, grade=grade, vetoed=vetoed)


@dataclass(frozen=True)
class EvaluatedRecord:
    """One evaluated case as the period figures see it."""

    group: str  # the unit (or officer) the case counts for
    score: Decimal
    grade: str
    problems: tuple[tuple[str, str], ...] = ()  # (ground, item) per problem found
    rectifications: int = 0
    rectified: int = 0  # rectification items accepted


@dataclass
class GroupFigures:
    group: str
    cases: int = 0
    mean_score: Decimal | None = None
    grades: dict[str, int] = field(default_factory=lambda: dict.fromkeys(GRADES, 0))
    by_ground: dict[str, int] = field(default_factory=dict)
    by_item: dict[str, int] = field(default_factory=dict)
    rectifications: int = 0
    rectified: int = 0
    adjustment: Decimal = Decimal(0)
    rank: int | None = None
    rank_change: int | None = None  # positive: moved up since the previous period

    @property
    def rectification_rate(self) -> Decimal | None:
        if not self.rectifications:
            return None
        return _round(Decimal(self.rectified) / Decimal(self.rectifications) * 100, "0.1")

    @property
    def final_score(self) -> Decimal | None:
        if self.mean_score is None:
            return None
        return self.mean_score + self.adjustment


def _round(value: Decimal, places: str = "0.01") -> Decimal:
    return value.quantize(Decimal(places), rounding=ROUND_HALF_UP)


def period_figures(records: Iterable[EvaluatedRecord]) -> dict[str, GroupFigures]:
    groups: dict[str, GroupFigures] = {}
    sums: Counter = Counter()
    for r in records:
        g = groups.setdefault(r.group, GroupFigures(group=r.group))
        g.cases += 1
        sums[r.group] += r.score
        g.grades[r.grade] = g.grades.get(r.grade, 0) + 1
        for ground, item in r.problems:
            g.by_ground[ground] = g.by_ground.get(ground, 0) + 1
            g.by_item[item] = g.by_item.get(item, 0) + 1
        g.rectifications += r.rectifications
        g.rectified += r.rectified
    for key, g in groups.items():
        g.mean_score = _round(sums[key] / g.cases)
    return groups


def rank(
    figures: dict[str, GroupFigures],
    *,
    previous: dict[str, int] | None = None,
    adjustments: dict[str, Decimal] | None = None,
) -> list[GroupFigures]:
    """Rank groups with cases by final score (mean + adjustment); ties share no rank.

    ``previous`` maps a group to its rank in the previous period; ``rank_change`` is then
    previous − current (so +2 means two places up), or None for a group not ranked before.
    """
    for key, delta in (adjustments or {}).items():
        if key in figures:
            figures[key].adjustment = delta
    ranked = sorted(
        (g for g in figures.values() if g.cases),
        key=lambda g: (-g.final_score, -g.grades[EXCELLENT], g.grades[UNQUALIFIED], g.group),
    )
    for position, g in enumerate(ranked, start=1):
        g.rank = position
        before = (previous or {}).get(g.group)
        g.rank_change = None if before is None else before - position
    return ranked
