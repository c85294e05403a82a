"""Parse law texts (Markdown, plain text, lines from Word) into a tree. Pure Python, no Django.

A law file has a title, "history" lines (date + event: 通过, 修正, 修订, 施行), optional structure
headings (编 / 分编 / 章 / 节) and articles (条). An article's text keeps its paragraphs (款) and
items (项), one per line. Anything that cannot be parsed raises `LawParseError` with the line
number, so that the importer can report ``path:line: message`` and save nothing.

Usage::

    parsed = parse_law_bytes(path.read_bytes(), name=path.name)
    parsed.title, len(parsed.articles), parsed.articles[0].label
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from laws.numerals import CN_NUMERAL_CHARS, article_label, cn_to_int, int_to_cn, to_ascii_digits

__all__ = [
    "LawParseError",
    "HistoryLine",
    "Heading",
    "ParsedArticle",
    "ParsedLaw",
    "parse_markdown",
    "parse_lines",
    "parse_law_bytes",
    "decode_text",
    "normalise_whitespace",
    "ARTICLE_LINE_RE",
    "ParseWarning",
    "UnitKind",
    "check_numbering",
    "is_amendment_title",
    "looks_like_case",
    "join_parts",
]

_NUM = f"[{CN_NUMERAL_CHARS}0-9０-９]+"
_SUFFIX = "[一二三四五六七八九十]+"

# "第X条 text", "第X条之一 text", "第X条" alone, and the source glitch "第一百二十八 条text".
ARTICLE_LINE_RE = re.compile(
    rf"^第(?P<num>{_NUM})(?:条(?:之(?P<suf>{_SUFFIX}))?(?:[ \u3000\t]+|$)"
    rf"|[ \u3000]+条(?:之(?P<suf2>{_SUFFIX}))?[ \u3000\t]*)(?P<text>.*)$"
)
HEADING_RE = re.compile(
    rf"^第(?P<num>{_NUM})(?P<kind>分编|编|章|节)(?:[ \u3000\t]*(?P<title>.*))?$"
)
DATE_RE = re.compile(
    r"(?P<y>[0-9０-９]{4})\s*年\s*(?P<m>[0-9０-９]{1,2})\s*月\s*(?P<d>[0-9０-９]{1,2})\s*日"
)
INFO_END = "<!-- INFO END -->"
COMMENCEMENT_RE = re.compile(
    r"本(?:法|修正案|条例|规定|办法|决定|解释|细则|规则|编)(?:修正案)?自"
    r"(?:(?P<date>[0-9０-９]{4}\s*年\s*[0-9０-９]{1,2}\s*月\s*[0-9０-９]{1,2}\s*日)|(?P<pub>公布之日|发布之日))"
    r"起(?:施行|生效)"
)

# Top-level items of documents written without 第X条: 一、 二、 … (（一） under them stay
# paragraphs of their item).
ITEM_LINE_RE = re.compile(r"^(?P<num>[一二三四五六七八九十百]+)、(?P<text>.*)$")
# A "PART" marker in the header says "this file is one part of a law published in several files".
PART_MARKER_RE = re.compile(r"^<!--\s*(?:PART|分编|分册)\b[^>]*-->$", re.IGNORECASE)
# Section headings of a case report (典型案例): a document with one of them is a case, not a law.
CASE_SECTIONS = frozenset(
    {
        "基本案情",
        "简要案情",
        "案情简介",
        "案件事实",
        "裁判结果",
        "处理结果",
        "裁判要点",
        "裁判理由",
        "典型意义",
    }
)
# A numbering gap of more than this many articles is refused, not warned about: it means the
# text is not what it claims (a quotation taken for an article, a missing page), not a dropped number.
MAX_GAP = 5

HEADING_RANK = {"编": 1, "分编": 2, "章": 3, "节": 4}
UNNUMBERED_RANK = 3  # 序言, 附则, 附件一: shown at chapter level


class LawParseError(ValueError):
    """A file that cannot be imported. ``line`` is 1-based (0 when it concerns the whole file)."""

    def __init__(self, message: str, *, line: int = 0, path: str = ""):
        self.message = message
        self.line = line
        self.path = path
        super().__init__(self.location() + ": " + message if (path or line) else message)

    def location(self) -> str:
        if self.path and self.line:
            return f"{self.path}:{self.line}"
        return self.path or (f"line {self.line}" if self.line else "")


class UnitKind:
    """What a citable unit of a document is: 第X条, an item 一、, or the whole text (全文)."""

    ARTICLE = "article"
    ITEM = "item"
    TEXT = "text"


@dataclass(frozen=True)
class ParseWarning:
    """Something imported but worth a look (a gap in the numbering, dates that disagree)."""

    message: str
    line: int = 0
    file: str = ""

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.file and self.line else self.file or ""
        if not where and self.line:
            where = f"line {self.line}"
        return f"{where}: {self.message}" if where else self.message

    def as_dict(self) -> dict:
        return {"file": self.file, "line": self.line, "message": self.message}


@dataclass(frozen=True)
class HistoryLine:
    """One 'date + event' line under the title, e.g. 2012年10月26日 ……修正."""

    text: str
    date: date | None = None
    line: int = 0

    @property
    def is_commencement(self) -> bool:
        """施行: the line gives the effective date rather than an adoption or amendment."""
        rest = self.text
        m = DATE_RE.search(rest)
        if m:
            rest = rest[m.end() :]
        rest = rest.strip(" \u3000（）()，。")
        return rest.endswith("施行") and (
            "通过" not in rest and "修正" not in rest and "修订" not in rest
        )


@dataclass
class Heading:
    """A structure heading (编/分编/章/节) or an unnumbered one (序言, 附则, 附件)."""

    text: str  # "第一章 总则"
    kind: str  # 编 / 分编 / 章 / 节 / "" (unnumbered)
    rank: int  # 1 编 .. 4 节
    number: int | None
    line: int
    position: int  # number of articles before it (to interleave headings with articles)
    paragraphs: list[str] = field(default_factory=list)  # text directly under the heading


@dataclass
class ParsedArticle:
    """A citable unit: an article 第X条 (the usual case), an item 一、, or the whole text 全文."""

    number: int
    suffix: int
    paragraphs: list[str]
    heading_path: tuple[str, ...]
    line: int
    kind: str = UnitKind.ARTICLE
    file: str = ""  # the part file it came from, when a law is joined from parts

    @property
    def label(self) -> str:
        return unit_label(self.kind, self.number, self.suffix)

    @property
    def key(self) -> tuple[int, int]:
        return (self.number, self.suffix)

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)


@dataclass
class ParsedLaw:
    title: str
    subtitle: str = ""
    history: list[HistoryLine] = field(default_factory=list)
    preamble: list[str] = field(default_factory=list)  # text before the first heading/article
    headings: list[Heading] = field(default_factory=list)
    articles: list[ParsedArticle] = field(default_factory=list)
    source_format: str = "md"
    warnings: list[ParseWarning] = field(default_factory=list)
    is_part: bool = False  # the header carries a PART marker

    @property
    def unit_kind(self) -> str:
        """article / item / text: what the document's citable units are."""
        return self.articles[0].kind if self.articles else ""

    @property
    def is_amendment(self) -> bool:
        return is_amendment_title(self.title)

    @property
    def promulgation_date(self) -> date | None:
        """Date of the latest adoption/amendment line (not a 施行 line)."""
        dates = [h.date for h in self.history if h.date and not h.is_commencement]
        return max(dates) if dates else None

    @property
    def effective_date(self) -> date | None:
        dates = [h.date for h in self.history if h.date and h.is_commencement]
        return max(dates) if dates else None

    @property
    def latest_history(self) -> HistoryLine | None:
        """The latest adoption/amendment line: the promulgation event of this version."""
        lines = [h for h in self.history if h.date and not h.is_commencement]
        return max(lines, key=lambda h: h.date) if lines else None

    def commencement_in_text(self) -> tuple[date | None, bool, int]:
        """(date, from promulgation, line) of "本法自2021年3月1日起施行" / "本修正案自公布之日起施行"
        in the text (the last such sentence). (None, False, 0) when the text does not say."""
        for unit in reversed(self.articles):
            for paragraph in reversed(unit.paragraphs):
                m = COMMENCEMENT_RE.search(paragraph)
                if m:
                    if m["date"]:
                        return _parse_date(m["date"]), False, unit.line
                    return None, True, unit.line
        return None, False, 0


