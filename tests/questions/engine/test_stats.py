"""参考率 / 通过率 / 优秀率, mean, histogram and trends: Decimal, defined on empty input."""

from decimal import Decimal as D

import pytest

from questions.engine import stats


@pytest.mark.parametrize(
    ("numerator", "denominator", "expected"),
    [
        (272, 280, D("97.1")),
        (0, 10, D("0.0")),
        (10, 10, D("100.0")),
        (1, 3, D("33.3")),
        (2, 3, D("66.7")),
        (1, 8, D("12.5")),
        (1, 16, D("6.3")),  # 6.25 rounds half up
        (0, 0, None),
        (5, 0, None),
    ],
)
def test_rate(numerator, denominator, expected):
    assert stats.rate(numerator, denominator) == expected


def test_rate_rejects_negative_counts():
    with pytest.raises(ValueError):
        stats.rate(-1, 3)


SCORES = [D(95), D(88), D("59.5"), D(60), D(100), D(72)]


@pytest.mark.parametrize(
    ("func", "mark", "expected"),
    [
        (stats.pass_rate, D(60), D("83.3")),
        (stats.pass_rate, D(101), D("0.0")),
        (stats.excellence_rate, D(90), D("33.3")),
        (stats.excellence_rate, D(0), D("100.0")),
    ],
)
def test_pass_and_excellence(func, mark, expected):
    assert func(SCORES, mark) == expected


@pytest.mark.parametrize("func", [stats.pass_rate, stats.excellence_rate])
def test_rates_of_nobody_are_none(func):
    assert func([], D(60)) is None


@pytest.mark.parametrize(
    ("scores", "expected"),
    [
        ([], None),
        ([D(1)], D("1.00")),
        ([D(1), D(2)], D("1.50")),
        ([D(1), D(1), D(2)], D("1.33")),
        (SCORES, D("79.08")),
    ],
)
def test_mean(scores, expected):
    assert stats.mean(scores) == expected


def test_floats_are_refused():
    with pytest.raises(TypeError):
        stats.mean([0.1])


@pytest.mark.parametrize(
    ("scores", "max_score", "width", "counts"),
    [
        ([D(0), D(9.5), D(10), D(99), D(100)], D(100), D(10), [2, 1, 0, 0, 0, 0, 0, 0, 0, 2]),
        ([], D(100), D(20), [0, 0, 0, 0, 0]),
        ([D(15), D(25)], D(25), D(10), [0, 1, 1]),  # last bin 20–25 closed
        ([D(120), D(-1)], D(100), D(50), [1, 1]),
    ],
)
def test_histogram(scores, max_score, width, counts):
    bins = stats.histogram(scores, max_score=max_score, bin_width=width)
    assert [b.count for b in bins] == counts
    assert bins[0].low == 0
    assert bins[-1].high == max_score and bins[-1].closed
    assert sum(counts) == len(scores)


def test_histogram_labels():
    bins = stats.histogram([D(5)], max_score=D(100), bin_width=D(50))
    assert [b.label for b in bins] == ["0–<50", "50–100"]


def test_summary_and_trend():
    s = stats.summarize(registered=8, scores=SCORES, pass_mark=D(60), excellence_mark=D(90))
    assert (s.participants, s.passed, s.excellent, s.absent) == (6, 5, 2, 2)
    assert s.participation_rate == D("75.0")
    assert s.highest == D(100) and s.lowest == D("59.5")
    empty = stats.summarize(registered=0, scores=[], pass_mark=D(60), excellence_mark=D(90))
    assert empty.participation_rate is None and empty.mean is None and empty.highest is None
    trend = stats.trend_series([("1月", s), ("2月", empty)])
    assert [p.label for p in trend] == ["1月", "2月"]
    assert stats.series(trend, "pass_rate") == [("1月", D("83.3"))]


@pytest.mark.parametrize(
    ("count", "total", "threshold", "expected"),
    [(3, 10, D(20), True), (2, 10, D(20), False), (0, 0, D(0), False), (1, 3, D("33.3"), True)],
)
def test_share_exceeds(count, total, threshold, expected):
    assert stats.share_exceeds(count, total, threshold) is expected
