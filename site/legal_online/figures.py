"""Monthly figures for Legal Online (pure functions over plain records).

Definitions (the issue is silent; these are ours):

- *asked*: consultations submitted in the month.
- *answered*: consultations whose official answer was signed off in the month
  (``answered_at`` is the sign-off time, when the asker receives the answer).
- *published*: consultations first published on the FAQ in the month.
- *answer rate*: answered / asked over the same set of questions, leaving out
  duplicates and withdrawn questions (they never needed an answer).
- *time to answer*: ``answered_at - submitted_at``; medians are given per
  answerer and per category.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal


@dataclass(frozen=True)
class Record:
    submitted_at: datetime
    category: str = ""
    answerer: str = ""
    answered_at: datetime | None = None
    published_at: datetime | None = None
    excluded: bool = False  # duplicate or withdrawn


@dataclass(frozen=True)
class MonthRow:
    month: date  # first day of the month
    asked: int
    answered: int
    published: int

    @property
    def label(self) -> str:
        return f"{self.month.year}-{self.month.month:02d}"


def month_start(moment: datetime | date) -> date:
    return date(moment.year, moment.month, 1)


def months_back(today: date, months: int) -> date:
    """The first day of the month ``months - 1`` months before ``today``'s (1: this month)."""
    index = today.year * 12 + today.month - 1 - (months - 1)
    return date(index // 12, index % 12 + 1, 1)


def months_between(first: date, last: date) -> list[date]:
    """Every month from ``first`` to ``last`` inclusive (first days)."""
    months = []
    current = month_start(first)
    last = month_start(last)
    while current <= last:
        months.append(current)
        current = date(current.year + (current.month == 12), current.month % 12 + 1, 1)
    return months


def monthly(records: Iterable[Record], *, first: date, last: date) -> list[MonthRow]:
    """One row per month in [first, last], empty months included."""
    asked: dict[date, int] = defaultdict(int)
    answered: dict[date, int] = defaultdict(int)
    published: dict[date, int] = defaultdict(int)
    for record in records:
        asked[month_start(record.submitted_at)] += 1
        if record.answered_at:
            answered[month_start(record.answered_at)] += 1
        if record.published_at:
            published[month_start(record.published_at)] += 1
    return [MonthRow(m, asked[m], answered[m], published[m]) for m in months_between(first, last)]


def answer_rate(records: Iterable[Record]) -> Decimal | None:
    """Share of (non-excluded) questions answered, as a Decimal in [0, 1] with 4 places; None if none."""
    counted = [r for r in records if not r.excluded]
    if not counted:
        return None
    answered = sum(1 for r in counted if r.answered_at)
    return (Decimal(answered) / Decimal(len(counted))).quantize(
        Decimal("0.0001"), rounding=ROUND_HALF_UP
    )


def time_to_answer(record: Record) -> timedelta | None:
    if record.answered_at is None:
        return None
    return record.answered_at - record.submitted_at


def median_duration(durations: Iterable[timedelta]) -> timedelta | None:
    values = sorted(durations)
    if not values:
        return None
    middle = len(values) // 2
    if len(values) % 2:
        return values[middle]
    return (values[middle - 1] + values[middle]) / 2


@dataclass(frozen=True)
class MedianRow:
    key: str
    count: int
    median: timedelta

    @property
    def median_hours(self) -> Decimal:
        return (Decimal(self.median.total_seconds()) / 3600).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )


def median_time_by(records: Iterable[Record], key: Callable[[Record], str]) -> list[MedianRow]:
    """Median time to answer per group, answered questions only, sorted by key."""
    groups: dict[str, list[timedelta]] = defaultdict(list)
    for record in records:
        duration = time_to_answer(record)
        if duration is not None:
            groups[key(record)].append(duration)
    return [MedianRow(k, len(v), median_duration(v)) for k, v in sorted(groups.items())]


def median_time_by_answerer(records: Iterable[Record]) -> list[MedianRow]:
    return median_time_by(records, lambda r: r.answerer)


def median_time_by_category(records: Iterable[Record]) -> list[MedianRow]:
    return median_time_by(records, lambda r: r.category)


def answered_in_year(records: Iterable[Record], year: int) -> int:
    """For the annual report: "Legal Online answered N difficult questions"."""
    return sum(1 for r in records if r.answered_at and r.answered_at.year == year)
