"""Reading law files from disk for `import_laws` (and the benchmark and tests).

Parsing is pure (`laws.parsing`); this module finds files, reads .docx with python-docx, applies
`index.csv` (level, dates, expired) when it sits beside the files, and orders the versions of
each law by date before handing them to `laws.services.law_import`.
"""

from __future__ import annotations

import csv
import logging
from dataclasses import dataclass, replace
from datetime import date
from itertools import groupby
from pathlib import Path

from django.utils import timezone

from laws.dates import reconcile
from laws.metadata import (
    LEVELS,
    guess_issuing_body,
    guess_level,
    guess_region,
    guess_sector,
    short_title,
)
from laws.parsing import (
    LawParseError,
    ParsedLaw,
    UnitKind,
    check_numbering,
    date_from_filename,
    decode_text,
    join_parts,
    looks_like_case,
    parse_law_bytes,
    parse_lines,
)
from laws.services import LawSource

logger = logging.getLogger(__name__)

SUFFIXES = (".md", ".markdown", ".txt", ".docx")
IGNORED_NAMES = {"readme.md", "index.csv", "license", "license.md", "changelog.md"}


@dataclass
class Rejected:
    path: str
    line: int
    message: str

    def __str__(self):
        return (
            f"{self.path}:{self.line}: {self.message}"
            if self.line
            else f"{self.path}: {self.message}"
        )


@dataclass
class Skipped:
    path: str
    reason: str
    kind: str = ""  # "case": a case file, which import_laws hands to the casebook


def collect_files(paths: list[Path]) -> list[tuple[Path, Path]]:
    """(file, root) pairs; root is the folder given on the command line (for index.csv lookups)."""
    found = []
    for given in paths:
        if given.is_dir():
            for path in sorted(given.rglob("*")):
                if (
                    path.is_file()
                    and path.suffix.lower() in SUFFIXES
                    and path.name.lower() not in IGNORED_NAMES
                ):
                    if not any(part.startswith(".") for part in path.relative_to(given).parts):
                        found.append((path, given))
        else:
            found.append((given, given.parent))
    return found


def load_index(root: Path) -> dict[str, dict]:
    """index.csv rows by path relative to its folder (see shared/data/laws/README.md)."""
    rows = {}
    for folder in {root, *root.parents} if root.exists() else set():
        index = folder / "index.csv"
        if index.is_file():
            with index.open(encoding="utf-8-sig", newline="") as fh:
                for row in csv.DictReader(fh):
                    if row.get("path"):
                        rows[str((folder / row["path"]).resolve())] = row
    return rows


def read_docx_lines(path: Path) -> list[str]:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError, OSError) as exc:
        raise LawParseError(f"无法读取 Word 文件 (not a valid .docx): {exc}", line=1) from exc
    except Exception as exc:  # noqa: BLE001  (zipfile.BadZipFile and lxml errors)
        raise LawParseError(f"无法读取 Word 文件 (not a valid .docx): {exc}", line=1) from exc
    return [p.text for p in document.paragraphs]


def refuse_bombs(path: Path) -> None:
    """Import bombs (core.import_limits): a file beyond the limits is refused before it is read
    or unpacked (a .docx's members are checked from the zip directory)."""
    from core.import_limits import ImportTooLarge, check_file

    try:
        check_file(path.name, path)
    except ImportTooLarge as exc:
        raise LawParseError(str(exc), line=0) from exc


def parse_path(path: Path, *, check_start: bool = True) -> ParsedLaw:
    refuse_bombs(path)
    if path.suffix.lower() == ".docx":
        lines = read_docx_lines(path)
        if not any(line.strip() for line in lines):
            raise LawParseError("文件为空 (empty file)", line=1)
        parsed = parse_lines(lines, source_format="docx")
        if check_start:
            check_numbering(parsed)
        return parsed
    return parse_law_bytes(path.read_bytes(), name=path.name, check_start=check_start)


def _parse_date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        return None


