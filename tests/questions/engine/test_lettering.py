"""Shown letters follow the order the options were shown in (questions.engine.lettering)."""

from questions.engine.lettering import shown_answer, shown_letters


def test_letters_follow_the_order_shown():
    assert shown_letters(("C", "A", "B", "D")) == {"C": "A", "A": "B", "B": "C", "D": "D"}
    assert shown_answer("A", ("C", "A", "B", "D")) == "B"
    assert shown_answer("AC", ("C", "A", "B", "D")) == "AB"
    assert shown_answer(["D", "B"], ("C", "A", "B", "D")) == "CD"


def test_unanswered_and_unknown_keys():
    assert shown_answer(None, ("A", "B")) == ""
    assert shown_answer("", ("A", "B")) == ""
    assert shown_answer("AZ", ("B", "A")) == "B"


def test_true_false_is_left_for_the_words():
    assert shown_answer("T", ("T", "F")) == "T"
    assert shown_answer("F", ("T", "F")) == "F"
