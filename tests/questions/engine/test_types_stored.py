"""``AnswerKey.stored``: the one way the bank's rows (model instances or plain values) become
keys (pure, no Django)."""

from decimal import Decimal

from questions.engine.types import AnswerKey, QuestionType


def test_true_false_keeps_its_fixed_options_whatever_is_passed():
    key = AnswerKey.stored("true_false", "T", 2, ("A", "B", "C"), ref=7)
    assert key.options == AnswerKey(QuestionType.TRUE_FALSE, "T", 2).options
    assert key.points == Decimal(2) and key.ref == 7


def test_a_choice_question_keeps_its_letters_and_a_case_is_its_parts():
    single = AnswerKey.stored("single", "B", 1, ("A", "B", "C", "D"), ref=1)
    multiple = AnswerKey.stored("multiple", "AC", Decimal("1.5"), ("A", "B", "C"), ref=2)
    case = AnswerKey.stored("case", "", 0, (), [single, multiple], ref=3)
    assert single.options == ("A", "B", "C", "D") and single.answer_text == "B"
    assert case.qtype == QuestionType.CASE and case.parts == (single, multiple)
    assert case.points == Decimal("2.5")
