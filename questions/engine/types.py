"""Value types of the question bank, shared by practice and exams.

Pure Python (no Django): the models turn themselves into these types with
``Question.answer_key()`` and the scoring engine works on them only.

Option keys are the stable letters "A".."H" in the order the options were written.
Shuffling options for display is a presentation concern and never changes a stored key:
a response is always given in stored letters.

True/false (判断) questions use the two fixed keys ``TRUE_KEY`` ("T", 正确) and
``FALSE_KEY`` ("F", 错误).
"""

from __future__ import annotations

import enum
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

OPTION_LETTERS = "ABCDEFGH"
MIN_OPTIONS = 2
MAX_OPTIONS = len(OPTION_LETTERS)
TRUE_KEY = "T"
FALSE_KEY = "F"
TRUE_FALSE_KEYS = (TRUE_KEY, FALSE_KEY)


class QuestionType(enum.StrEnum):
    """单选 single, 多选 multiple, 判断 true_false, 案例分析 case (a case text with sub-questions)."""

    SINGLE = "single"
    MULTIPLE = "multiple"
    TRUE_FALSE = "true_false"
    CASE = "case"


class InvalidKey(ValueError):
    """An answer key that cannot be right (wrong number of answers, unknown letters ...)."""


def as_points(value) -> Decimal:
    """Points as a Decimal. Accepts int, Decimal or a decimal string; refuses float and bool.

    Floats are refused on purpose: 0.1 + 0.2 must never decide whether someone passes.
    """
    if isinstance(value, bool) or isinstance(value, float):
        raise TypeError(f"points must be int or Decimal, not {type(value).__name__}")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, str):
        try:
            result = Decimal(value.strip())
        except InvalidOperation as exc:
            raise ValueError(f"not a number of points: {value!r}") from exc
    else:
        raise TypeError(f"points must be int or Decimal, not {type(value).__name__}")
    if not result.is_finite():
        raise ValueError(f"points must be finite: {value!r}")
    if result < 0:
        raise ValueError(f"points cannot be negative: {value!r}")
    return result


def option_letters(count: int) -> tuple[str, ...]:
    """The keys of ``count`` options in written order: 3 -> ("A", "B", "C")."""
    if not MIN_OPTIONS <= count <= MAX_OPTIONS:
        raise ValueError(f"a question has {MIN_OPTIONS}-{MAX_OPTIONS} options, not {count}")
    return tuple(OPTION_LETTERS[:count])


def parse_letters(value) -> frozenset[str]:
    """Normalise a response or answer to a set of upper-case keys.

    Accepts None (unanswered), a string ("ABD", "A,B", "a b", "T"), or an iterable of keys.
    Separators (comma, Chinese comma, 、, spaces, semicolons) are ignored.
    """
    if value is None:
        return frozenset()
    if isinstance(value, str):
        cleaned = value.upper()
        for sep in (",", "，", "、", ";", "；", " ", "\t", "\n", "/"):
            cleaned = cleaned.replace(sep, "")
        return frozenset(cleaned)
    return frozenset(str(item).strip().upper() for item in value if str(item).strip())