def build_source(
    path: Path, root: Path, parsed: ParsedLaw, row: dict | None, *, level: str | None = None
) -> LawSource | Skipped:
    display = str(path)
    folders = list(path.relative_to(root).parts[:-1]) if path.is_relative_to(root) else []
    csv_level = (row or {}).get("level", "").strip()
    if csv_level and csv_level not in LEVELS and not level:
        kind = "case" if csv_level == "案例" else ""
        return Skipped(
            display,
            f"index.csv 标注为“{csv_level}”，不是法规 (level {csv_level!r} is not a regulation)",
            kind,
        )
    if not csv_level and "案例" in folders and not level:
        return Skipped(display, "案例文件不属于法规库 (a case file, not a regulation)", "case")
    chosen_level = level or csv_level or guess_level(parsed.title, folders)
    row = row or {}
    source_file = str(path.relative_to(root)) if path.is_relative_to(root) else path.name
    issuing_body = guess_issuing_body(parsed, chosen_level, folders)
    region, city = (
        guess_region(parsed.title, issuing_body, list(path.parent.parts))
        if chosen_level == "地方性法规"
        else ("", "")
    )
    dates = reconcile(
        parsed,
        file=source_file,
        index_publish=_parse_date(row.get("publish")),
        index_valid_from=_parse_date(row.get("valid_from")),
        filename_date=date_from_filename(path.name),
    )
    return LawSource(
        parsed=parsed,
        source_file=source_file,
        level=chosen_level,
        version_date=dates.version_date or dates.effective_date or timezone.localdate(),
        promulgation_date=dates.promulgation_date,
        effective_date=dates.effective_date,
        expired=row.get("expired", "").strip() == "1",
        issuing_body=issuing_body,
        sector=guess_sector(parsed.title, chosen_level, list(path.parent.parts))
        if chosen_level in ("宪法", "法律")
        else "",
        region=region,
        city=city,
        files=[source_file],
        folder=str(path.parent),
        warnings=dates.warnings,
    )


def _is_part(source: LawSource) -> bool:
    """Recognised as one part of a law published in several files: by an explicit PART marker,
    by its title (a second H1 naming the part, as the 民法典 files have), or by its folder (a
    folder named after the law, such as 民法典/)."""
    parsed = source.parsed
    folder = Path(source.folder).name
    return bool(
        parsed.is_part or parsed.subtitle or folder in {parsed.title, short_title(parsed.title)}
    )


def _starts_at_one(source: LawSource) -> bool:
    articles = source.parsed.articles
    return bool(articles) and (articles[0].key == (1, 0) or articles[0].kind != UnitKind.ARTICLE)


def _assemble(sources: list[LawSource], rejected: list[Rejected]) -> list[LawSource]:
    """Join the part files of each code into one source; check each law's numbering as a whole."""
    groups: dict[tuple, list[LawSource]] = {}
    for source in sources:
        key = (source.parsed.title, source.folder, source.version_date)
        groups.setdefault(key, []).append(source)
    out = []
    for members in groups.values():
        parts = [m for m in members if _is_part(m) or not _starts_at_one(m)]
        if len(members) > 1 and parts and not members[0].parsed.is_amendment:
            try:
                out.append(_join(members))
            except LawParseError as exc:
                bad = exc.path or members[0].source_file
                rejected.append(Rejected(_display(members, bad), exc.line, exc.message))
                for m in members:
                    if m.source_file != bad:
                        rejected.append(
                            Rejected(
                                m.display,
                                0,
                                f"与 {Path(bad).name} 同属一部法规，因其错误未导入 "
                                f"(part of the same law as {Path(bad).name}, which was refused)",
                            )
                        )
            continue
        for source in members:
            try:
                check_numbering(source.parsed)
            except LawParseError as exc:
                hint = ""
                if _is_part(source):
                    hint = "；它像是一部法规的分编，但同一文件夹里没有其他分编 (a part whose other parts are missing)"
                rejected.append(Rejected(source.display, exc.line, exc.message + hint))
                continue
            out.append(source)
    return out


def _display(members: list[LawSource], source_file: str) -> str:
    for m in members:
        if m.source_file == source_file:
            return m.display
    return source_file


