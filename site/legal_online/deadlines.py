"""Due dates and escalation for consultations (pure: the caller passes the clock).

A policy gives a number of days per category (with a default). Days are either
calendar days or working days (Monday to Friday; public holidays can be passed
as a set of dates). A question still open after its due date is overdue; once
it has been overdue for ``escalate_after_hours`` it is escalated to the head of
the legal department, once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta


@dataclass(frozen=True)
class DuePolicy:
    default_days: int = 5
    per_category: Mapping[str, int] = field(default_factory=dict)
    working_days: bool = True
    holidays: frozenset[date] = frozenset()
    escalate_after_hours: int = 0

    def days_for(self, category: str) -> int:
        return int(self.per_category.get(category, self.default_days))

    @classmethod
    def from_setting(cls, value: Mapping | None) -> DuePolicy:
        """Build a policy from a settings dict such as ``LEGAL_ONLINE_DUE``.

        Keys: ``default_days``, ``per_category`` ({category: days}),
        ``working_days`` (bool), ``holidays`` (ISO dates), ``escalate_after_hours``.
        Unknown keys raise ValueError so a typo in settings is not silently ignored.
        """
        value = dict(value or {})
        allowed = {
            "default_days",
            "per_category",
            "working_days",
            "holidays",
            "escalate_after_hours",
        }
        unknown = set(value) - allowed
        if unknown:
            raise ValueError(f"unknown LEGAL_ONLINE_DUE keys: {sorted(unknown)}")
        holidays = frozenset(
            d if isinstance(d, date) else date.fromisoformat(d) for d in value.pop("holidays", ())
        )
        per_category = dict(value.pop("per_category", {}))
        for category, days in per_category.items():
            if int(days) < 1:
                raise ValueError(f"due days for {category!r} must be at least 1")
        return cls(per_category=per_category, holidays=holidays, **value)


def add_days(
    start: datetime, days: int, *, working_days: bool, holidays: Iterable[date] = ()
) -> datetime:
    """``start`` plus ``days`` days, skipping weekends and holidays when ``working_days``.

    The time of day is kept: a question asked on Friday at 16:00 with one
    working day is due on Monday at 16:00.
    """
    if not working_days:
        return start + timedelta(days=days)
    holidays = set(holidays)
    result = start
    remaining = days
    while remaining > 0:
        result += timedelta(days=1)
        if result.weekday() < 5 and result.date() not in holidays:
            remaining -= 1
    return result


def due_at(submitted_at: datetime, category: str, policy: DuePolicy) -> datetime:
    return add_days(
        submitted_at,
        policy.days_for(category),
        working_days=policy.working_days,
        holidays=policy.holidays,
    )


def is_overdue(*, due: datetime | None, now: datetime, is_open: bool) -> bool:
    return bool(is_open and due is not None and now > due)


def overdue_by(*, due: datetime | None, now: datetime) -> timedelta:
    if due is None or now <= due:
        return timedelta(0)
    return now - due


def needs_escalation(
    *,
    due: datetime | None,
    now: datetime,
    is_open: bool,
    already_escalated: bool,
    policy: DuePolicy,
) -> bool:
    """Whether to escalate now: open, overdue for the grace period, not escalated before."""
    if already_escalated or not is_overdue(due=due, now=now, is_open=is_open):
        return False
    return overdue_by(due=due, now=now) >= timedelta(hours=policy.escalate_after_hours)