def unit_label(kind: str, number: int, suffix: int = 0) -> str:
    """第一百三十三条之一 / 第二项 / 全文: how a unit is cited."""
    if kind == UnitKind.ITEM:
        return f"第{int_to_cn(number)}项"
    if kind == UnitKind.TEXT:
        return "全文"
    return article_label(number, suffix)


def is_amendment_title(title: str) -> bool:
    """An amendment (修正案) continues the numbering of its series: it may start anywhere."""
    return "修正案" in title


def looks_like_case(text: str) -> bool:
    """A Markdown document with a case section (## 基本案情, ## 裁判结果 …) is a case report."""
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("#"):
            name = stripped.lstrip("#").strip()
            name = re.sub(r"^[一二三四五六七八九十\d]+[、.．]\s*", "", name)
            if name in CASE_SECTIONS:
                return True
    return False


def normalise_whitespace(text: str) -> str:
    """Collapse every run of whitespace (including U+3000) to one space; strip the ends."""
    return " ".join(text.split())


def _clean(line: str) -> str:
    return line.strip().strip("\u3000").strip()


def _parse_date(text: str) -> date | None:
    m = DATE_RE.search(text)
    if not m:
        return None
    try:
        return date(
            int(to_ascii_digits(m["y"])), int(to_ascii_digits(m["m"])), int(to_ascii_digits(m["d"]))
        )
    except ValueError:
        return None


