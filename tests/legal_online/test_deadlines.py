"""Due dates and escalation rules with an explicit clock (no database)."""

from datetime import date, datetime, timedelta, timezone

import pytest

from legal_online.deadlines import DuePolicy, add_days, due_at, is_overdue, needs_escalation

TZ = timezone(timedelta(hours=8))


def at(day, hour=10):
    return datetime(2026, 3, day, hour, tzinfo=TZ)


@pytest.mark.parametrize(
    "start, days, working, holidays, expected",
    [
        (at(2), 3, False, (), at(5)),  # Monday + 3 calendar days
        (at(6), 1, True, (), at(9)),  # Friday + 1 working day = Monday
        (at(6), 1, False, (), at(7)),  # Friday + 1 calendar day = Saturday
        (at(2), 5, True, (), at(9)),  # a working week
        (at(6), 1, True, (date(2026, 3, 9),), at(10)),  # Monday is a holiday
        (at(7), 1, True, (), at(9)),  # asked on Saturday
    ],
)
def test_add_days(start, days, working, holidays, expected):
    assert add_days(start, days, working_days=working, holidays=holidays) == expected


def test_due_date_per_category_falls_back_to_default():
    policy = DuePolicy(default_days=5, per_category={"刑事": 2}, working_days=False)
    assert due_at(at(2), "刑事", policy) == at(4)
    assert due_at(at(2), "交通", policy) == at(7)


@pytest.mark.parametrize(
    "value, error",
    [
        ({"default_dayz": 3}, "unknown"),
        ({"per_category": {"刑事": 0}}, "at least 1"),
    ],
)
def test_policy_from_setting_rejects_mistakes(value, error):
    with pytest.raises(ValueError, match=error):
        DuePolicy.from_setting(value)


def test_policy_from_setting_reads_iso_holidays():
    policy = DuePolicy.from_setting({"holidays": ["2026-10-01"], "per_category": {"禁毒": 3}})
    assert date(2026, 10, 1) in policy.holidays
    assert policy.days_for("禁毒") == 3
    assert policy.days_for("其他") == 5


@pytest.mark.parametrize(
    "now, is_open, expected",
    [
        (at(4, 9), True, False),
        (at(4, 10), True, False),  # exactly at the due time: not yet overdue
        (at(4, 11), True, True),
        (at(20), False, False),  # answered questions are never overdue
    ],
)
def test_is_overdue(now, is_open, expected):
    assert is_overdue(due=at(4), now=now, is_open=is_open) is expected


@pytest.mark.parametrize(
    "now, escalated, grace, expected",
    [
        (at(4, 11), False, 0, True),
        (at(4, 11), True, 0, False),  # once only
        (at(4, 11), False, 24, False),  # within the grace period
        (at(5, 10), False, 24, True),
        (at(3), False, 0, False),
    ],
)
def test_needs_escalation(now, escalated, grace, expected):
    policy = DuePolicy(escalate_after_hours=grace)
    assert (
        needs_escalation(
            due=at(4), now=now, is_open=True, already_escalated=escalated, policy=policy
        )
        is expected
    )
