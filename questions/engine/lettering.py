"""Option letters as the officer sees them (pure Python, no Django).

Options are stored with stable keys ("A".."H" in written order) and shown in a per-officer
order. On the paper, the result, the review and the printed key the letters follow the order
shown: the first option shown is A, the second B, and so on. True/false items have no letters:
they are shown as 正确/错误 (``TRUE_KEY``/``FALSE_KEY``), which the web layer translates.
"""

from __future__ import annotations

from collections.abc import Sequence

from .types import OPTION_LETTERS, TRUE_FALSE_KEYS, parse_letters


def shown_letters(order: Sequence[str]) -> dict[str, str]:
    """Stored key -> the letter shown for it: ("C", "A", "B") -> {"C": "A", "A": "B", "B": "C"}."""
    return {key: OPTION_LETTERS[i] for i, key in enumerate(order) if i < len(OPTION_LETTERS)}


def shown_answer(response, order: Sequence[str]) -> str:
    """A response or key in stored keys, written in the letters shown ("" when unanswered).

    True/false answers ("T"/"F") are returned unchanged, for the caller to write as 正确/错误.
    Keys not on the paper are left out."""
    keys = parse_letters(response)
    if not keys:
        return ""
    if keys <= set(TRUE_FALSE_KEYS) and len(keys) == 1 and not set(order) - set(TRUE_FALSE_KEYS):
        return next(iter(keys))
    mapping = shown_letters(order)
    return "".join(sorted(mapping[k] for k in keys if k in mapping))