def decode_text(data: bytes, *, name: str = "") -> str:
    """Decode a text file (UTF-8, with or without BOM; GB18030 as used by older official .txt files).

    Raises LawParseError for empty or binary input.
    """
    if not data.strip():
        raise LawParseError("文件为空 (empty file)", line=1)
    if b"\x00" in data[:8192]:
        raise LawParseError("不是文本文件 (binary file: contains NUL bytes)", line=1)
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes almost anything
        raise LawParseError("无法识别文件编码 (not UTF-8 or GB18030 text)")
    controls = sum(1 for ch in text[:8192] if ord(ch) < 32 and ch not in "\r\n\t\f")
    if controls > 8:
        raise LawParseError("不是文本文件 (binary file: control characters)", line=1)
    return text


class _Builder:
    """Shared state machine for the body (after the header) of every format."""

    def __init__(self, law: ParsedLaw):
        self.law = law
        self.stack: list[Heading] = []
        self.current: ParsedArticle | None = None
        self.current_heading: Heading | None = None
        # Lines outside any article, in order, with the heading they sit under (for documents
        # written in items or as one text, which are re-read in `finish`).
        self.loose: list[tuple[int, str, Heading | None]] = []
        self.heading_at: dict[int, int] = {}  # id(heading) -> len(loose) when it was opened

    def heading(self, text: str, line: int, *, md_depth: int | None = None) -> None:
        text = normalise_whitespace(text)
        m = HEADING_RE.match(text)
        if m:
            kind = m["kind"]
            rank = HEADING_RANK[kind]
            try:
                number = cn_to_int(m["num"])
            except ValueError:
                number = None
        else:
            kind, rank, number = "", UNNUMBERED_RANK, None
        heading = Heading(
            text=text,
            kind=kind,
            rank=rank,
            number=number,
            line=line,
            position=len(self.law.articles),
        )
        self.law.headings.append(heading)
        self.heading_at[id(heading)] = len(self.loose)
        while self.stack and self.stack[-1].rank >= rank:
            self.stack.pop()
        self.stack.append(heading)
        self.current = None
        self.current_heading = heading

    def article(self, match: re.Match, line: int) -> None:
        num_text = match["num"]
        suf_text = match["suf"] or match["suf2"]
        try:
            number = cn_to_int(num_text)
            suffix = cn_to_int(suf_text) if suf_text else 0
        except ValueError as exc:
            raise LawParseError(
                f"条号无法识别 (unreadable article number): {exc}", line=line
            ) from exc
        if number <= 0:
            raise LawParseError("条号必须大于零 (article number must be positive)", line=line)
        article = ParsedArticle(
            number=number,
            suffix=suffix,
            paragraphs=[],
            heading_path=tuple(h.text for h in self.stack),
            line=line,
        )
        if self.law.articles:
            try:
                warning = check_next(self.law.articles[-1], article)
            except LawParseError:
                if self.law.is_amendment and self.current is not None:
                    # An amendment quotes the articles it adds (宪法修正案 第五十二条 adds
                    # 第一百二十三条 to 第一百二十七条): a number off its own sequence is quoted text.
                    self.paragraph(match.group(0), line)
                    return
                raise
            if warning:
                self.law.warnings.append(warning)
        first = _clean(match["text"] or "")
        if first:
            article.paragraphs.append(first)
        self.law.articles.append(article)
        self.current = article
        self.current_heading = None

    def paragraph(self, text: str, line: int = 0) -> None:
        text = _clean(text)
        if not text:
            return
        if self.current is not None:
            self.current.paragraphs.append(text)
            return
        self.loose.append((line, text, self.current_heading))
        if self.current_heading is not None:
            self.current_heading.paragraphs.append(text)
        else:
            self.law.preamble.append(text)

    def finish(self) -> ParsedLaw:
        law = self.law
        if not law.articles and not law.preamble and not any(h.paragraphs for h in law.headings):
            raise LawParseError("没有条文或正文 (no articles and no text after the title)", line=1)
        if not law.articles:
            if not self._items():
                self._whole_text()
        _drop_table_of_contents(law)
        return self.law

    def _items(self) -> bool:
        """Re-read a document without 第X条 as items 一、二、…; False if it has none."""
        starts = []
        expected = 1
        for index, (_line, text, _heading) in enumerate(self.loose):
            m = ITEM_LINE_RE.match(text)
            if not m:
                continue
            try:
                number = cn_to_int(m["num"])
            except ValueError:
                continue
            if number == expected:
                starts.append(index)
                expected += 1
        if not starts:
            return False
        law = self.law
        first = starts[0]
        law.preamble = [text for _l, text, h in self.loose[:first] if h is None]
        for heading in law.headings:
            heading.paragraphs = [text for _l, text, h in self.loose[:first] if h is heading]
        boundaries = starts + [len(self.loose)]
        items: list[ParsedArticle] = []
        for n, begin in enumerate(starts):
            line, text, heading = self.loose[begin]
            body = ITEM_LINE_RE.match(text)["text"].strip()
            paragraphs = [body] if body else []
            paragraphs += [t for _l, t, _h in self.loose[begin + 1 : boundaries[n + 1]]]
            path = []
            for h in law.headings:
                if self.heading_at[id(h)] <= begin:
                    while path and path[-1].rank >= h.rank:
                        path.pop()
                    path.append(h)
            items.append(
                ParsedArticle(
                    number=n + 1,
                    suffix=0,
                    paragraphs=paragraphs,
                    heading_path=tuple(h.text for h in path),
                    line=line,
                    kind=UnitKind.ITEM,
                )
            )
        for heading in law.headings:
            at = self.heading_at[id(heading)]
            heading.position = sum(1 for s in starts if s < at)
        law.articles = items
        return True

    def _whole_text(self) -> None:
        """A document with neither articles nor items is one citable unit (全文)."""
        law = self.law
        paragraphs = []
        opened = {self.heading_at[id(h)]: h for h in law.headings}
        for index, (_line, text, _h) in enumerate(self.loose):
            if index in opened:
                paragraphs.append(opened[index].text)
            paragraphs.append(text)
        first_line = self.loose[0][0] if self.loose else 1
        law.preamble = []
        law.headings = []
        law.articles = [
            ParsedArticle(
                number=1,
                suffix=0,
                paragraphs=paragraphs,
                heading_path=(),
                line=first_line,
                kind=UnitKind.TEXT,
            )
        ]


