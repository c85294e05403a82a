"""Read what an amendment item changes. Pure Python, no Django.

An item of 刑法修正案（十一） or an article of 宪法修正案 opens with what it does::

    一、将刑法第十七条修改为：……                                   modified 第十七条
    二、在刑法第一百三十三条之一后增加一条，作为第一百三十三条之二：……   added 第一百三十三条之二
    三、将刑法第一百三十四条第二款修改为：……                         modified 第一百三十四条
    一、在刑法第一百六十五条中增加一款作为第二款，将该条修改为：……       modified 第一百六十五条
    删去刑法第一百九十九条。                                          deleted 第一百九十九条
    第四十条 宪法第二十七条增加一款，作为第三款：……                   modified 第二十七条

`amendment_targets(text)` returns the targets of one item (usually one). Only the opening
sentence, before the quoted new text, is read: the quotation may cite other articles.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from laws.numerals import CN_NUMERAL_CHARS, cn_to_int

MODIFIED, ADDED, DELETED = "modified", "added", "deleted"

_NUM = f"[{CN_NUMERAL_CHARS}0-9]+"
_SUF = "[一二三四五六七八九十]+"
_TARGET_RE = re.compile(
    rf"(?P<title>[\u4e00-\u9fff（）]{{1,30}}?)第(?P<num>{_NUM})条(?:之(?P<suf>{_SUF}))?"
)
_ADDED_AS_RE = re.compile(rf"增加一条[，,]?作为(?:第(?P<num>{_NUM})条(?:之(?P<suf>{_SUF}))?)")
_LEADING = ("将", "在", "删去", "把", "对")


@dataclass(frozen=True)
class Target:
    action: str  # modified / added / deleted
    title: str  # the base law as written: 刑法, 宪法
    number: int
    suffix: int = 0


def _opening(text: str) -> str:
    """The instruction before the quoted new text (“…”) or the colon that introduces it."""
    for mark in ("：“", ":“", "“", "："):
        at = text.find(mark)
        if at > 0:
            text = text[:at]
    return text


def _clean_title(title: str) -> str:
    for word in sorted(_LEADING, key=len, reverse=True):
        if title.startswith(word):
            title = title[len(word) :]
            break
    return title


def amendment_targets(text: str) -> list[Target]:
    opening = _opening(text)
    m = _TARGET_RE.search(opening)
    if not m:
        return []
    title = _clean_title(m["title"])
    if not title or title.endswith(("本法", "本条")):
        return []
    try:
        number = cn_to_int(m["num"])
        suffix = cn_to_int(m["suf"]) if m["suf"] else 0
    except ValueError:
        return []
    added = _ADDED_AS_RE.search(opening)
    if added:
        try:
            return [
                Target(
                    ADDED,
                    title,
                    cn_to_int(added["num"]),
                    cn_to_int(added["suf"]) if added["suf"] else 0,
                )
            ]
        except ValueError:
            return []
    if opening.lstrip().startswith("删去") or re.search(
        r"条(?:之[一二三四五六七八九十]+)?删去", opening
    ):
        return [Target(DELETED, title, number, suffix)]
    return [Target(MODIFIED, title, number, suffix)]