def _join(members: list[LawSource]) -> LawSource:
    joined = join_parts([(m.source_file, m.parsed) for m in members])
    first = min(members, key=lambda m: m.parsed.articles[0].key if m.parsed.articles else (0, 0))
    files = [m.source_file for m in sorted(members, key=lambda m: m.parsed.articles[0].key)]
    return replace(
        first,
        parsed=joined,
        source_file="; ".join(files)[:500],
        files=files,
        warnings=list(first.warnings),
        display="; ".join(m.display for m in members),
        promulgation_date=joined.promulgation_date or first.promulgation_date,
        effective_date=first.effective_date or joined.effective_date,
    )


def plan(paths: list[Path], *, level: str | None = None, progress=None, read_index: bool = True):
    """Parse every file. Returns (sources in import order, rejected, skipped).

    A case report (a Markdown file with a 基本案情 or 裁判结果 section) is skipped as a case,
    wherever it sits. The parts of a code (民法典 总则, 物权编 …) become one source. Each
    source's ``warnings`` say what was imported but should be looked at (numbering gaps).

    ``read_index=False`` ignores any index.csv in the folders and their parents (an upload in a
    temporary folder has none of its own)."""
    files = collect_files(paths)
    sources: list[LawSource] = []
    rejected: list[Rejected] = []
    skipped: list[Skipped] = []
    indexes: dict[Path, dict] = {}
    for n, (path, root) in enumerate(files, 1):
        if progress:
            progress(n, len(files), path)
        if root not in indexes:
            indexes[root] = load_index(root) if read_index else {}
        try:
            if path.suffix.lower() in (".md", ".markdown", ".txt"):
                refuse_bombs(path)
                data = path.read_bytes()
                if looks_like_case(decode_text(data, name=path.name)):
                    skipped.append(
                        Skipped(
                            str(path),
                            "案例（有“基本案情/裁判结果”等部分），交给案例库 (a case report)",
                            "case",
                        )
                    )
                    continue
                parsed = parse_law_bytes(data, name=path.name, check_start=False)
            else:
                parsed = parse_path(path, check_start=False)
        except LawParseError as exc:
            rejected.append(Rejected(str(path), exc.line, exc.message))
            continue
        except OSError as exc:
            rejected.append(Rejected(str(path), 0, f"无法读取文件 (cannot read): {exc}"))
            continue
        result = build_source(
            path, root, parsed, indexes[root].get(str(path.resolve())), level=level
        )
        if isinstance(result, Skipped):
            skipped.append(result)
        else:
            result.display = str(path)
            sources.append(result)
    sources = _assemble(sources, rejected)
    for source in sources:
        source.warnings = [
            replace(w, file=w.file or source.source_file) for w in source.parsed.warnings
        ] + source.warnings
    # Versions of one law in date order, so the newest ends up current.
    sources.sort(key=lambda s: (s.parsed.title, s.version_date, s.source_file))
    return sources, rejected, skipped


# --- the one import path: the command and the admin page both call `import_law_files` ----------

OUTCOME_NEW_LAW = "new_law"
OUTCOME_NEW_VERSION = "new_version"
OUTCOME_UNCHANGED = "unchanged"
OUTCOME_CHECKED = "checked"  # dry run


@dataclass
class ImportRow:
    """One law version of an import (one file, or the joined parts of a code)."""

    source: LawSource
    outcome: str = ""
    changes: int = 0
    url: str = ""

    @property
    def file(self) -> str:
        return self.source.source_file

    @property
    def title(self) -> str:
        return self.source.parsed.title

    @property
    def level(self) -> str:
        return self.source.level

    @property
    def version_date(self) -> date:
        return self.source.version_date

    @property
    def articles(self) -> int:
        return len(self.source.parsed.articles)

    @property
    def unit_kind(self) -> str:
        return self.source.parsed.unit_kind

    @property
    def warnings(self) -> list:
        return self.source.warnings


