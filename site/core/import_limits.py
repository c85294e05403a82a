"""Limits on what one import may unpack and read (import bombs), checked before any parsing.

A 211 KB .xlsx declaring 5 M shared strings held a worker for 111 s and 820 MB; a 690 KB .docx
whose document.xml unpacks to 320 MB peaked at 989 MB. An Office file is a zip: its members'
uncompressed sizes are in the zip's directory, and a spreadsheet's sheet sizes and shared-string
count are in the first bytes of their XML, so all of it is checked from ``zipfile`` infos and a
few hundred bytes per member, without inflating anything. Plain-text files (CSV, JSON Lines,
Markdown) are counted by lines. Every refusal names the file and the limit.

The limits are settings (``IMPORT_LIMITS`` in config/settings/base.py, overridable from the
environment) and ``help_text()`` says them on each import page.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

MB = 1024 * 1024
OFFICE_SUFFIXES = (".xlsx", ".docx")
TEXT_SUFFIXES = (".csv", ".jsonl", ".json", ".md", ".markdown", ".txt")
_HEAD = 4096  # bytes read from the start of a member to find its declared size
_SHEET = re.compile(r"xl/worksheets/[^/]+\.xml")
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]{1,3})(\d+)(?::([A-Z]{1,3})(\d+))?"')
_SST_COUNT = re.compile(rb'<(?:\w+:)?sst\b[^>]*?\b(?:uniqueCount|count)="(\d+)"')


@dataclass(frozen=True)
class Limits:
    uncompressed_mb: int = 50  # all members of one .xlsx/.docx together, unpacked
    members: int = 2000  # files inside one .xlsx/.docx
    rows: int = 20_000  # data rows of one spreadsheet or CSV, records of one JSON Lines file
    cells: int = 400_000  # cells of one spreadsheet (rows × columns), or its shared strings
    lines: int = 200_000  # lines of one text file (a law, a Markdown case)


def limits() -> Limits:
    return Limits(**getattr(settings, "IMPORT_LIMITS", {}))


class ImportTooLarge(ValueError):
    """The file exceeds an import limit; ``str(exc)`` names the file and the limit."""


def help_text() -> str:
    """The limits, for each import page's help."""
    lim = limits()
    return _(
        "导入上限：.xlsx/.docx 解压后不超过 %(mb)d MB；每个文件最多 %(rows)s 行（条记录）、"
        "%(cells)s 个单元格；文本文件最多 %(lines)s 行。超过上限的文件不会被读取。"
    ) % {
        "mb": lim.uncompressed_mb,
        "rows": f"{lim.rows:,}",
        "cells": f"{lim.cells:,}",
        "lines": f"{lim.lines:,}",
    }


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ch - 64)
    return n


def _refuse(name: str, what: str) -> ImportTooLarge:
    return ImportTooLarge(_("%(name)s：%(what)s，未读取该文件。") % {"name": name, "what": what})


def _check_zip(name: str, source, lim: Limits) -> None:
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # not a zip at all: the reader reports "not a valid .xlsx/.docx" itself
    with archive:
        infos = archive.infolist()
        if len(infos) > lim.members:
            raise _refuse(
                name,
                _("压缩包内有 %(n)s 个文件，超过上限 %(limit)s 个")
                % {"n": f"{len(infos):,}", "limit": f"{lim.members:,}"},
            )
        total = sum(info.file_size for info in infos)
        if total > lim.uncompressed_mb * MB:
            raise _refuse(
                name,
                _("解压后共 %(size)s MB，超过上限 %(limit)d MB")
                % {"size": f"{total / MB:,.0f}", "limit": lim.uncompressed_mb},
            )
        if not name.lower().endswith(".xlsx"):
            return
        for info in infos:
            if info.filename == "xl/sharedStrings.xml":
                head = archive.open(info).read(_HEAD)
                m = _SST_COUNT.search(head)
                if m and int(m.group(1)) > lim.cells:
                    raise _refuse(
                        name,
                        _("声明了 %(n)s 个共享字符串，超过单元格上限 %(limit)s 个")
                        % {"n": f"{int(m.group(1)):,}", "limit": f"{lim.cells:,}"},
                    )
            elif _SHEET.fullmatch(info.filename):
                head = archive.open(info).read(_HEAD)
                m = _DIMENSION.search(head)
                if not m:
                    continue
                rows = int(m.group(4) or m.group(2))
                columns = _column_number(m.group(3) or m.group(1))
                if rows - 1 > lim.rows:
                    raise _refuse(
                        name,
                        _("工作表有 %(n)s 行，超过上限 %(limit)s 行")
                        % {"n": f"{rows:,}", "limit": f"{lim.rows:,}"},
                    )
                if rows * columns > lim.cells:
                    raise _refuse(
                        name,
                        _("工作表有 %(n)s 个单元格，超过上限 %(limit)s 个")
                        % {"n": f"{rows * columns:,}", "limit": f"{lim.cells:,}"},
                    )


def _count_lines(source) -> int:
    if isinstance(source, bytes | bytearray):
        return source.count(b"\n") + 1
    count = 1
    with open(source, "rb") as fh:
        while chunk := fh.read(1 << 20):
            count += chunk.count(b"\n")
    return count


def check_file(name: str, source: bytes | str | Path) -> None:
    """Refuse (``ImportTooLarge``) a file beyond the limits; ``source`` is its bytes or path.

    ``name`` is what the message calls the file (the upload's name)."""
    lim = limits()
    suffix = Path(name).suffix.lower()
    if suffix in OFFICE_SUFFIXES:
        _check_zip(name, BytesIO(source) if isinstance(source, bytes | bytearray) else source, lim)
    elif suffix in TEXT_SUFFIXES:
        lines = _count_lines(source)
        limit = lim.rows + 1 if suffix in (".csv", ".jsonl", ".json") else lim.lines
        if lines > limit:
            raise _refuse(
                name,
                _("有 %(n)s 行，超过上限 %(limit)s 行")
                % {"n": f"{lines:,}", "limit": f"{limit:,}"},
            )


def with_limits(text):
    """A form field's help text followed by the import limits (evaluated when shown)."""
    from django.utils.functional import lazy
    from django.utils.text import format_lazy

    return format_lazy("{} {}", text, lazy(help_text, str)())
