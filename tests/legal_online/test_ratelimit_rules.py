"""Pure rate-limit windows (no database)."""

from datetime import UTC, datetime

import pytest

from legal_online.ratelimit import (
    Limit,
    cache_key,
    first_exceeded,
    limits_from_setting,
    seconds_until_reset,
)


def test_limits_from_setting_skips_unlimited_windows():
    assert limits_from_setting({"hour": 3, "day": None}) == [Limit("hour", 3)]
    with pytest.raises(ValueError):
        limits_from_setting({"week": 3})


def test_same_hour_same_key_next_hour_new_key():
    a = datetime(2026, 3, 1, 10, 5, tzinfo=UTC)
    b = datetime(2026, 3, 1, 10, 59, tzinfo=UTC)
    c = datetime(2026, 3, 1, 11, 0, tzinfo=UTC)
    assert (
        cache_key("ask", 7, a, "hour")
        == cache_key("ask", 7, b, "hour")
        != cache_key("ask", 7, c, "hour")
    )
    assert seconds_until_reset(b, "hour") == 60


@pytest.mark.parametrize(
    "counts, expected",
    [
        ({}, None),
        ({"hour": 2, "day": 2}, None),
        ({"hour": 3}, Limit("hour", 3)),
        ({"hour": 0, "day": 10}, Limit("day", 10)),
        (
            {"hour": 3, "day": 10},
            Limit("day", 10),
        ),  # both broken: the longer wait is the one to tell
    ],
)
def test_first_exceeded(counts, expected):
    assert first_exceeded(counts, [Limit("hour", 3), Limit("day", 10)]) == expected
