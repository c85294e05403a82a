"""Scores, grades and rankings over plain values (no database)."""

from decimal import Decimal as Dec

import pytest

from evaluation.scoring import (
    EXCELLENT,
    QUALIFIED,
    UNQUALIFIED,
    Deduction,
    EvaluatedRecord,
    period_figures,
    rank,
    score_case,
)

LINES = {"full_score": Dec(100), "pass_line": Dec(80), "excellent_line": Dec(95)}


def test_no_problem_is_full_score_and_excellent():
    result = score_case([], **LINES)
    assert (result.score, result.grade, result.vetoed) == (Dec(100), EXCELLENT, False)


def test_deductions_add_up_and_grade_follows_the_lines():
    assert score_case([Deduction("a", Dec(5))], **LINES).grade == EXCELLENT  # 95: on the line
    r = score_case([Deduction("a", Dec(5)), Deduction("b", Dec(10))], **LINES)
    assert (r.score, r.grade) == (Dec(85), QUALIFIED)
    r = score_case([Deduction("a", Dec(15)), Deduction("b", Dec(10))], **LINES)
    assert (r.score, r.grade) == (Dec(75), UNQUALIFIED)


def test_score_never_below_zero():
    assert score_case([Deduction("a", Dec(70))] * 2, **LINES).score == Dec(0)


def test_veto_item_fails_the_case_whatever_the_score():
    r = score_case([Deduction("x", Dec(1), fails_case=True)], **LINES)
    assert (r.score, r.grade, r.vetoed) == (Dec(99), UNQUALIFIED, True)


def test_lines_out_of_order_are_refused():
    with pytest.raises(ValueError):
        score_case([], full_score=Dec(100), pass_line=Dec(96), excellent_line=Dec(95))


def test_period_figures_and_ranking_with_change_since_last_period():
    records = [
        EvaluatedRecord("A", Dec(100), EXCELLENT, rectifications=0),
        EvaluatedRecord("A", Dec(90), QUALIFIED, (("law", "适用错误"),), 2, 1),
        EvaluatedRecord("B", Dec(95), EXCELLENT),
        EvaluatedRecord(
            "C", Dec(70), UNQUALIFIED, (("law", "适用错误"), ("procedure", "超期")), 1, 1
        ),
    ]
    figures = period_figures(records)
    assert figures["A"].mean_score == Dec("95.00") and figures["A"].cases == 2
    assert figures["A"].rectification_rate == Dec("50.0")
    assert figures["C"].by_ground == {"law": 1, "procedure": 1}
    ranked = rank(figures, previous={"A": 1, "B": 3})
    # A and B tie on 95.00; A has more excellent cases? both 1 — then fewer unqualified (0 = 0),
    # then name: A before B.
    assert [(g.group, g.rank, g.rank_change) for g in ranked] == [
        ("A", 1, 0),
        ("B", 2, 1),
        ("C", 3, None),
    ]


def test_adjustment_changes_the_ranking():
    figures = period_figures(
        [EvaluatedRecord("A", Dec(90), QUALIFIED), EvaluatedRecord("B", Dec(88), QUALIFIED)]
    )
    ranked = rank(figures, adjustments={"B": Dec(3)})
    assert [(g.group, g.final_score) for g in ranked] == [("B", Dec("91.00")), ("A", Dec("90.00"))]