@dataclass
class ImportReport:
    rows: list[ImportRow]
    rejected: list[Rejected]
    skipped: list[Skipped]
    dry_run: bool = False
    elapsed: float = 0.0
    parse_seconds: float = 0.0  # reading and parsing the files
    write_seconds: float = 0.0  # the database part
    index_seconds: float = 0.0  # search indexing at the end

    def count(self, outcome: str) -> int:
        return sum(1 for row in self.rows if row.outcome == outcome)

    @property
    def articles_created(self) -> int:
        return sum(
            row.articles
            for row in self.rows
            if row.outcome in (OUTCOME_NEW_LAW, OUTCOME_NEW_VERSION)
        )

    @property
    def articles_unchanged(self) -> int:
        return sum(row.articles for row in self.rows if row.outcome == OUTCOME_UNCHANGED)

    @property
    def laws_created(self) -> int:
        return self.count(OUTCOME_NEW_LAW)

    @property
    def versions_created(self) -> int:
        return self.count(OUTCOME_NEW_LAW) + self.count(OUTCOME_NEW_VERSION)

    @property
    def changes(self) -> int:
        return sum(row.changes for row in self.rows)

    @property
    def without_articles(self) -> list[ImportRow]:
        """Documents that produced no 第X条 unit (items only, or one 全文 unit)."""
        return [row for row in self.rows if row.unit_kind != UnitKind.ARTICLE]

    @property
    def warnings(self) -> list:
        return [w for row in self.rows for w in row.warnings]


def import_law_files(
    paths: list[Path],
    *,
    level: str | None = None,
    read_index: bool = True,
    dry_run: bool = False,
    limit: int = 0,
    parse_progress=None,
    progress=None,
    index_progress=None,
) -> ImportReport:
    """Parse ``paths`` (files or folders) and import every law that parses.

    Each law (all of its versions in the import) is one unit of work in its own transaction: a
    file that cannot be parsed, or a law whose write fails, is reported in ``rejected`` and the
    rest is imported. ``progress(n, total, row)`` is called after each version.

    Search indexing waits for the end: a large import goes through the search rebuild's bulk
    path once (``index_progress(done, total)`` reports it), a small one law by law.
    """
    import time

    from laws.services import deferred_search_indexing, library_index, resolve_amendment_links

    started = time.perf_counter()
    sources, rejected, skipped = plan(
        paths, level=level, progress=parse_progress, read_index=read_index
    )
    parsed_at = time.perf_counter()
    if limit:
        sources = sources[:limit]
    rows = [ImportRow(source) for source in sources]
    report = ImportReport(rows=rows, rejected=rejected, skipped=skipped, dry_run=dry_run)
    report.parse_seconds = parsed_at - started
    if dry_run or not rows:
        for row in rows:
            row.outcome = OUTCOME_CHECKED
        report.elapsed = time.perf_counter() - started
        return report
    index_page = library_index()
    with deferred_search_indexing(progress=index_progress):
        done = _write(rows, index_page, rejected, progress)
        resolve_amendment_links()
        written_at = time.perf_counter()
    report.write_seconds = written_at - parsed_at
    report.index_seconds = time.perf_counter() - written_at
    report.rows = done
    report.elapsed = time.perf_counter() - started
    return report


def _write(rows, index_page, rejected, progress) -> list[ImportRow]:
    from django.core.exceptions import ValidationError
    from django.db import DatabaseError, transaction

    from laws.services import law_import

    n = 0
    done: list[ImportRow] = []
    for _title, group in groupby(rows, key=lambda r: r.title):
        group = list(group)
        try:
            with transaction.atomic():
                for row in group:
                    result = law_import(source=row.source, index_page=index_page)
                    row.url = result.law.url or ""
                    row.changes = len(result.changes)
                    row.outcome = (
                        OUTCOME_UNCHANGED
                        if result.unchanged
                        else OUTCOME_NEW_LAW
                        if result.law_created
                        else OUTCOME_NEW_VERSION
                    )
        except (DatabaseError, ValueError, ValidationError) as exc:
            logger.exception("laws: import of %s failed", group[0].title)
            for row in group:
                row.outcome = ""
                rejected.append(
                    Rejected(row.source.display or row.file, 0, f"保存失败 (could not save): {exc}")
                )
            continue
        for row in group:
            n += 1
            done.append(row)
            if progress:
                progress(n, len(rows), row)
    return done