def check_next(prev: ParsedArticle, article: ParsedArticle) -> ParseWarning | None:
    """Check that ``article`` may follow ``prev``. Duplicates, numbers out of order and large
    jumps raise `LawParseError`; a small gap (a dropped number) returns a warning naming it."""
    if article.key == prev.key:
        where = f"第{prev.line}行" if not prev.file or prev.file == article.file else prev.file
        raise LawParseError(
            f"条号重复：{article.label}已在{where}出现 (duplicate article number)",
            line=article.line,
            path=article.file,
        )
    if article.key in {(prev.number + 1, 0), (prev.number, prev.suffix + 1)}:
        return None
    if article.key < prev.key:
        raise LawParseError(
            f"条号顺序错误：{article.label}出现在{prev.label}之后 (article numbers out of order)",
            line=article.line,
            path=article.file,
        )
    missing = [article_label(n) for n in range(prev.number + 1, article.number)]
    if article.suffix:
        missing.append(f"{article_label(article.number)}之一至之{int_to_cn(article.suffix - 1)}")
    if not missing or len(missing) > MAX_GAP:
        raise LawParseError(
            f"条号不连续：{prev.label}之后是{article.label} (skipped article numbers)",
            line=article.line,
            path=article.file,
        )
    names = "、".join(missing)
    return ParseWarning(
        f"条号不连续：{prev.label}之后是{article.label}，缺少{names} "
        f"(numbering gap: {names} missing in the published text)",
        line=article.line,
        file=article.file,
    )


