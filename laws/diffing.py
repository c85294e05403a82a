"""Compare two versions of a law article by article. Pure Python, no Django.

`compare_articles(old, new)` pairs articles by their stable key (number, suffix) and says
which were added, removed, changed or unchanged; `redline(old_text, new_text)` gives the
character-level inline red-line (Chinese has no word spaces, so characters are the unit).
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from laws.parsing import normalise_whitespace

ADDED, REMOVED, CHANGED, SAME = "added", "removed", "changed", "same"


class ArticleLike(Protocol):
    number: int
    suffix: int
    text: str


@dataclass
class ArticleDiff:
    kind: str
    key: tuple[int, int]
    old: Any = None
    new: Any = None

    @property
    def redline(self) -> list[tuple[str, str]]:
        return redline(self.old.text if self.old else "", self.new.text if self.new else "")


def _same(a: str, b: str) -> bool:
    return normalise_whitespace(a) == normalise_whitespace(b)


def compare_articles(old: Sequence[ArticleLike], new: Sequence[ArticleLike]) -> list[ArticleDiff]:
    """Article-by-article comparison, in the order of the new version (removed ones where they were)."""
    old_by_key = {(a.number, a.suffix): a for a in old}
    new_by_key = {(a.number, a.suffix): a for a in new}
    keys = sorted(set(old_by_key) | set(new_by_key))
    result = []
    for key in keys:
        o, n = old_by_key.get(key), new_by_key.get(key)
        if o is None:
            result.append(ArticleDiff(ADDED, key, None, n))
        elif n is None:
            result.append(ArticleDiff(REMOVED, key, o, None))
        elif _same(o.text, n.text):
            result.append(ArticleDiff(SAME, key, o, n))
        else:
            result.append(ArticleDiff(CHANGED, key, o, n))
    return result


def redline(old_text: str, new_text: str) -> list[tuple[str, str]]:
    """[(op, text)] with op in "equal", "delete", "insert"; line breaks are kept as "\\n"."""
    matcher = difflib.SequenceMatcher(None, old_text, new_text, autojunk=False)
    out: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out.append(("equal", old_text[i1:i2]))
        else:
            if i2 > i1:
                out.append(("delete", old_text[i1:i2]))
            if j2 > j1:
                out.append(("insert", new_text[j1:j2]))
    return out


def summary(diffs: Sequence[ArticleDiff]) -> dict[str, int]:
    counts = {ADDED: 0, REMOVED: 0, CHANGED: 0, SAME: 0}
    for d in diffs:
        counts[d.kind] += 1
    return counts
