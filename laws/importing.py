"""Reading law files from disk for `import_laws` (and the benchmark and tests).

Parsing is pure (`laws.parsing`); this module finds files, reads .docx with python-docx, applies
`index.csv` (level, dates, expired) when it sits beside the files, and orders the versions of
each law by date before handing them to `laws.services.law_import`.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.utils import timezone

from laws.metadata import LEVELS, guess_issuing_body, guess_level
from laws.parsing import LawParseError, ParsedLaw, date_from_filename, parse_law_bytes, parse_lines
from laws.services import LawSource

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


def parse_path(path: Path) -> ParsedLaw:
    if path.suffix.lower() == ".docx":
        lines = read_docx_lines(path)
        if not any(line.strip() for line in lines):
            raise LawParseError("文件为空 (empty file)", line=1)
        return parse_lines(lines, source_format="docx")
    return parse_law_bytes(path.read_bytes(), name=path.name)


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
    version_date = (
        _parse_date(row.get("publish"))
        or date_from_filename(path.name)
        or parsed.promulgation_date
        or parsed.effective_date
        or timezone.localdate()
    )
    return LawSource(
        parsed=parsed,
        source_file=str(path.relative_to(root)) if path.is_relative_to(root) else path.name,
        level=chosen_level,
        version_date=version_date,
        promulgation_date=parsed.promulgation_date or _parse_date(row.get("publish")),
        effective_date=_parse_date(row.get("valid_from")) or parsed.effective_date,
        expired=row.get("expired", "").strip() == "1",
        issuing_body=guess_issuing_body(parsed, chosen_level, folders),
    )


def plan(paths: list[Path], *, level: str | None = None, progress=None, read_index: bool = True):
    """Parse every file. Returns (sources in import order, rejected, skipped).

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
            parsed = parse_path(path)
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
            sources.append(result)
    # Versions of one law in date order, so the newest ends up current.
    sources.sort(key=lambda s: (s.parsed.title, s.version_date, s.source_file))
    return sources, rejected, skipped
