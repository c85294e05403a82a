"""Exam statistics: pure Python, ``Decimal`` only.

Definitions used throughout the site:

- 参考率 participation rate = participants / registered officers (应考人数).
- 通过率 pass rate = participants scoring >= pass mark / participants.
- 优秀率 excellence rate = participants scoring >= excellence mark / participants.
- Rates are percentages rounded half-up to one decimal place (``Decimal("97.1")``).
- A zero denominator gives ``None`` (shown as "—"), never 0 and never an exception:
  a unit with nobody registered has no participation rate, not a rate of 0 %.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

ONE_PLACE = Decimal("0.1")
TWO_PLACES = Decimal("0.01")


def _d(value: object) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        raise TypeError("pass scores as Decimal or int, not float")
    return Decimal(value)  # type: ignore[arg-type]


def rate(numerator: int, denominator: int) -> Decimal | None:
    """Percentage with one decimal, or ``None`` when the denominator is 0."""
    if denominator < 0 or numerator < 0:
        raise ValueError("counts cannot be negative")
    if denominator == 0:
        return None
    return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(ONE_PLACE, ROUND_HALF_UP)


def participation_rate(registered: int, participants: int) -> Decimal | None:
    """参考率. Participants who are not (or no longer) registered still count: callers pass
    only registered participants if they want the strict figure."""
    return rate(participants, registered)


def pass_rate(scores: Iterable[Decimal], pass_mark: Decimal) -> Decimal | None:
    """通过率 among those who took part."""
    scores = [_d(s) for s in scores]
    return rate(sum(1 for s in scores if s >= _d(pass_mark)), len(scores))


def excellence_rate(scores: Iterable[Decimal], excellence_mark: Decimal) -> Decimal | None:
    """优秀率 among those who took part."""
    scores = [_d(s) for s in scores]
    return rate(sum(1 for s in scores if s >= _d(excellence_mark)), len(scores))


def mean(scores: Iterable[Decimal]) -> Decimal | None:
    """Mean score to two decimals, ``None`` for no scores."""
    scores = [_d(s) for s in scores]
    if not scores:
        return None
    return (sum(scores, Decimal(0)) / len(scores)).quantize(TWO_PLACES, ROUND_HALF_UP)


@dataclass(frozen=True)
class Bin:
    low: Decimal
    high: Decimal
    count: int
    closed: bool = False  # True for the last bin, which includes its upper bound

    @property
    def label(self) -> str:
        low, high = _fmt(self.low), _fmt(self.high)
        return f"{low}–{high}" if self.closed else f"{low}–<{high}"


def _fmt(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text


def histogram(
    scores: Iterable[Decimal], *, max_score: Decimal, bin_width: Decimal = Decimal(10)
) -> list[Bin]:
    """Bins [0, w), [w, 2w) ... with the last bin closed at ``max_score``.

    Scores above ``max_score`` (possible only after a key change) fall into the last bin;
    negative scores (never produced by our scoring) fall into the first.
    """
    max_score = _d(max_score)
    bin_width = _d(bin_width)
    if max_score <= 0 or bin_width <= 0:
        raise ValueError("max_score and bin_width must be positive")
    n_bins = int((max_score / bin_width).to_integral_value(ROUND_FLOOR))
    if n_bins * bin_width < max_score:
        n_bins += 1
    n_bins = max(n_bins, 1)
    counts = [0] * n_bins
    for s in scores:
        s = _d(s)
        i = int((s / bin_width).to_integral_value(ROUND_FLOOR))
        counts[min(max(i, 0), n_bins - 1)] += 1
    bins = []
    for i, c in enumerate(counts):
        low = bin_width * i
        high = min(bin_width * (i + 1), max_score)
        bins.append(Bin(low, high, c, closed=(i == n_bins - 1)))
    return bins


@dataclass(frozen=True)
class Summary:
    """The figures shown for one exam (and one unit scope)."""

    registered: int
    participants: int
    passed: int
    excellent: int
    participation_rate: Decimal | None
    pass_rate: Decimal | None
    excellence_rate: Decimal | None
    mean: Decimal | None
    highest: Decimal | None
    lowest: Decimal | None

    @property
    def absent(self) -> int:
        return max(self.registered - self.participants, 0)


def summarize(
    *,
    registered: int,
    scores: Sequence[Decimal],
    pass_mark: Decimal,
    excellence_mark: Decimal,
) -> Summary:
    """One officer counts once: pass the best score of each participant."""
    scores = [_d(s) for s in scores]
    passed = sum(1 for s in scores if s >= _d(pass_mark))
    excellent = sum(1 for s in scores if s >= _d(excellence_mark))
    return Summary(
        registered=registered,
        participants=len(scores),
        passed=passed,
        excellent=excellent,
        participation_rate=participation_rate(registered, len(scores)),
        pass_rate=rate(passed, len(scores)),
        excellence_rate=rate(excellent, len(scores)),
        mean=mean(scores),
        highest=max(scores) if scores else None,
        lowest=min(scores) if scores else None,
    )


@dataclass(frozen=True)
class TrendPoint:
    label: str
    participation_rate: Decimal | None
    pass_rate: Decimal | None
    excellence_rate: Decimal | None
    mean: Decimal | None


def trend_series(points: Iterable[tuple[str, Summary]]) -> list[TrendPoint]:
    """One point per exam, in the order given (callers order monthly exams by date)."""
    return [
        TrendPoint(label, s.participation_rate, s.pass_rate, s.excellence_rate, s.mean)
        for label, s in points
    ]


def series(points: Sequence[TrendPoint], attribute: str) -> list[tuple[str, Decimal]]:
    """(label, value) pairs for a chart, skipping points with no value."""
    out = []
    for p in points:
        value = getattr(p, attribute)
        if value is not None:
            out.append((p.label, value))
    return out


def share_exceeds(count: int, total: int, threshold_percent: Decimal) -> bool:
    """True when count/total is strictly above the threshold percentage (False for total 0)."""
    if total <= 0:
        return False
    return Decimal(count) * 100 > _d(threshold_percent) * total
