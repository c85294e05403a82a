"""Reading uploaded tables (.xlsx or UTF-8 .csv) into numbered rows. No Django imports.

Every staff import of rows (the officer roster, the case list for evaluation …) reads its file
here, so that the same limits protect them all: a spreadsheet is a zip archive, and a small file
can unpack to gigabytes or hold millions of cells. The archive's declared sizes are checked
before openpyxl parses anything, and rows and cells are counted while reading.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass


class TableFileError(Exception):
    """The file as a whole cannot be read (wrong format, too large, no header, missing columns)."""


@dataclass(frozen=True)
class TableLimits:
    max_rows: int = 20_000
    max_cells: int = 400_000
    max_uncompressed: int = 50 * 1024 * 1024  # bytes, all members of an .xlsx together


DEFAULT_LIMITS = TableLimits()


def check_zip_size(filename: str, content: bytes, limit: int) -> None:
    """Refuse an archive whose members declare more than ``limit`` bytes uncompressed."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            total = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as exc:
        raise TableFileError(f"{filename}: 无法读取 Excel 文件（不是有效的 .xlsx 压缩包）") from exc
    if total > limit:
        raise TableFileError(
            f"{filename}: 解压后 {total // (1024 * 1024)} MB，超过上限 "
            f"{limit // (1024 * 1024)} MB (uncompressed size over the limit)"
        )


def _raw_rows(filename: str, content: bytes, limits: TableLimits):
    name = filename.lower()
    if name.endswith(".csv"):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise TableFileError(
                f"{filename}: 不是 UTF-8 编码的 CSV 文件（第 {exc.start} 字节无法解码）"
            ) from exc
        yield from csv.reader(io.StringIO(text))
    elif name.endswith(".xlsx"):
        from openpyxl import load_workbook

        check_zip_size(filename, content, limits.max_uncompressed)
        try:
            workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
            sheet = workbook.worksheets[0]
            for row in sheet.iter_rows(values_only=True):
                yield ["" if cell is None else str(cell) for cell in row]
        except TableFileError:
            raise
        except Exception as exc:  # noqa: BLE001 - openpyxl raises many unrelated types for broken files
            raise TableFileError(
                f"{filename}: 无法读取 Excel 文件（{exc.__class__.__name__}）"
            ) from exc
    else:
        raise TableFileError(f"{filename}: 只支持 .xlsx 或 .csv 文件")


def read_table(
    filename: str, content: bytes, *, required, limits: TableLimits = DEFAULT_LIMITS
) -> list[tuple[int, dict[str, str]]]:
    """Rows as (row number as Excel shows it, {column: text}); blank rows are skipped.

    Raises TableFileError naming the file for an unreadable file, a missing header column, or
    a table over the row or cell limit.
    """
    header: list[str] | None = None
    rows: list[tuple[int, dict[str, str]]] = []
    cells = 0
    for number, values in enumerate(_raw_rows(filename, content, limits), start=1):
        cells += len(values)
        if number > limits.max_rows + 1 or cells > limits.max_cells:
            raise TableFileError(
                f"{filename}: 超过上限（最多 {limits.max_rows} 行、{limits.max_cells} 个单元格），"
                f"请分批导入 (too many rows or cells)"
            )
        if header is None:
            header = [h.strip() for h in values]
            missing = [c for c in required if c not in header]
            if missing:
                raise TableFileError(f"{filename}: 第 1 行缺少列：{'、'.join(missing)}")
            continue
        record = {
            h: (values[i].strip() if i < len(values) and values[i] is not None else "")
            for i, h in enumerate(header)
            if h
        }
        if any(record.values()):
            rows.append((number, record))
    if header is None:
        raise TableFileError(f"{filename}: 文件为空")
    return rows
