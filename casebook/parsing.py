"""Parse case files for ``import_cases`` into plain records (no Django imports).

Formats, told apart per record by their keys (see ../shared/data/cases/README.md):

* **JuDGE** (``text_id``, ``text``, ``la``, ``fd``): ``text`` becomes the facts,
  ``fd`` is split into court, case number, reasoning (本院认为…) and result
  (判决如下…); the judgment date is read from the Chinese date at its end;
  ``la`` lists 刑法 article numbers, which become :class:`ArticleRef` rows.
* **LeCaRDv2** (``id``, ``query``, ``fact``): title, court and case number come
  from the head of ``query``; ``fact`` becomes the facts.
* **LeCaRD** (``ridx``, ``q``, ``crime``, ``path``): facts and charges only.
* **Fazhi case JSON** (``"format": "fazhi-case/1"``), the project's own format,
  written by ``export_cases`` and documented in docs/casebook-format.md::

    {"format": "fazhi-case/1", "id": "demo-001", "title": "…", "case_number": "…",
     "kind": "criminal" | "administrative" | "public_order" | "traffic" | "other"  (or 刑事/行政/治安/交通/其他),
     "handling_unit": "…", "date": "2024-05-01" | null,
     "keywords": ["…"], "key_points": "…", "facts": "…", "handling": "…", "reasoning": "…",
     "articles": [{"law": "中华人民共和国刑法", "number": 133, "suffix": 1} | {"citation": "《刑法》第一百三十三条之一"}],
     "commentary": [{"type": "heading" | "paragraph" | "point" | "quote", "value": "…"}],
     "review": {"rating": "excellent" | "qualified" | "problem",
                "findings": [{"ground": "facts" | "evidence" | "law" | "procedure" | "decision" | "documents",
                              "verdict": "sound" | "flawed" | "wrong", "note": "…"}]},
     "annotations": [{"field": "facts" | "handling" | "reasoning", "start": 0, "end": 4, "quote": "…",
                      "kind": "highlight" | "note" | "article", "note": "…", "article": {"law": …, "number": …}}]}

Every file is JSON Lines: one object per line, blank lines ignored. Each problem
is a :class:`ParseIssue` naming file, line and reason; the caller decides to
save nothing when there is any.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

__all__ = [
    "FORMAT_TAG",
    "KINDS",
    "RATINGS",
    "GROUNDS",
    "VERDICTS",
    "FIELDS",
    "ArticleRef",
    "ParsedAnnotation",
    "ParsedCase",
    "ParseIssue",
    "ParseResult",
    "parse_file",
    "parse_markdown",
    "parse_lines",
    "parse_chinese_date",
]

FORMAT_TAG = "fazhi-case/1"
CRIMINAL_LAW = "中华人民共和国刑法"

# Codes shared with casebook.choices (a test keeps them equal).
KINDS = {
    "criminal": "刑事",
    "administrative": "行政",
    "public_order": "治安",
    "traffic": "交通",
    "other": "其他",
}
RATINGS = {"excellent": "优质案件", "qualified": "合格", "problem": "问题案件"}
GROUNDS = {
    "facts": "事实是否清楚",
    "evidence": "证据是否确实充分",
    "law": "适用法律是否正确",
    "procedure": "程序是否合法",
    "decision": "处理是否适当",
    "documents": "文书是否规范",
}
VERDICTS = {"sound": "符合", "flawed": "存在瑕疵", "wrong": "存在问题"}
ANNOTATION_KINDS = {"highlight": "标注", "note": "批注", "article": "关联法条"}
FIELDS = ("facts", "handling", "reasoning")
COMMENTARY_BLOCKS = ("heading", "paragraph", "point", "quote")


@dataclass(frozen=True, slots=True)
class ArticleRef:
    """A cited article: by law title and number, or by a free citation text."""

    law: str = ""
    number: int | None = None
    suffix: int = 0
    citation: str = ""  # e.g. 《刑法》第一百三十三条之一, resolved by laws.references

    def as_dict(self) -> dict:
        if self.citation:
            return {"citation": self.citation}
        return {"law": self.law, "number": self.number, "suffix": self.suffix}


@dataclass(slots=True)
class ParsedAnnotation:
    field: str
    start: int
    end: int
    kind: str = "highlight"
    note: str = ""
    quote: str = ""
    article: ArticleRef | None = None


@dataclass(slots=True)
class ParsedCase:
    source: str  # judge | lecardv2 | lecard | fazhi
    source_id: str
    title: str
    facts: str
    file: str = ""
    line: int = 0
    case_number: str = ""
    kind: str = "criminal"
    handling_unit: str = ""
    decided_on: date | None = None
    year: int | None = None
    keywords: list[str] = field(default_factory=list)
    key_points: str = ""
    handling: str = ""
    reasoning: str = ""
    full_text: str = ""
    articles: list[ArticleRef] = field(default_factory=list)
    commentary: list[dict] = field(default_factory=list)
    rating: str = ""
    findings: list[dict] = field(default_factory=list)
    annotations: list[ParsedAnnotation] = field(default_factory=list)
    # Imported anyway, but reported: optional labels that the record left empty.
    warnings: list[str] = field(default_factory=list)

    @property
    def import_key(self) -> str:
        """Stable identity across re-imports: ``<source>:<id>``."""
        return f"{self.source}:{self.source_id}"


@dataclass(frozen=True, slots=True)
class ParseIssue:
    file: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.reason}"


@dataclass(slots=True)
class ParseResult:
    cases: list[ParsedCase] = field(default_factory=list)
    issues: list[ParseIssue] = field(default_factory=list)
    warnings: list[ParseIssue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.issues


class RecordError(ValueError):
    """A record is unusable; the message is the reason shown to the user."""


# --- text helpers -----------------------------------------------------------

_CN_DIGITS = {
    "〇": 0,
    "○": 0,
    "０": 0,
    "0": 0,
    "O": 0,
    "Ｏ": 0,
    "零": 0,
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_DATE_RE = re.compile(
    r"([〇○０0OＯ零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,2})月([一二三四五六七八九十]{1,3})日"
)
_CASE_NO_RE = re.compile(r"[（(]\s*(\d{4})\s*[）)][\u4e00-\u9fff\d]{1,20}?\d+号")
_COURT_RE = re.compile(r"([\u4e00-\u9fff]{2,40}?人民法院)")
_CHARGE_RE = re.compile(r"(?:犯|涉嫌)([\u4e00-\u9fff、]{1,30}?罪)")
_NOT_A_CHARGE_RE = re.compile(r"刑罚|犯罪$|之罪$|数罪")
_CHARGE_LIST_RE = re.compile(r"指控罪名[：:]([\u4e00-\u9fff、]+)")
_DOC_TITLE_RE = re.compile(r"^.{0,80}?(?:判决书|裁定书)")
_DEFENDANT_RE = re.compile(
    r"(?:被告人|上诉人（原审被告人）|上诉人\(原审被告人\)|原审被告人)([\u4e00-\u9fff·×Ｘ]{1,6}?)"
    r"(?:[，,。、（(：:\s]|等|犯|因|涉嫌|系|男|女)"
)
_ARTICLE_SUFFIX_RE = re.compile(r"第([一二三四五六七八九十百零〇]+)条之([一二三四五六七八九十]+)")


def _cn_small_number(text: str) -> int:
    """一 .. 九百九十九 (with 十/百, no 千) to int."""
    total, current = 0, 0
    for ch in text:
        if ch == "百":
            total += (current or 1) * 100
            current = 0
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = _CN_DIGITS[ch]
    return total + current


def parse_chinese_date(text: str) -> date | None:
    """Parse 二〇一七年十二月二十七日 (or 二○一七…, 二0一六…); None if not a real date."""
    m = _CN_DATE_RE.fullmatch(text.strip())
    if not m:
        return None
    year = int("".join(str(_CN_DIGITS[c]) for c in m.group(1)))
    try:
        return date(year, _cn_small_number(m.group(2)), _cn_small_number(m.group(3)))
    except (KeyError, ValueError):
        return None


def _last_chinese_date(text: str) -> date | None:
    for m in reversed(list(_CN_DATE_RE.finditer(text))):
        parsed = parse_chinese_date(m.group(0))
        if parsed:
            return parsed
    return None


def _dedupe_charges(charges: list[str]) -> list[str]:
    """Drop a charge whose name sits inside a longer one found too (窝藏罪 within 窝藏、包庇罪)."""
    bases = [c.removesuffix("罪") for c in charges]
    kept = []
    for charge, base in zip(charges, bases, strict=True):
        if any(base != other and base in other.split("、") for other in bases):
            continue
        kept.append(charge)
    return kept


def _charges(text: str) -> list[str]:
    seen: list[str] = []
    for m in _CHARGE_RE.finditer(text):
        charge = m.group(1).removeprefix("犯")
        if (
            charge.startswith("罪")
            or len(charge) < 3
            or charge in seen
            or _NOT_A_CHARGE_RE.search(charge)
        ):
            continue
        seen.append(charge)
    m = _CHARGE_LIST_RE.search(text)
    if m:
        for name in m.group(1).split("、"):
            if len(name) >= 2 and name + "罪" not in seen:
                seen.append(name + "罪")
    return _dedupe_charges(seen)


_MASKED_NAME_RE = re.compile(r"^[\u4e00-\u9fff]{1,2}?某+[甲乙丙丁戊\d]?")


def _short_name(name: str) -> str:
    """Surname plus 某 for a title (雷辉 → 雷某); names already masked keep their mask."""
    m = _MASKED_NAME_RE.match(name)
    if m:
        return m.group(0)
    if "×" in name or "Ｘ" in name:
        return name
    return name[0] + "某"


def _title(text: str, charges: list[str]) -> str:
    names = list(dict.fromkeys(_short_name(n) for n in _DEFENDANT_RE.findall(text)))
    who = names[0] if names else ""
    if len(names) > 1:
        who += "等"
    what = "、".join(c.removesuffix("罪") for c in charges[:3]) or "刑事"
    return f"{who}{what}案"


def _court(head: str) -> str:
    """The court named right after the document title (or at the very start)."""
    title = _DOC_TITLE_RE.match(head)
    rest = head[title.end() :] if title else head
    end = rest.find("人民法院")
    if 0 <= end <= 40:
        return rest[: end + 4].strip()
    m = _COURT_RE.search(head)
    return m.group(1) if m else ""


def _between(text: str, start_marks: Iterable[str], end_marks: Iterable[str]) -> str:
    start = -1
    for mark in start_marks:
        start = text.find(mark)
        if start >= 0:
            break
    if start < 0:
        return ""
    end = len(text)
    for mark in end_marks:
        pos = text.find(mark, start + 1)
        if 0 <= pos < end:
            end = pos
    return text[start:end].strip()


def _clean(text: str) -> str:
    return text.strip()


# --- per-format record parsers ----------------------------------------------


def _require(record: dict, key: str, kind: type | tuple[type, ...], *, empty_ok: bool = False):
    if key not in record:
        raise RecordError(f"missing field '{key}'")
    value = record[key]
    if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
        raise RecordError(f"field '{key}' has the wrong type ({type(value).__name__})")
    if not empty_ok and isinstance(value, str | list) and not value:
        raise RecordError(f"field '{key}' is empty")
    return value


def _parse_judge(record: dict) -> ParsedCase:
    text_id = _require(record, "text_id", str)
    facts = _require(record, "text", str)
    numbers = _require(record, "la", list, empty_ok=True)
    full = _require(record, "fd", str)
    if not facts.strip():
        raise RecordError("field 'text' is blank")
    for n in numbers:
        if not isinstance(n, int) or isinstance(n, bool) or not 1 <= n <= 999:
            raise RecordError(f"field 'la' holds {n!r}, not an article number")
    court = _court(full[:300])
    number = _CASE_NO_RE.search(full[:400])
    result = _between(
        full,
        ["判决如下", "裁定如下"],
        [
            "如不服本判决",
            "如不服本裁定",
            "本判决为终审判决",
            "本裁定为终审裁定",
            "审判长",
            "审判员",
        ],
    )
    reasoning = _between(full, ["本院认为"], ["判决如下", "裁定如下"])
    if reasoning.endswith(("依照", "据此，依照")):
        reasoning = reasoning.rsplit("依照", 1)[0]
    charges = _charges(result) or _charges(full)
    decided = _last_chinese_date(full)
    year = decided.year if decided else (int(number.group(1)) if number else None)
    articles = []
    for n in dict.fromkeys(numbers):
        articles.append(ArticleRef(law=CRIMINAL_LAW, number=n))
    # la collapses 133-1 to 133; the judgment text still says 第一百三十三条之一.
    for m in _ARTICLE_SUFFIX_RE.finditer(full):
        n, s = _cn_small_number(m.group(1)), _cn_small_number(m.group(2))
        ref = ArticleRef(law=CRIMINAL_LAW, number=n, suffix=s)
        if n in numbers and ref not in articles:
            articles.append(ref)
    return ParsedCase(
        source="judge",
        source_id=text_id,
        title=_title(full, charges),
        facts=_clean(facts),
        case_number=number.group(0) if number else "",
        kind="criminal",
        handling_unit=court,
        decided_on=decided,
        year=year,
        keywords=charges,
        handling=result,
        reasoning=reasoning,
        full_text=full.strip(),
        articles=articles,
    )


def _parse_lecardv2(record: dict) -> ParsedCase:
    qid = _require(record, "id", int)
    query = _require(record, "query", str)
    fact = _require(record, "fact", str)
    if not fact.strip():
        raise RecordError("field 'fact' is blank")
    head = query[:600]
    court = _court(head)
    number = _CASE_NO_RE.search(head)
    charges = _charges(query[:3000])
    return ParsedCase(
        source="lecardv2",
        source_id=str(qid),
        title=_title(query, charges),
        facts=_clean(fact),
        case_number=number.group(0) if number else "",
        kind="criminal",
        handling_unit=court,
        year=int(number.group(1)) if number else None,
        keywords=charges,
        full_text=query.strip(),
    )


def _parse_lecard(record: dict) -> ParsedCase:
    ridx = _require(record, "ridx", int)
    q = _require(record, "q", str)
    # Charges are optional labels: an empty list imports (the title falls back to 刑事) with a
    # warning; a missing or mistyped field is still an error.
    crimes = _require(record, "crime", list, empty_ok=True)
    path = _require(record, "path", str, empty_ok=True)
    if not q.strip():
        raise RecordError("field 'q' is blank")
    if not all(isinstance(c, str) and c for c in crimes):
        raise RecordError("field 'crime' must be a list of charge names")
    warnings = []
    if not crimes:
        warnings.append(
            "罪名为空，按无罪名标签导入 (field 'crime' is empty: imported without charges)"
        )
    if not path:
        warnings.append("path 为空 (field 'path' is empty)")
    return ParsedCase(
        source="lecard",
        source_id=str(ridx),
        title=_title(q, crimes),
        facts=_clean(q),
        kind="criminal",
        keywords=list(dict.fromkeys(crimes)),
        full_text=q.strip(),
        warnings=warnings,
    )


def _article_ref(value, where: str) -> ArticleRef:
    if not isinstance(value, dict):
        raise RecordError(f"{where} must be an object")
    if "citation" in value:
        if not isinstance(value["citation"], str) or not value["citation"].strip():
            raise RecordError(f"{where}.citation must be a non-empty string")
        return ArticleRef(citation=value["citation"].strip())
    law, number, suffix = value.get("law"), value.get("number"), value.get("suffix", 0)
    if not isinstance(law, str) or not law.strip():
        raise RecordError(f"{where}.law must name a law")
    if not isinstance(number, int) or isinstance(number, bool) or number < 1:
        raise RecordError(f"{where}.number must be a positive integer")
    if not isinstance(suffix, int) or isinstance(suffix, bool) or suffix < 0:
        raise RecordError(f"{where}.suffix must be 0 or a positive integer")
    return ArticleRef(law=law.strip(), number=number, suffix=suffix)


def _code(value, table: dict[str, str], where: str) -> str:
    """Accept the code or its Chinese label."""
    if value in table:
        return value
    for code, label in table.items():
        if value == label:
            return code
    raise RecordError(f"{where} '{value}' is not one of {', '.join(table)}")


def _optional_str(record: dict, key: str) -> str:
    value = record.get(key, "")
    if value is None:
        return ""
    if not isinstance(value, str):
        raise RecordError(f"field '{key}' must be a string")
    return value.strip()


def _check_block_value(block: dict, where: str) -> None:
    """A heading, paragraph or quote holds text; a point holds {"title": text, "text": text}."""
    value = block.get("value")
    if block["type"] == "point":
        if (
            not isinstance(value, dict)
            or not isinstance(value.get("title"), str)
            or not value["title"].strip()
            or not isinstance(value.get("text", ""), str)
            or set(value) - {"title", "text"}
        ):
            raise RecordError(
                f'{where}: a point block\'s value must be {{"title": "…", "text": "…"}}'
            )
    elif not isinstance(value, str):
        raise RecordError(f"{where}: the value of a {block['type']} block must be text")


def _parse_fazhi(record: dict) -> ParsedCase:
    title = _require(record, "title", str).strip()
    facts = _require(record, "facts", str)
    if not title or not facts.strip():
        raise RecordError("fields 'title' and 'facts' must not be blank")
    source_id = record.get("id") or ""
    if not isinstance(source_id, str | int):
        raise RecordError("field 'id' must be a string")
    kind = _code(record.get("kind") or "other", KINDS, "kind")
    decided = None
    if record.get("date"):
        try:
            decided = date.fromisoformat(str(record["date"]))
        except ValueError as exc:
            raise RecordError(f"field 'date' '{record['date']}' is not a YYYY-MM-DD date") from exc
    keywords = record.get("keywords", [])
    if not isinstance(keywords, list) or not all(isinstance(k, str) for k in keywords):
        raise RecordError("field 'keywords' must be a list of strings")
    articles = [
        _article_ref(a, f"articles[{i}]") for i, a in enumerate(record.get("articles", []) or [])
    ]
    commentary = record.get("commentary", []) or []
    if not isinstance(commentary, list):
        raise RecordError("field 'commentary' must be a list of blocks")
    for i, block in enumerate(commentary):
        if not isinstance(block, dict) or block.get("type") not in COMMENTARY_BLOCKS:
            raise RecordError(
                f"commentary[{i}] must be an object with type one of {', '.join(COMMENTARY_BLOCKS)}"
            )
        _check_block_value(block, f"commentary[{i}]")
    rating, findings = "", []
    review = record.get("review") or {}
    if not isinstance(review, dict):
        raise RecordError("field 'review' must be an object")
    if review.get("rating"):
        rating = _code(review["rating"], RATINGS, "review.rating")
    for i, f in enumerate(review.get("findings", []) or []):
        if not isinstance(f, dict):
            raise RecordError(f"review.findings[{i}] must be an object")
        findings.append(
            {
                "ground": _code(f.get("ground"), GROUNDS, f"review.findings[{i}].ground"),
                "verdict": _code(f.get("verdict"), VERDICTS, f"review.findings[{i}].verdict"),
                "note": str(f.get("note") or "").strip(),
            }
        )
    case = ParsedCase(
        source="fazhi",
        source_id=str(source_id),
        title=title,
        facts=facts.strip(),
        case_number=_optional_str(record, "case_number"),
        kind=kind,
        handling_unit=_optional_str(record, "handling_unit"),
        decided_on=decided,
        year=decided.year if decided else None,
        keywords=[k.strip() for k in keywords if k.strip()],
        key_points=_optional_str(record, "key_points"),
        handling=_optional_str(record, "handling"),
        reasoning=_optional_str(record, "reasoning"),
        full_text=_optional_str(record, "full_text"),
        articles=articles,
        commentary=commentary,
        rating=rating,
        findings=findings,
    )
    for i, a in enumerate(record.get("annotations", []) or []):
        where = f"annotations[{i}]"
        if not isinstance(a, dict):
            raise RecordError(f"{where} must be an object")
        fld = a.get("field", "facts")
        if fld not in FIELDS:
            raise RecordError(f"{where}.field must be one of {', '.join(FIELDS)}")
        text = getattr(case, fld)
        start, end = a.get("start"), a.get("end")
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
            raise RecordError(
                f"{where}: span {start}..{end} is not inside the {fld} text ({len(text)} characters)"
            )
        quote = a.get("quote") or ""
        if quote and text[start:end] != quote:
            raise RecordError(
                f"{where}: the text at {start}..{end} is not the quoted '{quote[:20]}'"
            )
        kind_a = _code(a.get("kind", "highlight"), ANNOTATION_KINDS, f"{where}.kind")
        article = _article_ref(a["article"], f"{where}.article") if a.get("article") else None
        if kind_a == "article" and article is None:
            raise RecordError(f"{where}: an article annotation needs 'article'")
        case.annotations.append(
            ParsedAnnotation(
                fld, start, end, kind_a, str(a.get("note") or "").strip(), text[start:end], article
            )
        )
    return case


def _detect(record: dict):
    if record.get("format") == FORMAT_TAG:
        return _parse_fazhi
    if "format" in record:
        raise RecordError(
            f"格式未知 (unknown format '{record['format']}', expected '{FORMAT_TAG}')"
        )
    keys = set(record)
    if {"text_id", "fd"} <= keys:
        return _parse_judge
    if {"query", "fact"} <= keys:
        return _parse_lecardv2
    if {"ridx", "q"} <= keys:
        return _parse_lecard
    raise RecordError(
        "无法识别的记录 (unrecognised record: expected JuDGE text_id/text/la/fd, LeCaRDv2 id/query/fact, "
        f'LeCaRD ridx/q/crime/path or "format": "{FORMAT_TAG}"); keys: {", ".join(sorted(keys))[:120]}'
    )


def parse_lines(lines: Iterable[str], *, filename: str = "<input>") -> ParseResult:
    """Parse JSON-lines text. Duplicate ids inside the input are reported too."""
    result = ParseResult()
    seen: dict[str, int] = {}
    for lineno, raw in enumerate(lines, start=1):
        line = raw.strip().lstrip("\ufeff")
        if not line:
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            result.issues.append(
                ParseIssue(
                    filename,
                    lineno,
                    f"不是有效的 JSON (invalid JSON: {exc.msg} at column {exc.colno})",
                )
            )
            continue
        if not isinstance(record, dict):
            result.issues.append(
                ParseIssue(
                    filename, lineno, "每行须是一个 JSON 对象 (a line must hold a JSON object)"
                )
            )
            continue
        try:
            case = _detect(record)(record)
        except RecordError as exc:
            result.issues.append(ParseIssue(filename, lineno, str(exc)))
            continue
        case.file, case.line = filename, lineno
        result.warnings.extend(ParseIssue(filename, lineno, w) for w in case.warnings)
        if case.source_id:
            if case.import_key in seen:
                result.issues.append(
                    ParseIssue(
                        filename,
                        lineno,
                        f"编号重复 (duplicate id {case.source_id}, first on line {seen[case.import_key]})",
                    )
                )
                continue
            seen[case.import_key] = lineno
        result.cases.append(case)
    return result


# --- Markdown case files (典型案例) ---------------------------------------------------------
# As in ../shared/data/laws/案例/: "# title", optional header lines (publisher, a date), then
# "## 基本案情", "## 裁判结果", "## 典型意义"… sections. One case per file.

MARKDOWN_SUFFIXES = (".md", ".markdown")
_SECTION_FIELDS = {
    "facts": ("基本案情", "简要案情", "案情", "案件事实", "案情简介"),
    "handling": ("裁判结果", "处理结果", "处理情况", "裁判情况", "办理结果", "处理决定"),
    "reasoning": ("裁判理由", "处理理由", "理由", "说理"),
    "key_points": ("裁判要点", "评析要点", "要点", "办案要点"),
}
_ISO_DATE_RE = re.compile(r"^(\d{4})[-./年](\d{1,2})[-./月](\d{1,2})日?$")
_KIND_WORDS = (
    ("traffic", ("交通", "驾驶", "醉驾")),
    ("public_order", ("治安",)),
    ("administrative", ("行政",)),
    ("criminal", ("刑事", "罪")),
)


def _section_field(heading: str) -> str | None:
    name = re.sub(r"^[一二三四五六七八九十\d]+[、.．]\s*", "", heading).strip()
    for fld, names in _SECTION_FIELDS.items():
        if name in names:
            return fld
    return None


def _header_date(line: str) -> date | None:
    m = _ISO_DATE_RE.match(line)
    if m:
        try:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return None
    return parse_chinese_date(line)


def _guess_kind(*texts: str) -> str:
    for code, words in _KIND_WORDS:
        if any(w in t for t in texts for w in words):
            return code
    return "other"


def _cited_articles(text: str) -> list[ArticleRef]:
    """《…》第X条 citations in the text, in order, once each (the library resolves them)."""
    from laws.numerals import article_label  # pure Python, no Django
    from laws.refparse import parse_references

    refs: list[ArticleRef] = []
    seen: set[tuple] = set()
    for ref in parse_references(text):
        if ref.kind != "article" or ref.this_law or not ref.title or ref.number is None:
            continue
        key = ref.text_key
        if key in seen:
            continue
        seen.add(key)
        label = article_label(ref.number, ref.suffix)
        refs.append(
            ArticleRef(
                law=ref.title,
                number=ref.number,
                suffix=ref.suffix,
                citation=f"《{ref.title}》{label}",
            )
        )
    return refs


def parse_markdown(
    text: str, *, filename: str = "<input>", folders: tuple[str, ...] = ()
) -> ParseResult:
    """One case from a Markdown file. The title identifies it, so a re-import updates its draft.

    ``folders`` (the path's folder names, e.g. ``("案例", "行政协议诉讼")``) help guess the kind.
    Sections with unknown headings are kept as commentary, so no text is dropped."""
    result = ParseResult()
    lines = text.splitlines()
    title, title_line = "", 0
    header: list[str] = []
    sections: list[tuple[str, int, list[str]]] = []
    for lineno, raw in enumerate(lines, start=1):
        line = raw.strip().lstrip("\ufeff")
        if not title:
            if line.startswith("# "):
                title, title_line = line[2:].strip(), lineno
            elif line and not line.startswith("<!--"):
                result.issues.append(
                    ParseIssue(
                        filename,
                        lineno,
                        "第一行应是案例标题“# 标题” (expected the case title as a '# 标题' line)",
                    )
                )
                return result
            continue
        if line.startswith("## "):
            sections.append((line[3:].strip(), lineno, []))
        elif line.startswith("<!--") or line.startswith("#"):
            continue
        elif sections:
            sections[-1][2].append(line)
        elif line:
            header.append(line)
    if not title:
        result.issues.append(
            ParseIssue(
                filename,
                max(len(lines), 1),
                "缺少标题行“# 标题”：文件为空或没有标题 (no '# 标题' line: the file is empty or has no title)",
            )
        )
        return result
    fields: dict[str, str] = {}
    commentary: list[dict] = []
    for heading, lineno, body in sections:
        paragraphs = [p for p in body if p]
        fld = _section_field(heading)
        if fld is None:
            commentary.append({"type": "heading", "value": heading})
            commentary.extend({"type": "paragraph", "value": p} for p in paragraphs)
        elif fld in fields:
            result.issues.append(
                ParseIssue(
                    filename,
                    lineno,
                    f"“## {heading}”部分出现了两次 (section '## {heading}' appears twice)",
                )
            )
        else:
            fields[fld] = "\n".join(paragraphs)
    if not fields.get("facts"):
        result.issues.append(
            ParseIssue(
                filename,
                title_line,
                "缺少有内容的“## 基本案情”部分 (no '## 基本案情' section with text: the facts are required)",
            )
        )
        return result
    decided = next((d for d in map(_header_date, header) if d), None)
    publisher = next((h for h in header if not _header_date(h)), "")
    body_text = "\n".join(line for _h, _n, body in sections for line in body)
    case = ParsedCase(
        source="markdown",
        source_id=title[:200],
        title=title,
        facts=fields["facts"],
        file=filename,
        line=title_line,
        kind=_guess_kind(title, *folders, fields.get("handling", "")),
        handling_unit=publisher.removesuffix("发布").strip()[:120],
        decided_on=decided,
        year=decided.year if decided else None,
        key_points=fields.get("key_points", ""),
        handling=fields.get("handling", ""),
        reasoning=fields.get("reasoning", ""),
        full_text=text.strip(),
        articles=_cited_articles(body_text),
        commentary=commentary,
    )
    result.cases.append(case)
    return result


def parse_file(path: str | Path) -> ParseResult:
    """A JSON-lines file, or a Markdown case file (``.md``)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return ParseResult(issues=[ParseIssue(str(path), 0, "找不到文件 (file not found)")])
    except IsADirectoryError:
        return ParseResult(
            issues=[ParseIssue(str(path), 0, "这是文件夹，不是文件 (is a folder, not a file)")]
        )
    except UnicodeDecodeError as exc:
        return ParseResult(
            issues=[
                ParseIssue(
                    str(path),
                    0,
                    f"不是 UTF-8 文本 (not UTF-8 text: {exc.reason} at byte {exc.start})",
                )
            ]
        )
    if "\x00" in text:
        return ParseResult(
            issues=[ParseIssue(str(path), 0, "二进制文件，不是文本 (binary file, not text)")]
        )
    if path.suffix.lower() in MARKDOWN_SUFFIXES:
        return parse_markdown(text, filename=str(path), folders=tuple(path.parent.parts[-2:]))
    return parse_lines(text.splitlines(), filename=str(path))
