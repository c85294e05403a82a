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

from laws.numerals import CN_NUMERAL_CHARS, article_label, cn_to_int, to_ascii_digits

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

    def with_path(self, path: str) -> LawParseError:
        return LawParseError(self.message, line=self.line, path=path)


@dataclass(frozen=True)
class HistoryLine:
    """One 'date + event' line under the title, e.g. 2012年10月26日 ……修正."""

    text: str
    date: date | None = None

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
    number: int
    suffix: int
    paragraphs: list[str]
    heading_path: tuple[str, ...]
    line: int

    @property
    def label(self) -> str:
        return article_label(self.number, self.suffix)

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

    @property
    def promulgation_date(self) -> date | None:
        """Date of the latest adoption/amendment line (not a 施行 line)."""
        dates = [h.date for h in self.history if h.date and not h.is_commencement]
        return max(dates) if dates else None

    @property
    def effective_date(self) -> date | None:
        dates = [h.date for h in self.history if h.date and h.is_commencement]
        return max(dates) if dates else None


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
        self._check_order(article)
        first = _clean(match["text"] or "")
        if first:
            article.paragraphs.append(first)
        self.law.articles.append(article)
        self.current = article
        self.current_heading = None

    def _check_order(self, article: ParsedArticle) -> None:
        if not self.law.articles:
            if article.key != (1, 0):
                raise LawParseError(
                    f"第一条缺失：正文从{article.label}开始 (first article is {article.label}, expected 第一条)",
                    line=article.line,
                )
            return
        prev = self.law.articles[-1]
        if article.key == prev.key:
            raise LawParseError(
                f"条号重复：{article.label}已在第{prev.line}行出现 (duplicate article number)",
                line=article.line,
            )
        expected_next = {(prev.number + 1, 0), (prev.number, prev.suffix + 1)}
        if article.key in expected_next:
            return
        if article.key < prev.key:
            raise LawParseError(
                f"条号顺序错误：{article.label}出现在{prev.label}之后 (article numbers out of order)",
                line=article.line,
            )
        raise LawParseError(
            f"条号不连续：{prev.label}之后是{article.label}，缺少{article_label(prev.number + 1)} "
            f"(skipped article number)",
            line=article.line,
        )

    def paragraph(self, text: str) -> None:
        text = _clean(text)
        if not text:
            return
        if self.current is not None:
            self.current.paragraphs.append(text)
        elif self.current_heading is not None:
            self.current_heading.paragraphs.append(text)
        else:
            self.law.preamble.append(text)

    def finish(self) -> ParsedLaw:
        law = self.law
        if not law.articles and not law.preamble and not any(h.paragraphs for h in law.headings):
            raise LawParseError("没有条文或正文 (no articles and no text after the title)", line=1)
        _drop_table_of_contents(law)
        return self.law


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
        if raw.startswith("# ") and not law.subtitle:
            law.subtitle = normalise_whitespace(raw[2:])
            continue
        if has_info_end or _is_history_line(raw):
            law.history.append(HistoryLine(text=normalise_whitespace(raw), date=_parse_date(raw)))
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
            builder.paragraph(stripped)
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
            law.history.extend(_split_history(raw))
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
        builder.paragraph(stripped)
    return builder.finish()


def _split_history(text: str) -> list[HistoryLine]:
    """Split （1995年2月28日……通过　根据2012年10月26日……修正） into one line per date."""
    inner = text.strip()
    if inner[:1] in "（(" and inner[-1:] in "）)":
        inner = inner[1:-1]
    starts = [m.start() for m in DATE_RE.finditer(inner)]
    if len(starts) <= 1:
        return [HistoryLine(text=normalise_whitespace(inner), date=_parse_date(inner))]
    pieces = []
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(inner)
        piece = inner[start:end].strip(" \u3000，,；;")
        if piece.endswith("根据"):
            piece = piece[: -len("根据")].strip(" \u3000，,；;")
        pieces.append(HistoryLine(text=normalise_whitespace(piece), date=_parse_date(piece)))
    return pieces


def parse_law_bytes(data: bytes, *, name: str) -> ParsedLaw:
    """Decode and parse a .md or .txt file by its name. (.docx is read in the command layer.)"""
    text = decode_text(data, name=name)
    if name.lower().endswith((".md", ".markdown")):
        return parse_markdown(text)
    return parse_lines(text.splitlines(), source_format="txt")


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
