"""Table-driven tests of the scoring engine (no database)."""

from decimal import Decimal

import pytest

from questions.engine.scoring import score_item, score_sheet
from questions.engine.types import (
    AnswerKey,
    InvalidKey,
    MultipleChoiceMode,
    MultipleChoicePolicy,
    QuestionType,
    as_points,
    option_letters,
    parse_letters,
)

D = Decimal
ALL_OR_NOTHING = MultipleChoicePolicy()
HALF = MultipleChoicePolicy.partial("0.5")
THIRD = MultipleChoicePolicy.partial(D("0.333"), places=2)


@pytest.mark.parametrize(
    ("key", "response", "awarded", "correct", "answered"),
    [
        # single choice
        (AnswerKey.single("B"), "B", D(1), True, True),
        (AnswerKey.single("B"), "b", D(1), True, True),
        (AnswerKey.single("B"), "A", D(0), False, True),
        (AnswerKey.single("B"), "AB", D(0), False, True),
        (AnswerKey.single("B"), None, D(0), False, False),
        (AnswerKey.single("B"), "", D(0), False, False),
        (AnswerKey.single("B"), [], D(0), False, False),
        (AnswerKey.single("B", points=2), "B", D(2), True, True),
        (AnswerKey.single("B", points=D("1.5")), "B", D("1.5"), True, True),
        (AnswerKey.single("H", options=8), "H", D(1), True, True),
        (AnswerKey.single("B"), "Z", D(0), False, True),  # unknown letter counts as wrong
        # true/false
        (AnswerKey.true_false(True), "T", D(1), True, True),
        (AnswerKey.true_false(True), "F", D(0), False, True),
        (AnswerKey.true_false(False), "F", D(1), True, True),
        (AnswerKey.true_false("F", points=2), "f", D(2), True, True),
        (AnswerKey.true_false(False), None, D(0), False, False),
        # multiple choice, all-or-nothing default
        (AnswerKey.multiple("ACD"), "ACD", D(1), True, True),
        (AnswerKey.multiple("ACD"), "DCA", D(1), True, True),
        (AnswerKey.multiple("ACD"), "A,C,D", D(1), True, True),
        (AnswerKey.multiple("ACD"), ["A", "C", "D"], D(1), True, True),
        (AnswerKey.multiple("ACD"), "AC", D(0), False, True),
        (AnswerKey.multiple("ACD"), "ABCD", D(0), False, True),
        (AnswerKey.multiple("ACD", points=2), None, D(0), False, False),
    ],
)
def test_default_policy(key, response, awarded, correct, answered):
    score = score_item(key, response)
    assert score.awarded == awarded
    assert isinstance(score.awarded, Decimal)
    assert score.correct is correct
    assert score.answered is answered
    assert score.max == key.points


@pytest.mark.parametrize(
    ("policy", "key", "response", "awarded", "partial"),
    [
        (HALF, AnswerKey.multiple("ACD", points=2), "ACD", D(2), False),
        (HALF, AnswerKey.multiple("ACD", points=2), "AC", D(1), True),
        (HALF, AnswerKey.multiple("ACD", points=2), "A", D(1), True),
        (HALF, AnswerKey.multiple("ACD", points=2), "AB", D(0), False),  # a wrong option: nothing
        (HALF, AnswerKey.multiple("ACD", points=2), "ABCD", D(0), False),  # superset: nothing
        (HALF, AnswerKey.multiple("ACD", points=2), "", D(0), False),  # empty is unanswered
        (HALF, AnswerKey.multiple("AB", points=3), "A", D("1.50"), True),
        (THIRD, AnswerKey.multiple("AB", points=1), "B", D("0.33"), True),
        # rounded down: half of one point in whole points is nothing, never a full point
        (
            MultipleChoicePolicy.partial("0.5", places=0),
            AnswerKey.multiple("AB", points=1),
            "B",
            D(0),
            False,
        ),
        (
            MultipleChoicePolicy.partial("0.5", places=0),
            AnswerKey.multiple("AB", points=3),
            "B",
            D(1),
            True,
        ),
        (MultipleChoicePolicy.partial(0), AnswerKey.multiple("AB", points=1), "B", D(0), False),
        (ALL_OR_NOTHING, AnswerKey.multiple("AB", points=1), "B", D(0), False),
        # partial credit applies to multiple choice only
        (HALF, AnswerKey.single("A"), "B", D(0), False),
    ],
)
def test_partial_credit_policy(policy, key, response, awarded, partial):
    score = score_item(key, response, policy)
    assert score.awarded == awarded
    assert score.partial is partial
    assert score.correct is (awarded == key.points)


def _case():
    return AnswerKey.case(
        [
            AnswerKey.single("A", points=2, ref="p1"),
            AnswerKey.multiple("BC", points=3, ref="p2"),
            AnswerKey.single("D", points=1, ref="p3"),
        ],
        ref="case",
    )


