"""Scoring of answers against answer keys (pure Python, no Django).

    >>> from questions.engine.types import AnswerKey, MultipleChoicePolicy
    >>> score_item(AnswerKey.multiple("ACD"), "AC", MultipleChoicePolicy.partial("0.5")).awarded
    Decimal('0.50')

Rules:
- single choice and true/false: full points for exactly the key, else 0;
- multiple choice: by ``MultipleChoicePolicy`` (all-or-nothing by default, optional partial credit
  for a correct non-empty subset with no wrong option);
- case analysis: the sum of its sub-questions, each scored by its own rule;
- an unanswered item (None, "" or an empty set) scores 0 and is not "answered";
- a letter that is not among the options counts as a wrong choice.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import ROUND_DOWN, Decimal

from .types import (
    DEFAULT_POLICY,
    AnswerKey,
    ItemScore,
    MultipleChoiceMode,
    MultipleChoicePolicy,
    QuestionType,
    SheetScore,
    parse_letters,
)

ZERO = Decimal(0)


def _case_part_responses(key: AnswerKey, response) -> list:
    """Responses to a case's sub-questions, aligned with ``key.parts``.

    A case response is either a sequence in sub-question order or a mapping keyed by each
    part's ``ref`` (falling back to its position when parts have no ref).
    """
    count = len(key.parts)
    if response is None or response == "":
        return [None] * count
    if isinstance(response, Mapping):
        result = []
        for index, part in enumerate(key.parts):
            lookup = part.ref if part.ref is not None else index
            result.append(response.get(lookup))
        return result
    if isinstance(response, str):
        raise TypeError(
            "a case-analysis response is a sequence or mapping of sub-question responses"
        )
    items = list(response)
    if len(items) > count:
        raise ValueError(f"{len(items)} responses for a case with {count} sub-questions")
    return items + [None] * (count - len(items))


def score_item(key: AnswerKey, response, policy: MultipleChoicePolicy | None = None) -> ItemScore:
    """Score one response against one key."""
    policy = policy or DEFAULT_POLICY
    if key.qtype == QuestionType.CASE:
        parts = tuple(
            score_item(part, part_response, policy)
            for part, part_response in zip(
                key.parts, _case_part_responses(key, response), strict=True
            )
        )
        awarded = sum((p.awarded for p in parts), ZERO)
        return ItemScore(
            ref=key.ref,
            qtype=key.qtype,
            awarded=awarded,
            max=key.points,
            correct=all(p.correct for p in parts),
            answered=any(p.answered for p in parts),
            partial=ZERO < awarded < key.points,
            parts=parts,
        )

    chosen = parse_letters(response)
    if not chosen:
        return ItemScore(key.ref, key.qtype, ZERO, key.points, correct=False, answered=False)
    if chosen == key.correct:
        return ItemScore(
            key.ref, key.qtype, key.points, key.points, correct=True, answered=True, response=chosen
        )
    awarded = ZERO
    if (
        key.qtype == QuestionType.MULTIPLE
        and policy.mode == MultipleChoiceMode.PARTIAL
        and chosen < key.correct  # strict, non-empty subset: no wrong option chosen
    ):
        # Rounded down: partial credit must never reach the points of a right answer.
        quantum = Decimal(1).scaleb(-policy.places)
        awarded = (key.points * policy.partial_share).quantize(quantum, rounding=ROUND_DOWN)
    return ItemScore(
        key.ref,
        key.qtype,
        awarded,
        key.points,
        correct=False,
        answered=True,
        partial=awarded > ZERO,
        response=chosen,
    )


def score_sheet(
    keys: Sequence[AnswerKey],
    responses: Mapping | Sequence,
    policy: MultipleChoicePolicy | None = None,
) -> SheetScore:
    """Score a sheet of responses.

    ``responses`` is a mapping keyed by each key's ``ref`` (missing refs are unanswered) or a
    sequence aligned with ``keys``. Keys must have distinct refs when a mapping is used.
    """
    keys = list(keys)
    if isinstance(responses, Mapping):
        refs = [k.ref for k in keys]
        if len(set(refs)) != len(refs):
            raise ValueError("answer keys must have distinct refs")
        aligned = [responses.get(ref) for ref in refs]
    else:
        aligned = list(responses)
        if len(aligned) > len(keys):
            raise ValueError(f"{len(aligned)} responses for {len(keys)} questions")
        aligned += [None] * (len(keys) - len(aligned))
    items = tuple(score_item(k, r, policy) for k, r in zip(keys, aligned, strict=True))
    return SheetScore(
        items=items,
        awarded=sum((i.awarded for i in items), ZERO),
        max=sum((i.max for i in items), ZERO),
    )