def check_numbering(law: ParsedLaw, *, continues: bool = False) -> None:
    """The first unit must be 第一条, unless the text continues a series (an amendment such as
    宪法修正案（2018年）, whose articles continue the earlier amendments, or a later part of a code)."""
    if not law.articles or law.unit_kind != UnitKind.ARTICLE:
        return
    first = law.articles[0]
    if first.key != (1, 0) and not continues and not law.is_amendment:
        raise LawParseError(
            f"第一条缺失：正文从{first.label}开始 (first article is {first.label}, expected 第一条)",
            line=first.line,
            path=first.file,
        )


def join_parts(parts: list[tuple[str, ParsedLaw]]) -> ParsedLaw:
    """Join the part files of one code (民法典 总则, 物权编, … 附则) into one law.

    ``parts`` are (file name, parsed part). They are put in the order of their first article;
    each part's subtitle (its second H1, e.g. 物权编) becomes a top-level heading, and the
    numbering is checked across the whole (duplicates and disorder refused, gaps warned about).
    """
    parts = sorted(parts, key=lambda fp: fp[1].articles[0].key if fp[1].articles else (0, 0))
    first_name, first = parts[0]
    joined = ParsedLaw(
        title=first.title,
        source_format=first.source_format,
        history=list(first.history),
        preamble=list(first.preamble),
    )
    seen_history = {h.text for h in joined.history}
    for name, part in parts:
        if part.title != first.title:
            raise LawParseError(
                f"分编标题不一致：{part.title} 与 {first.title} (parts have different titles)",
                path=name,
                line=1,
            )
        if part.unit_kind not in ("", UnitKind.ARTICLE):
            raise LawParseError(
                "分编文件没有第X条 (a part must be numbered in articles)", path=name, line=1
            )
        for h in part.history:
            if h.text not in seen_history:
                joined.history.append(h)
                seen_history.add(h.text)
        offset = len(joined.articles)
        prefix: tuple[str, ...] = ()
        if part.subtitle:
            joined.headings.append(
                Heading(text=part.subtitle, kind="编", rank=1, number=None, line=1, position=offset)
            )
            prefix = (part.subtitle,)
        if part.subtitle:
            joined.headings[-1].paragraphs = list(part.preamble) if part is not first else []
        elif part is not first:
            joined.preamble.extend(part.preamble)
        for heading in part.headings:
            heading.position += offset
            joined.headings.append(heading)
        for article in part.articles:
            article.heading_path = prefix + article.heading_path
            article.file = name
            if joined.articles:
                warning = check_next(joined.articles[-1], article)
                if warning:
                    joined.warnings.append(warning)
            joined.articles.append(article)
        joined.warnings.extend(w for w in part.warnings if not w.message.startswith("条号不连续"))
    check_numbering(joined)
    return joined


