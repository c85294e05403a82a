"""Pure parsing for compilation items (no Django): which articles a staff member asked for, and
which heading of a version a heading item names.

- ``parse_article_spec("第十条、第十二条至第十五条、第一百三十三条之一")`` → ranges of article keys
  ``((10, 0), (10, 0)), ((12, 0), (15, 0)), ((133, 1), (133, 1))``. Arabic numerals work too
  (``10、12-15、133之1``); separators are 、，,；; and spaces; ranges use 至, 到, -, –, —, ~ or ～.
- ``select_articles(ranges, keys)`` picks, in text order, the keys of a version inside the ranges
  (a range also takes the 之一 articles between its ends) and says which endpoints are missing.
- ``match_heading(spec, headings)`` finds the one heading named by ``第三章`` or by its full text
  (``第三章 违反治安管理的行为和处罚``), or by a path (``第三章 第一节``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from laws.numerals import CN_NUMERAL_CHARS, article_label, cn_to_int, to_ascii_digits

Key = tuple[int, int]

_NUM = f"[{CN_NUMERAL_CHARS}0-9０-９]+"
_ONE = rf"(?:第\s*(?P<{{n}}>{_NUM})\s*条|(?P<{{a}}>[0-9０-９]+))(?:\s*之\s*(?P<{{s}}>{_NUM}))?"
_SINGLE = _ONE.format(n="n1", a="a1", s="s1")
_SECOND = _ONE.format(n="n2", a="a2", s="s2")
_ITEM_RE = re.compile(rf"^{_SINGLE}(?:\s*(?:至|到|-|–|—|~|～)\s*{_SECOND})?$")
_SPLIT_RE = re.compile(r"[、，,；;\s]+")
MAX_RANGES = 200


# What can be wrong with a spec (code -> message with its parameters). Callers with Django at
# hand translate by code (compilations.blocks); the Chinese text here is the default.
MESSAGES = {
    "empty_articles": "请填写条文，例如：第十条、第十二条至第十五条",
    "too_many": "一次最多填写 {limit} 处条文",
    "not_article": "“{fragment}”不是条文序号，应写作 第十条、第十二条至第十五条 或 10、12-15",
    "bad_number": "“{fragment}”中的数字无法识别",
    "zero": "“{fragment}”：条号必须大于 0",
    "backwards": "“{fragment}”：范围的终点在起点之前",
    "empty_heading": "请填写章节，例如：第三章",
    "ambiguous_heading": "“{spec}”在该版本中有 {count} 处，请连同上级标题填写，例如：第三章 {spec}",
    "no_heading": "该版本中没有“{spec}”这一章节",
}


class SpecError(ValueError):
    """A spec staff typed that cannot be read; ``code`` and ``params`` name what and where."""

    def __init__(self, code: str, **params):
        self.code = code
        self.params = params
        super().__init__(MESSAGES[code].format(**params))


@dataclass(frozen=True)
class Range:
    start: Key
    end: Key

    @property
    def label(self) -> str:
        first = article_label(*self.start)
        return first if self.start == self.end else f"{first}至{article_label(*self.end)}"


def _key(match: re.Match, n: str, a: str, s: str) -> Key:
    raw = match.group(n) or match.group(a)
    number = cn_to_int(to_ascii_digits(raw))
    suffix = cn_to_int(to_ascii_digits(match.group(s))) if match.group(s) else 0
    return (number, suffix)


def parse_article_spec(text: str) -> list[Range]:
    """The article ranges a spec names, in the order written. Raises ``SpecError``."""
    text = (text or "").replace("\u3000", " ").strip()
    # "第十二条至第十五条" may be written with spaces around 至; join them before splitting.
    text = re.sub(r"\s*(至|到|-|–|—|~|～)\s*", r"\1", text)
    fragments = [f for f in _SPLIT_RE.split(text) if f]
    if not fragments:
        raise SpecError("empty_articles")
    if len(fragments) > MAX_RANGES:
        raise SpecError("too_many", limit=MAX_RANGES)
    ranges: list[Range] = []
    for fragment in fragments:
        match = _ITEM_RE.match(fragment)
        if match is None:
            raise SpecError("not_article", fragment=fragment)
        try:
            start = _key(match, "n1", "a1", "s1")
            end = (
                _key(match, "n2", "a2", "s2") if (match.group("n2") or match.group("a2")) else start
            )
        except ValueError as exc:
            raise SpecError("bad_number", fragment=fragment) from exc
        if start[0] <= 0 or end[0] <= 0:
            raise SpecError("zero", fragment=fragment)
        if end < start:
            raise SpecError("backwards", fragment=fragment)
        ranges.append(Range(start, end))
    return ranges


def select_articles(ranges: Sequence[Range], keys: Sequence[Key]) -> tuple[list[Key], list[str]]:
    """The keys (in the version's order, each once) inside the ranges, and the labels of range
    endpoints the version does not hold (an item naming them is refused)."""
    present = set(keys)
    missing: list[str] = []
    for r in ranges:
        for end in dict.fromkeys((r.start, r.end)):
            if end not in present:
                missing.append(article_label(*end))
    chosen = [k for k in keys if any(r.start <= k <= r.end for r in ranges)]
    return chosen, list(dict.fromkeys(missing))


@dataclass(frozen=True)
class HeadingRow:
    """A heading of a version: its position in the text and its rank (编 1 … 节 4)."""

    index: int
    text: str
    rank: int
    position: int  # articles before the heading


def _label(text: str) -> str:
    """第三章 of "第三章 违反治安管理的行为和处罚" (the part before the first space)."""
    return re.split(r"[\s\u3000]+", text.strip(), maxsplit=1)[0]


def _norm(text: str) -> str:
    return re.sub(r"[\s\u3000]+", " ", (text or "").strip())


def match_heading(spec: str, headings: Sequence[HeadingRow]) -> HeadingRow:
    """The heading ``spec`` names. Raises ``SpecError`` when none or several match."""
    spec = _norm(spec)
    if not spec:
        raise SpecError("empty_heading")
    exact = [h for h in headings if _norm(h.text) == spec]
    if len(exact) == 1:
        return exact[0]
    by_label = [h for h in headings if _label(h.text) == spec]
    if len(by_label) == 1:
        return by_label[0]
    if len(by_label) > 1:
        raise SpecError("ambiguous_heading", spec=spec, count=len(by_label))
    # A path: "第三章 第一节" — each part names a heading under the one before.
    parts = spec.split(" ")
    if len(parts) > 1:
        found = _walk(parts, headings)
        if found is not None:
            return found
    raise SpecError("no_heading", spec=spec)


def _walk(parts: Sequence[str], headings: Sequence[HeadingRow]) -> HeadingRow | None:
    start, parent_rank, current = 0, 0, None
    end = len(headings)
    for part in parts:
        found = None
        for i in range(start, end):
            h = headings[i]
            if parent_rank and h.rank <= parent_rank:
                break
            if _label(h.text) == part or _norm(h.text) == part:
                found = i
                break
        if found is None:
            return None
        current = headings[found]
        start, parent_rank = found + 1, current.rank
    return current


def heading_span(heading: HeadingRow, headings: Sequence[HeadingRow]) -> tuple[int, int | None]:
    """Article positions under a heading, ``(first, end)`` with ``end`` exclusive (None: to the
    end of the text): up to the next heading of the same or a higher rank."""
    for h in headings:
        if h.index > heading.index and h.rank <= heading.rank:
            return heading.position, h.position
    return heading.position, None
