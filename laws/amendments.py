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


# --- checking amendments against the consolidated texts ------------------------------------------

# What an amendment says about an article, against what happened to it between the base law's
# version before the amendment and the version after (laws.diffing's kinds).
UNCHANGED = "unchanged"  # said to be modified or deleted, but the same in both versions
ABSENT_BEFORE = "absent_before"  # said to be modified or deleted, but not in the version before
ABSENT_AFTER = "absent_after"  # said to be modified or added, but not in the version after
PRESENT_BEFORE = "present_before"  # said to be added, but already in the version before
UNEXPLAINED = "unexplained"  # changed, added or removed, but no amendment in between says so


@dataclass(frozen=True)
class Disagreement:
    kind: str
    number: int
    suffix: int = 0
    action: str = ""  # what the amendment said (modified / added / deleted); "" for unexplained
    source: str = ""  # which amendment unit said it, e.g. 《刑法修正案（十一）》第一项


def check_against_diff(
    said: list[tuple[str, int, int, str]], happened: dict[tuple[int, int], str]
) -> list[Disagreement]:
    """Compare what the amendments between two versions of a law say they changed with what did.

    ``said``: (action, number, suffix, source) for every target of those amendments;
    ``happened``: article key → laws.diffing kind (added / removed / changed / same) between the
    version before and the version after. A deleted article may stay as a placeholder ("（已删除）"),
    so "changed" agrees with a deletion too. Returns the disagreements, in article order.
    """
    out = []
    for action, number, suffix, source in said:
        kind = happened.get((number, suffix))
        problem = None
        if action == MODIFIED:
            problem = {
                "same": UNCHANGED,
                "added": ABSENT_BEFORE,
                "removed": ABSENT_AFTER,
                None: ABSENT_AFTER,
            }.get(kind)
        elif action == ADDED:
            problem = {
                "same": PRESENT_BEFORE,
                "changed": PRESENT_BEFORE,
                "removed": ABSENT_AFTER,
                None: ABSENT_AFTER,
            }.get(kind)
        elif action == DELETED:
            problem = {"same": UNCHANGED, "added": ABSENT_BEFORE, None: ABSENT_BEFORE}.get(kind)
        if problem:
            out.append(Disagreement(problem, number, suffix, action, source))
    mentioned = {(number, suffix) for _a, number, suffix, _s in said}
    for key, kind in happened.items():
        if kind != "same" and key not in mentioned:
            out.append(Disagreement(UNEXPLAINED, key[0], key[1]))
    out.sort(key=lambda d: (d.number, d.suffix, d.kind != UNEXPLAINED))
    return out
