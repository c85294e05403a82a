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

    @property
    def sides(self) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
        """The red-line split for side by side: the old text with its deleted characters marked,
        the new text with its inserted characters marked."""
        return split_sides(self.redline)


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
    """[(op, text)] with op in "equal", "delete", "insert"; line breaks are kept as "\\n".

    As a 公文 red-line reads: each changed passage is the deleted text (struck) followed by the
    inserted text (underlined). A single unchanged character between two changes (一千元 →
    二千元 … 五千 → 一万) is taken into the change, so the reader sees whole phrases replaced
    rather than a scatter of single characters."""
    matcher = difflib.SequenceMatcher(None, old_text, new_text, autojunk=False)
    ops: list[tuple[str, str, str]] = []  # (tag, old part, new part)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        ops.append((tag, old_text[i1:i2], new_text[j1:j2]))
    # absorb one-character equal runs that sit between two changes
    merged: list[tuple[str, str, str]] = []
    for n, (tag, old_part, new_part) in enumerate(ops):
        between = 0 < n < len(ops) - 1 and ops[n - 1][0] != "equal" and ops[n + 1][0] != "equal"
        if tag == "equal" and between and len(old_part) <= 1:
            tag = "replace"
        if merged and tag != "equal" and merged[-1][0] != "equal":
            _t, o, w = merged.pop()
            merged.append(("replace", o + old_part, w + new_part))
        else:
            merged.append((tag, old_part, new_part))
    out: list[tuple[str, str]] = []
    for tag, old_part, new_part in merged:
        if tag == "equal":
            out.append(("equal", old_part))
            continue
        if old_part:
            out.append(("delete", old_part))
        if new_part:
            out.append(("insert", new_part))
    return out


def split_sides(
    ops: Sequence[tuple[str, str]],
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Old column (equal + delete) and new column (equal + insert) of a red-line."""
    old = [(op, text) for op, text in ops if op in ("equal", "delete")]
    new = [(op, text) for op, text in ops if op in ("equal", "insert")]
    return old, new


def summary(diffs: Sequence[ArticleDiff]) -> dict[str, int]:
    counts = {ADDED: 0, REMOVED: 0, CHANGED: 0, SAME: 0}
    for d in diffs:
        counts[d.kind] += 1
    return counts
