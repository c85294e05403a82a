"""Item analysis: facility, upper/lower 27 % discrimination, option counts, alpha/KR-20, flags."""

from decimal import Decimal as D

import pytest

from questions.engine.item_analysis import (
    FLAG_EASY,
    FLAG_FEW,
    FLAG_HARD,
    FLAG_NEGATIVE,
    AttemptRecord,
    ItemResponse,
    analyse,
    group_by,
)


def _by_question(analysis):
    return {item.question_id: item for item in analysis.items}


def attempt(aid, marks, choices=None):
    """marks: {question_id: 0/1}; every item is worth 1 point."""
    choices = choices or {}
    return AttemptRecord(
        aid,
        tuple(
            ItemResponse(qid, D(m), D(1), choices.get(qid, ("A",) if m else ("B",)))
            for qid, m in marks.items()
        ),
    )


# Ten examinees, four items. Item 1 tracks ability, item 2 everyone gets right,
# item 3 only weak examinees get right (negative), item 4 nobody gets right.
ABILITY = [10, 9, 8, 7, 6, 5, 4, 3, 2, 1]
ATTEMPTS = [
    attempt(
        i,
        {
            1: int(a > 5),
            2: 1,
            3: int(a <= 3),
            4: 0,
            5: int(a > 3),
            6: int(a > 2),
            7: int(a > 6),
            8: int(a > 4),
        },
    )
    for i, a in enumerate(ABILITY)
]


def test_facility():
    items = _by_question(analyse(ATTEMPTS))
    assert items[1].facility == D("0.500")
    assert items[2].facility == D("1.000")
    assert items[3].facility == D("0.300")
    assert items[4].facility == D("0.000")


def test_discrimination_and_flags():
    items = _by_question(analyse(ATTEMPTS))
    assert items[1].discrimination == D("1.000")  # top 3 all right, bottom 3 all wrong
    assert items[3].discrimination < 0
    assert items[2].discrimination == D("0.000")
    assert items[1].point_biserial > D("0.5")
    assert items[2].point_biserial is None  # no variance
    assert FLAG_NEGATIVE in items[3].flags
    assert FLAG_EASY in items[2].flags
    assert FLAG_HARD in items[4].flags
    assert items[1].flags == ()


@pytest.mark.parametrize(("min_responses", "flagged"), [(10, False), (11, True)])
def test_few_responses_flag(min_responses, flagged):
    items = _by_question(analyse(ATTEMPTS, min_responses=min_responses))
    assert (FLAG_FEW in items[1].flags) is flagged


def test_option_counts_and_unanswered():
    records = [
        AttemptRecord(1, (ItemResponse(7, D(2), D(2), ("A", "C")),)),
        AttemptRecord(2, (ItemResponse(7, D(0), D(2), ("A",)),)),
        AttemptRecord(3, (ItemResponse(7, D(0), D(2), None),)),
    ]
    item = analyse(records).items[0]
    assert item.option_counts == {"A": 2, "C": 1}
    assert item.unanswered == 1
    assert item.responses == 3


def test_cronbach_alpha_equals_kr20_for_dichotomous_items():
    paper = analyse(ATTEMPTS).paper
    assert paper.shared_items == 8
    assert paper.cronbach_alpha is not None
    assert paper.kr20 == paper.cronbach_alpha


def test_alpha_known_value():
    # Three items, four examinees; hand-computed alpha = 0.75.
    data = [[1, 1, 1], [1, 1, 0], [1, 0, 0], [0, 0, 0]]
    records = [
        AttemptRecord(i, tuple(ItemResponse(j, D(v), D(1)) for j, v in enumerate(row)))
        for i, row in enumerate(data)
    ]
    assert analyse(records).paper.cronbach_alpha == D("0.750")


def test_partial_credit_gives_alpha_but_no_kr20():
    records = [
        AttemptRecord(i, (ItemResponse(1, D(s1), D(2)), ItemResponse(2, D(s2), D(2))))
        for i, (s1, s2) in enumerate([(2, 2), (1, 1), (0, 1), (0, 0)])
    ]
    paper = analyse(records).paper
    assert paper.cronbach_alpha is not None and paper.kr20 is None


@pytest.mark.parametrize(
    "records",
    [
        [],
        [AttemptRecord(1, (ItemResponse(1, D(1), D(1)), ItemResponse(2, D(1), D(1))))],
        # random papers: nothing shared
        [
            AttemptRecord(1, (ItemResponse(1, D(1), D(1)),)),
            AttemptRecord(2, (ItemResponse(2, D(0), D(1)),)),
        ],
        # identical totals
        [
            AttemptRecord(i, (ItemResponse(1, D(1), D(1)), ItemResponse(2, D(1), D(1))))
            for i in range(3)
        ],
    ],
)
def test_alpha_undefined_cases_have_a_reason(records):
    paper = analyse(records).paper
    assert paper.cronbach_alpha is None
    assert paper.alpha_note


def test_questions_only_on_some_papers_use_their_own_attempts():
    records = [
        AttemptRecord(1, (ItemResponse(1, D(1), D(1)), ItemResponse(2, D(1), D(1)))),
        AttemptRecord(2, (ItemResponse(1, D(0), D(1)), ItemResponse(3, D(1), D(1)))),
    ]
    items = _by_question(analyse(records))
    assert items[2].responses == 1 and items[3].responses == 1
    assert items[1].responses == 2 and items[1].facility == D("0.500")


def test_group_by_article():
    analysis = analyse(ATTEMPTS)
    cites = {1: ["刑法第133条"], 2: ["刑法第133条", "刑诉法第82条"], 3: ["刑诉法第82条"]}
    groups = {g.key: g for g in group_by(analysis, lambda qid: cites.get(qid, []))}
    assert set(groups) == {"刑法第133条", "刑诉法第82条"}
    assert groups["刑法第133条"].questions == 2
    assert groups["刑法第133条"].facility == D("0.750")
    assert groups["刑诉法第82条"].flagged == 2