@dataclass(frozen=True)
class AnswerKey:
    """The correct answer of one question with the points it is worth.

    ``ref`` identifies the question (usually its primary key) so that a sheet of responses
    can be matched to keys. For a case-analysis question, ``parts`` holds the keys of its
    sub-questions in order and ``points`` is their sum (``correct`` and ``options`` are empty).
    """

    qtype: QuestionType
    correct: frozenset[str] = frozenset()
    points: Decimal = Decimal(1)
    options: tuple[str, ...] = ()
    parts: tuple[AnswerKey, ...] = ()
    ref: Hashable = None

    def __post_init__(self):
        object.__setattr__(self, "qtype", QuestionType(self.qtype))
        object.__setattr__(self, "correct", parse_letters(self.correct))
        object.__setattr__(self, "parts", tuple(self.parts))
        qtype = self.qtype
        if qtype == QuestionType.CASE:
            if not self.parts:
                raise InvalidKey("a case-analysis question needs at least one sub-question")
            if any(part.qtype == QuestionType.CASE for part in self.parts):
                raise InvalidKey("case-analysis sub-questions cannot be case-analysis questions")
            if self.correct:
                raise InvalidKey("a case-analysis question has no key of its own")
            object.__setattr__(self, "options", ())
            object.__setattr__(self, "points", sum((p.points for p in self.parts), Decimal(0)))
            return
        if self.parts:
            raise InvalidKey(f"a {qtype} question has no sub-questions")
        object.__setattr__(self, "points", as_points(self.points))
        if qtype == QuestionType.TRUE_FALSE:
            object.__setattr__(self, "options", TRUE_FALSE_KEYS)
        else:
            options = tuple(self.options)
            if options != option_letters(len(options)):
                raise InvalidKey(f"options must be the letters A.. in order, got {options!r}")
            object.__setattr__(self, "options", options)
        unknown = self.correct - set(self.options)
        if unknown:
            raise InvalidKey(f"answer {''.join(sorted(unknown))} is not among the options")
        if not self.correct:
            raise InvalidKey("the question has no correct answer")
        if qtype in (QuestionType.SINGLE, QuestionType.TRUE_FALSE) and len(self.correct) != 1:
            raise InvalidKey(f"a {qtype} question has exactly one answer, got {len(self.correct)}")

    @property
    def answer_text(self) -> str:
        """The key as written: "ACD", "T"; sub-question keys joined by "|" for a case."""
        if self.qtype == QuestionType.CASE:
            return "|".join(part.answer_text for part in self.parts)
        return "".join(sorted(self.correct))

    @classmethod
    def single(cls, answer: str, *, options: int = 4, points=1, ref=None) -> AnswerKey:
        return cls(
            QuestionType.SINGLE,
            parse_letters(answer),
            as_points(points),
            option_letters(options),
            ref=ref,
        )

    @classmethod
    def multiple(cls, answer, *, options: int = 4, points=1, ref=None) -> AnswerKey:
        return cls(
            QuestionType.MULTIPLE,
            parse_letters(answer),
            as_points(points),
            option_letters(options),
            ref=ref,
        )

    @classmethod
    def true_false(cls, answer: bool | str, *, points=1, ref=None) -> AnswerKey:
        if isinstance(answer, bool):
            answer = TRUE_KEY if answer else FALSE_KEY
        return cls(QuestionType.TRUE_FALSE, parse_letters(answer), as_points(points), ref=ref)

    @classmethod
    def case(cls, parts: Iterable[AnswerKey], *, ref=None) -> AnswerKey:
        return cls(QuestionType.CASE, parts=tuple(parts), ref=ref)

    @classmethod
    def stored(
        cls, qtype, answer: str, points, options: Iterable[str], parts=(), *, ref=None
    ) -> AnswerKey:
        """The key of a question as the bank stores it: a case question is its parts (each
        already a key); a true/false question has the fixed options whatever is passed."""
        if QuestionType(qtype) == QuestionType.CASE:
            return cls.case(parts, ref=ref)
        if QuestionType(qtype) == QuestionType.TRUE_FALSE:
            options = ()
        return cls(qtype, answer, points, tuple(options), ref=ref)


class MultipleChoiceMode(enum.StrEnum):
    ALL_OR_NOTHING = "all_or_nothing"
    PARTIAL = "partial"


@dataclass(frozen=True)
class MultipleChoicePolicy:
    """How a multiple-choice (多选) question is scored.

    ``ALL_OR_NOTHING`` (the default, as in the qualification exams): full points only for
    exactly the right set. ``PARTIAL``: a non-empty, strict subset of the right options with
    no wrong option earns ``partial_share`` of the points (e.g. Decimal("0.5")); any wrong
    option earns nothing. Partial points are rounded down to ``places`` decimals, so partial
    credit never reaches the full points.
    """

    mode: MultipleChoiceMode = MultipleChoiceMode.ALL_OR_NOTHING
    partial_share: Decimal = Decimal("0.5")
    places: int = 2

    def __post_init__(self):
        object.__setattr__(self, "mode", MultipleChoiceMode(self.mode))
        share = self.partial_share
        if isinstance(share, float | bool):
            raise TypeError("partial_share must be a Decimal or int, not float")
        share = Decimal(share) if not isinstance(share, Decimal) else share
        if not Decimal(0) <= share < Decimal(1):
            raise ValueError("partial_share must be at least 0 and below 1")
        object.__setattr__(self, "partial_share", share)
        if self.places < 0:
            raise ValueError("places cannot be negative")

    @classmethod
    def partial(cls, share="0.5", *, places: int = 2) -> MultipleChoicePolicy:
        return cls(
            MultipleChoiceMode.PARTIAL,
            Decimal(str(share)) if isinstance(share, str) else share,
            places,
        )


DEFAULT_POLICY = MultipleChoicePolicy()


@dataclass(frozen=True)
class ItemScore:
    """The score of one question. ``parts`` holds sub-question scores for a case."""

    ref: Hashable
    qtype: QuestionType
    awarded: Decimal
    max: Decimal
    correct: bool
    answered: bool
    partial: bool = False
    parts: tuple[ItemScore, ...] = field(default=())
    response: frozenset[str] = frozenset()


@dataclass(frozen=True)
class SheetScore:
    """The score of a whole answer sheet (an exam paper or a practice set)."""

    items: tuple[ItemScore, ...]
    awarded: Decimal
    max: Decimal

    @property
    def correct_count(self) -> int:
        return sum(1 for item in self.items if item.correct)

    @property
    def answered_count(self) -> int:
        return sum(1 for item in self.items if item.answered)

    def by_ref(self) -> dict:
        return {item.ref: item for item in self.items}
