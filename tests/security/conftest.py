"""Fixtures of the hostile-input tests: the exams bank and exam factory, the question factory
and the casebook's case library are reused from their own folders."""

from tests.casebook.conftest import add_law, case_index, make_case, public_order_law  # noqa: F401
from tests.exams.conftest import bank, correct_answers, make_exam  # noqa: F401
from tests.questions.conftest import make_question  # noqa: F401
