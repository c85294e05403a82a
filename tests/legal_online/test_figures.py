"""Monthly figures over plain records (no database)."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from legal_online.figures import (
    Record,
    answer_rate,
    answered_in_year,
    median_duration,
    median_time_by_answerer,
    median_time_by_category,
    monthly,
    months_back,
    months_between,
)


def d(month, day, hour=9, year=2026):
    return datetime(year, month, day, hour)


RECORDS = [
    Record(d(1, 5), "刑事", "张", answered_at=d(1, 6), published_at=d(1, 10)),
    Record(d(1, 20), "刑事", "李", answered_at=d(2, 2)),
    Record(d(2, 3), "交通", "张", answered_at=d(2, 3, 21)),
    Record(d(2, 10), "交通"),
    Record(d(2, 11), "交通", excluded=True),
    Record(d(12, 30, year=2025), "治安", "李", answered_at=d(1, 2)),
]


def test_months_back_counts_this_month_as_the_first():
    assert months_back(date(2026, 3, 31), 1) == date(2026, 3, 1)
    assert months_back(date(2026, 3, 31), 3) == date(2026, 1, 1)
    assert months_back(date(2026, 3, 31), 4) == date(2025, 12, 1)
    assert months_back(date(2026, 1, 5), 25) == date(2024, 1, 1)


def test_months_between_crosses_a_year():
    assert months_between(date(2025, 11, 15), date(2026, 2, 1)) == [
        date(2025, 11, 1),
        date(2025, 12, 1),
        date(2026, 1, 1),
        date(2026, 2, 1),
    ]


def test_monthly_counts_each_event_in_its_own_month():
    rows = monthly(RECORDS, first=date(2025, 12, 1), last=date(2026, 3, 1))
    assert [(r.label, r.asked, r.answered, r.published) for r in rows] == [
        ("2025-12", 1, 0, 0),
        ("2026-01", 2, 2, 1),
        ("2026-02", 3, 2, 0),
        ("2026-03", 0, 0, 0),
    ]


@pytest.mark.parametrize(
    "records, expected",
    [
        ([], None),
        (RECORDS, Decimal("0.8000")),  # 4 of 5, the duplicate left out
        (
            [Record(d(1, 1)), Record(d(1, 1)), Record(d(1, 1), answered_at=d(1, 2))],
            Decimal("0.3333"),
        ),
    ],
)
def test_answer_rate(records, expected):
    assert answer_rate(records) == expected


@pytest.mark.parametrize(
    "hours, expected",
    [([], None), ([5], 5), ([1, 9, 3], 3), ([1, 2, 10, 4], 3)],
)
def test_median_duration(hours, expected):
    result = median_duration(timedelta(hours=h) for h in hours)
    assert result == (None if expected is None else timedelta(hours=expected))


def test_median_per_answerer_and_category():
    by_answerer = {r.key: (r.count, r.median_hours) for r in median_time_by_answerer(RECORDS)}
    # 张: 24 h and 12 h -> 18 h; 李: 13 days and 3 days -> median of 312 h and 72 h = 192 h
    assert by_answerer == {"张": (2, Decimal("18.0")), "李": (2, Decimal("192.0"))}
    by_category = {r.key: r.count for r in median_time_by_category(RECORDS)}
    assert by_category == {"交通": 1, "刑事": 2, "治安": 1}


def test_answered_in_year_for_the_annual_report():
    assert answered_in_year(RECORDS, 2026) == 4
    assert answered_in_year(RECORDS, 2025) == 0
