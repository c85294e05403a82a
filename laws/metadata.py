"""Guess a law's metadata from its text and place in a folder. Pure Python, no Django.

Used by the importer when index.csv (or the command line) does not say.
"""

from __future__ import annotations

import hashlib
import json
import re

from laws.parsing import ParsedLaw, normalise_whitespace

LEVELS = (
    "宪法",
    "法律",
    "行政法规",
    "监察法规",
    "司法解释",
    "部门规章",
    "地方性法规",
    "规范性文件",
)
# Category folders of the LawRefBook layout whose texts are all 法律.
LAW_FOLDERS = {
    "刑法",
    "民法典",
    "民法商法",
    "宪法相关法",
    "行政法",
    "经济法",
    "社会法",
    "诉讼与非诉讼程序法",
}
PRC = "中华人民共和国"


def short_title(title: str) -> str:
    """中华人民共和国刑法 -> 刑法; other titles unchanged."""
    title = title.strip()
    if title.startswith(PRC) and len(title) > len(PRC) + 1:
        return title[len(PRC) :]
    return title


def guess_level(title: str, folders: list[str]) -> str:
    for folder in reversed(folders):
        if folder in LEVELS:
            return folder
        if folder in LAW_FOLDERS:
            return "法律"
        if "地方法规" in folder or folder == "地方性法规":
            return "地方性法规"
    if title == PRC + "宪法":
        return "宪法"
    if title.startswith(("最高人民法院", "最高人民检察院")):
        return "司法解释"
    if title.startswith(PRC) and title.endswith("法"):
        return "法律"
    if title.endswith("条例") and not re.match(r"^.{2,3}(省|市|自治区)", title):
        return "行政法规"
    if re.match(r"^.{2,8}(省|市|自治区)", title):
        return "地方性法规"
    return "规范性文件"


_LOCAL_BODY_RE = re.compile(
    r"(?P<place>[\u4e00-\u9fff]{2,12}?(?:省|市|自治区|自治州|县))第[\u4e00-\u9fff]+届人民代表大会(?P<sc>常务委员会)?"
)


def guess_issuing_body(parsed: ParsedLaw, level: str, folders: list[str]) -> str:
    first = parsed.history[0].text if parsed.history else ""
    if level in ("宪法", "法律"):
        if "常务委员会" in first:
            return "全国人民代表大会常务委员会"
        return "全国人民代表大会"
    if level == "行政法规":
        return "国务院"
    if level == "监察法规":
        return "国家监察委员会"
    if level == "司法解释":
        bodies = [b for b in ("最高人民法院", "最高人民检察院") if b in parsed.title or b in first]
        return "、".join(bodies)
    if level == "部门规章":
        for folder in reversed(folders):
            if folder.endswith(("部", "局", "委员会", "署", "总局")):
                return folder
        if "公安部" in " ".join(h.text for h in parsed.history):
            return "公安部"
        return ""
    if level == "地方性法规":
        m = _LOCAL_BODY_RE.search(first)
        if m:
            return f"{m['place']}人民代表大会{'常务委员会' if m['sc'] else ''}"
    return ""


def content_hash(parsed: ParsedLaw) -> str:
    """A fingerprint of the text (not of whitespace): same text, same hash."""
    payload = {
        "title": normalise_whitespace(parsed.title),
        "history": [normalise_whitespace(h.text) for h in parsed.history],
        "preamble": [normalise_whitespace(p) for p in parsed.preamble],
        "headings": [
            [
                normalise_whitespace(h.text),
                h.position,
                [normalise_whitespace(p) for p in h.paragraphs],
            ]
            for h in parsed.headings
        ],
        "articles": [
            [a.number, a.suffix, [normalise_whitespace(p) for p in a.paragraphs]]
            for a in parsed.articles
        ],
    }
    raw = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    return hashlib.sha256(raw).hexdigest()
