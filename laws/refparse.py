"""Find article references in Chinese legal text. Pure Python, no Django.

Recognised forms (a reference is a law title, or none for "this law", plus an article)::

    《中华人民共和国刑事诉讼法》第八十二条      title in 书名号
    《刑事诉讼法》第八十二条第二款              short title, with a paragraph (款)
    刑法第六十七条第一款第二项                  and an item (项) of that paragraph
    刑法第133条之一                            bare short title ending in 法/条例/规定/办法/解释
    本法第十条 / 本条例第十条 / 依照第十条      the law being read (title None, this_law True)
    第十七条、第十八条 / 第二十条至第二十二条    continuations inherit the previous title
    前款 / 前两款 / 本条第二款                  paragraphs of the same article (kind "paragraph")

`parse_references(text)` returns them in order with character offsets, so the linker can wrap
each span in a link, and `parse_single_reference(text)` reads one citation typed by a user.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from laws.numerals import CN_NUMERAL_CHARS, cn_to_int

_NUM = f"[{CN_NUMERAL_CHARS}0-9０-９]+"
_SUF = "[一二三四五六七八九十0-9]+"

_TITLE_BRACKET = r"《(?P<btitle>[^《》\n]{1,60})》"
# A bare short title: CJK run ending in a law-type word, e.g. 刑法, 治安管理处罚法, 看守所条例.
_TITLE_BARE = r"(?P<title>[\u4e00-\u9fff（）()]{1,30}?(?:法|条例|规定|办法|解释|细则|规则|决定))"
_THIS = r"(?P<this>本法|本条例|本规定|本办法|本解释|本细则|本规则|本决定)"
_THIS_WORDS = {"本法", "本条例", "本规定", "本办法", "本解释", "本细则", "本规则", "本决定"}
_ARTICLE = (
    rf"第(?P<num>{_NUM})条(?:之(?P<suf>{_SUF}))?(?:第(?P<para>{_NUM})款)?(?:第(?P<item>{_NUM})项)?"
)

_REF_RE = re.compile(rf"(?:{_TITLE_BRACKET}|{_THIS}|{_TITLE_BARE})?{_ARTICLE}")
_PARA_RE = re.compile(rf"(?P<prev>前(?P<count>[两二三四五六七八九]?)款)|本条第(?P<pnum>{_NUM})款")
_JOINERS = ("、", "和", "及", "以及", "或者", "或", "至", "，", ",", "与")
# Words that end a CJK run but are not law titles: 根据…规定 is handled by the bare-title regex
# only when the run actually ends in a law-type word; these prefixes are stripped from a bare title.
_LEADING_VERBS = (
    "依照",
    "根据",
    "按照",
    "违反",
    "适用",
    "依据",
    "参照",
    "对照",
    "援引",
    "依",
    "按",
    "照",
    "由",
    "经",
    "在",
    "和",
    "或",
    "及",
    "与",
    "的",
)


@dataclass(frozen=True)
class Reference:
    start: int
    end: int
    kind: str  # "article" or "paragraph"
    title: str | None = None  # law title as written, None for this law
    this_law: bool = False
    number: int | None = None
    suffix: int = 0
    paragraph: int | None = None  # 款 number within the article
    item: int | None = None  # 项 number: 第X条第X款第X项 (or 第X条第X项: an article of one 款)
    previous_paragraphs: int = 0  # 前款 = 1, 前两款 = 2 (kind "paragraph")

    @property
    def text_key(self) -> tuple[str | None, int | None, int]:
        return (self.title, self.number, self.suffix)


def _clean_bare_title(title: str) -> str | None:
    for verb in sorted(_LEADING_VERBS, key=len, reverse=True):
        if title.startswith(verb) and len(title) > len(verb) + 1:
            title = title[len(verb) :]
            break
    if len(title) < 2 or title in {"规定", "办法", "解释", "决定", "方法", "细则", "规则"}:
        return None
    if title.endswith(("规定", "决定")) and len(title) <= 3:
        return None
    return title


def parse_references(text: str) -> list[Reference]:
    """All references in `text`, in order, non-overlapping."""
    refs: list[Reference] = []
    last_title: str | None = None
    last_this = False
    last_end = -10
    for m in _REF_RE.finditer(text):
        try:
            number = cn_to_int(m["num"])
            suffix = cn_to_int(m["suf"]) if m["suf"] else 0
            para = cn_to_int(m["para"]) if m["para"] else None
            item = cn_to_int(m["item"]) if m["item"] else None
        except ValueError:
            continue
        title = None
        this_law = False
        start = m.start()
        if m["btitle"]:
            title = m["btitle"].strip()
        elif m["this"]:
            this_law = True
        elif m["title"]:
            cleaned = _clean_bare_title(m["title"])
            # 本法, or a run ending in it (有本法, 违反本条例): this law, the link on 本法…
            this_word = next((w for w in _THIS_WORDS if cleaned and cleaned.endswith(w)), None)
            if this_word:
                this_law = True
                start = m.end("title") - len(this_word)
            elif cleaned is None:
                start = m.start("num") - 1
            else:
                title = cleaned
                start = m.end("title") - len(cleaned)
        if title is None and not this_law:
            between = text[last_end:start].strip() if last_end >= 0 else None
            if refs and between in _JOINERS:
                # 第十七条、第十八条: same law as the previous reference
                title, this_law = last_title, last_this
            else:
                this_law = True
        refs.append(
            Reference(
                start=start,
                end=m.end(),
                kind="article",
                title=title,
                this_law=this_law,
                number=number,
                suffix=suffix,
                paragraph=para,
                item=item,
            )
        )
        last_title, last_this, last_end = title, this_law, m.end()
    taken = [(r.start, r.end) for r in refs]
    for m in _PARA_RE.finditer(text):
        if any(s <= m.start() < e for s, e in taken):
            continue
        if m["prev"]:
            count = m["count"]
            refs.append(
                Reference(
                    start=m.start(),
                    end=m.end(),
                    kind="paragraph",
                    previous_paragraphs=cn_to_int(count) if count else 1,
                )
            )
        else:
            try:
                refs.append(
                    Reference(
                        start=m.start(),
                        end=m.end(),
                        kind="paragraph",
                        paragraph=cn_to_int(m["pnum"]),
                    )
                )
            except ValueError:
                continue
    refs.sort(key=lambda r: r.start)
    return refs


_SINGLE_RE = re.compile(
    rf"^\s*(?:《(?P<btitle>[^《》]+)》|(?P<title>[^第《》\s]+?))?\s*第?\s*(?P<num>{_NUM})\s*(?P<unit>条|项)?"
    rf"(?:\s*之\s*(?P<suf>{_SUF}))?(?:\s*第(?P<para>{_NUM})款)?\s*$"
)


@dataclass(frozen=True)
class Citation:
    """One typed citation. ``unit`` is "article" (第X条, or a bare number) or "item" (第X项, an
    item of a document written as 一、二、…, such as 《刑法修正案（十一）》第二项)."""

    title: str | None
    number: int
    suffix: int = 0
    unit: str = "article"


def parse_citation(text: str) -> Citation | None:
    """Read one typed citation: '《刑事诉讼法》第八十二条', '刑法第133条之一', '刑法 133',
    '《刑法修正案（十一）》第二项'. None when it is not a citation."""
    m = _SINGLE_RE.match(text.replace("\u3000", " "))
    if not m:
        return None
    if m["unit"] == "项" and (m["suf"] or m["para"]):
        return None
    try:
        number = cn_to_int(m["num"])
        suffix = cn_to_int(m["suf"]) if m["suf"] else 0
    except ValueError:
        return None
    title = (m["btitle"] or m["title"] or "").strip() or None
    return Citation(title, number, suffix, "item" if m["unit"] == "项" else "article")


def parse_single_reference(text: str) -> tuple[str | None, int, int] | None:
    """Read one typed citation: '《刑事诉讼法》第八十二条', '刑法第133条之一', '刑法 133'.

    Returns (title or None, number, suffix) or None when it is not a citation. (Items, 第X项,
    read as their number too; `parse_citation` says which unit was meant.)
    """
    citation = parse_citation(text)
    if citation is None:
        return None
    return citation.title, citation.number, citation.suffix


_PREFIX = "中华人民共和国"


def title_variants(title: str) -> set[str]:
    """Forms under which a law may be cited: full title, without 中华人民共和国, without brackets."""
    title = title.strip().strip("《》")
    variants = {title}
    if title.startswith(_PREFIX):
        variants.add(title[len(_PREFIX) :])
    return {v for v in variants if v}
