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
# Legal sectors (法律部门) of the national legal system, as the NPC files its laws.
SECTORS = (
    "宪法相关法",
    "民法商法",
    "行政法",
    "经济法",
    "社会法",
    "刑法",
    "诉讼与非诉讼程序法",
)
PROVINCES = (
    "北京市", "天津市", "上海市", "重庆市", "河北省", "山西省", "辽宁省", "吉林省", "黑龙江省",
    "江苏省", "浙江省", "安徽省", "福建省", "江西省", "山东省", "河南省", "湖北省", "湖南省",
    "广东省", "海南省", "四川省", "贵州省", "云南省", "陕西省", "甘肃省", "青海省", "台湾省",
    "内蒙古自治区", "广西壮族自治区", "西藏自治区", "宁夏回族自治区", "新疆维吾尔自治区",
    "香港特别行政区", "澳门特别行政区",
)  # fmt: skip
_CITY_RE = re.compile(r"^(?P<city>[\u4e00-\u9fff]{2,6}?(?:市|自治州|地区|盟))")


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


def guess_sector(title: str, level: str, folders: list[str]) -> str:
    """The legal sector of a 法律 (or the 宪法): from its category folder, else from its title."""
    for folder in reversed(folders):
        if folder in SECTORS:
            return folder
        if folder == "民法典":
            return "民法商法"
    if level == "宪法" or title.startswith(PRC + "宪法"):
        return "宪法相关法"
    name = short_title(title)
    if name.startswith("刑法"):
        return "刑法"
    if name.startswith("民法"):
        return "民法商法"
    if name.endswith("诉讼法"):
        return "诉讼与非诉讼程序法"
    return ""


def _province(text: str) -> str:
    for province in PROVINCES:
        short = province.removesuffix("市").removesuffix("省")
        for suffix in ("自治区", "特别行政区"):
            short = short.removesuffix(suffix)
        if text.startswith(province) or (len(short) >= 2 and text.startswith(short)):
            return province
    return ""


def guess_region(title: str, issuing_body: str, folders: list[str]) -> tuple[str, str]:
    """(province, city) of a local regulation: from its issuing body or title, else from the
    folder it sits in (DLC/北京地方法规/…). City is empty for province-level texts."""
    province = ""
    rest = ""
    for text in (issuing_body, title):
        province = _province(text)
        if province:
            rest = text[len(province) :] if text.startswith(province) else ""
            break
    if not province:
        for folder in reversed(folders):
            province = _province(folder)
            if province:
                rest = title
                break
    city = ""
    if rest and province not in PROVINCES[:4]:
        m = _CITY_RE.match(rest)
        if m and not rest.startswith(("城市", "市")):
            city = m["city"]
    return province, city