@pytest.mark.parametrize(
    ("response", "policy", "awarded", "correct", "answered", "part_awards"),
    [
        (["A", "BC", "D"], None, D(6), True, True, [D(2), D(3), D(1)]),
        (["A", "B", "D"], None, D(3), False, True, [D(2), D(0), D(1)]),
        (["A", "B", "D"], HALF, D("4.50"), False, True, [D(2), D("1.50"), D(1)]),
        ({"p2": "CB"}, None, D(3), False, True, [D(0), D(3), D(0)]),
        (["A"], None, D(2), False, True, [D(2), D(0), D(0)]),
        (None, None, D(0), False, False, [D(0), D(0), D(0)]),
        ([None, "", []], None, D(0), False, False, [D(0), D(0), D(0)]),
    ],
)
def test_case_analysis_is_the_sum_of_its_parts(
    response, policy, awarded, correct, answered, part_awards
):
    score = score_item(_case(), response, policy)
    assert score.max == D(6)
    assert score.awarded == awarded
    assert score.correct is correct
    assert score.answered is answered
    assert [p.awarded for p in score.parts] == part_awards
    assert [p.ref for p in score.parts] == ["p1", "p2", "p3"]


def test_case_rejects_more_responses_than_parts():
    with pytest.raises(ValueError):
        score_item(_case(), ["A", "B", "C", "D"])


def test_score_sheet_by_mapping_and_sequence():
    keys = [
        AnswerKey.single("A", points=2, ref=1),
        AnswerKey.multiple("AB", points=4, ref=2),
        AnswerKey.true_false(False, points=1, ref=3),
        _case(),
    ]
    by_ref = score_sheet(keys, {1: "A", 2: "A", 3: "F", "case": ["A", "BC", "A"]}, HALF)
    assert by_ref.max == D(13)
    assert by_ref.awarded == D(2) + D(2) + D(1) + D(5)
    assert by_ref.correct_count == 2
    assert by_ref.answered_count == 4
    assert by_ref.by_ref()[2].partial

    aligned = score_sheet(keys, ["A", "AB"])
    assert aligned.awarded == D(6)
    assert aligned.answered_count == 2
    assert score_sheet([], {}).awarded == D(0)


def test_score_sheet_rejects_duplicate_refs():
    with pytest.raises(ValueError):
        score_sheet([AnswerKey.single("A", ref=1), AnswerKey.single("B", ref=1)], {1: "A"})


@pytest.mark.parametrize(
    ("build", "error"),
    [
        (lambda: AnswerKey.single("AB"), InvalidKey),  # single choice with two answers
        (lambda: AnswerKey.single("E"), InvalidKey),  # not among options A-D
        (lambda: AnswerKey.single(""), InvalidKey),
        (lambda: AnswerKey.multiple("", options=4), InvalidKey),
        (lambda: AnswerKey.true_false("TF"), InvalidKey),
        (lambda: AnswerKey.true_false("A"), InvalidKey),
        (lambda: AnswerKey.single("A", options=1), ValueError),
        (lambda: AnswerKey.single("A", options=9), ValueError),
        (lambda: AnswerKey(QuestionType.SINGLE, "A", D(1), ("A", "C")), InvalidKey),
        (lambda: AnswerKey.case([]), InvalidKey),
        (lambda: AnswerKey.case([AnswerKey.case([AnswerKey.single("A")])]), InvalidKey),
        (lambda: AnswerKey.single("A", points=1.5), TypeError),
        (lambda: AnswerKey.single("A", points=True), TypeError),
        (lambda: AnswerKey.single("A", points=-1), ValueError),
        (lambda: MultipleChoicePolicy(MultipleChoiceMode.PARTIAL, 0.5), TypeError),
        (lambda: MultipleChoicePolicy.partial("1.5"), ValueError),
        (
            lambda: MultipleChoicePolicy.partial("1"),
            ValueError,
        ),  # a subset is never worth a right answer
        (lambda: AnswerKey("essay", "A"), ValueError),
    ],
)
def test_invalid_keys_and_policies_are_refused(build, error):
    with pytest.raises(error):
        build()


def test_case_points_are_the_sum_of_part_points_and_never_float():
    key = _case()
    assert key.points == D(6)
    assert key.answer_text == "A|BC|D"
    assert isinstance(score_item(key, ["A"]).awarded, Decimal)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, frozenset()),
        ("abd", frozenset("ABD")),
        ("A，B、C", frozenset("ABC")),
        (["a", " b "], frozenset("AB")),
        ("", frozenset()),
    ],
)
def test_parse_letters(value, expected):
    assert parse_letters(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"), [(3, D(3)), (D("2.5"), D("2.5")), ("1.25", D("1.25"))]
)
def test_as_points(value, expected):
    assert as_points(value) == expected


def test_option_letters_are_written_order():
    assert option_letters(5) == ("A", "B", "C", "D", "E")