def _drop_table_of_contents(law: ParsedLaw) -> None:
    """Some texts list their chapters once as a table of contents, then again before the articles.

    If a heading before the first article repeats later (still before the first article), the
    headings before its repetition were the table of contents.
    """
    before = [h for h in law.headings if h.position == 0]
    if len(before) < 2:
        return
    first_text = before[0].text
    for j in range(1, len(before)):
        if before[j].text == first_text:
            toc = set(map(id, before[:j]))
            law.headings = [h for h in law.headings if id(h) not in toc]
            return


def _is_history_line(line: str) -> bool:
    return bool(DATE_RE.match(to_ascii_digits(line).lstrip("（(")))


def parse_markdown(text: str) -> ParsedLaw:
    """Parse the LawRefBook Markdown layout (see /work/shared/data/laws/README.md)."""
    lines = text.splitlines()
    i = 0
    while i < len(lines) and not lines[i].strip():
        i += 1
    if i == len(lines):
        raise LawParseError("文件为空 (empty file)", line=1)
    first = lines[i].strip()
    if not first.startswith("# ") or not first[2:].strip():
        raise LawParseError(
            "缺少标题：第一行应为“# 法规名称” (no title: the first line must be '# <title>')",
            line=i + 1,
        )
    law = ParsedLaw(title=normalise_whitespace(first[2:]), source_format="md")
    i += 1
    has_info_end = any(line.strip() == INFO_END for line in lines[i:])
    # Header: H1 subtitle and history lines, up to <!-- INFO END --> (or up to the first
    # line that is not a history line when the marker is missing).
    while i < len(lines):
        raw = lines[i].strip()
        i += 1
        if not raw:
            continue
        if raw == INFO_END:
            break
        if PART_MARKER_RE.match(raw):
            law.is_part = True
            continue
        if raw.startswith("# ") and not law.subtitle:
            law.subtitle = normalise_whitespace(raw[2:])
            continue
        if has_info_end or _is_history_line(raw):
            law.history.append(
                HistoryLine(text=normalise_whitespace(raw), date=_parse_date(raw), line=i)
            )
            continue
        i -= 1
        break
    builder = _Builder(law)
    for index in range(i, len(lines)):
        raw = lines[index]
        stripped = raw.strip()
        if not stripped or stripped == INFO_END:
            continue
        lineno = index + 1
        if stripped.startswith("#"):
            depth = len(stripped) - len(stripped.lstrip("#"))
            heading_text = stripped[depth:].strip()
            if heading_text:
                builder.heading(heading_text, lineno, md_depth=depth)
            continue
        m = ARTICLE_LINE_RE.match(stripped)
        if m:
            builder.article(m, lineno)
        else:
            builder.paragraph(stripped, lineno)
    return builder.finish()


_TOC_WORDS = {"目录", "目 录"}


def parse_lines(lines: list[str], *, source_format: str = "txt") -> ParsedLaw:
    """Parse plain text (or the paragraphs of a .docx) as published by official databases.

    Layout: a title line, history lines (dated lines, or one parenthesised block such as
    （1995年2月28日……通过　根据2012年10月26日……修正）), an optional 目录, then 第X章 headings
    and 第X条 articles.
    """
    i = 0
    while i < len(lines) and not lines[i].strip():
        i += 1
    if i == len(lines):
        raise LawParseError("文件为空 (empty file)", line=1)
    title = normalise_whitespace(lines[i].lstrip("#").strip())
    if ARTICLE_LINE_RE.match(title) or HEADING_RE.match(title) or _is_history_line(title):
        raise LawParseError(
            "缺少标题：第一行应为法规名称 (no title: the first line must be the law's title)",
            line=i + 1,
        )
    law = ParsedLaw(title=title, source_format=source_format)
    i += 1
    while i < len(lines):
        raw = _clean(lines[i])
        if not raw:
            i += 1
            continue
        if _is_history_line(raw):
            law.history.extend(_split_history(raw, line=i + 1))
            i += 1
            continue
        break
    builder = _Builder(law)
    in_toc = False
    for index in range(i, len(lines)):
        stripped = _clean(lines[index])
        if not stripped:
            continue
        lineno = index + 1
        if normalise_whitespace(stripped).replace(" ", "") in {"目录"}:
            in_toc = True
            continue
        m = ARTICLE_LINE_RE.match(stripped)
        if m:
            in_toc = False
            builder.article(m, lineno)
            continue
        if HEADING_RE.match(normalise_whitespace(stripped)):
            builder.heading(stripped, lineno)
            continue
        if in_toc:
            continue  # TOC lines that are not 第X章 headings (e.g. 附则) are dropped
        builder.paragraph(stripped, lineno)
    return builder.finish()


def _split_history(text: str, *, line: int = 0) -> list[HistoryLine]:
    """Split （1995年2月28日……通过　根据2012年10月26日……修正） into one line per date."""
    inner = text.strip()
    if inner[:1] in "（(" and inner[-1:] in "）)":
        inner = inner[1:-1]
    starts = [m.start() for m in DATE_RE.finditer(inner)]
    if len(starts) <= 1:
        return [HistoryLine(text=normalise_whitespace(inner), date=_parse_date(inner), line=line)]
    pieces = []
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(inner)
        piece = inner[start:end].strip(" \u3000，,；;")
        if piece.endswith("根据"):
            piece = piece[: -len("根据")].strip(" \u3000，,；;")
        pieces.append(
            HistoryLine(text=normalise_whitespace(piece), date=_parse_date(piece), line=line)
        )
    return pieces


def parse_law_bytes(data: bytes, *, name: str, check_start: bool = True) -> ParsedLaw:
    """Decode and parse a .md or .txt file by its name. (.docx is read in the command layer.)

    ``check_start=False`` leaves the "starts at 第一条" check to the caller, which may join the
    file with other parts of the same law first (see `join_parts`)."""
    text = decode_text(data, name=name)
    if name.lower().endswith((".md", ".markdown")):
        law = parse_markdown(text)
    else:
        law = parse_lines(text.splitlines(), source_format="txt")
    if check_start:
        check_numbering(law)
    return law


FILENAME_DATE_RE = re.compile(r"[（(](\d{4})-(\d{2})-(\d{2})[)）]")


def date_from_filename(name: str) -> date | None:
    """名称(2017-09-01).md -> date(2017, 9, 1)."""
    m = FILENAME_DATE_RE.search(name)
    if not m:
        return None
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None
