"""Uploaded tables: limits are checked before and while parsing (no database)."""

import io
import zipfile

import pytest
from openpyxl import Workbook

from core.tables import TableFileError, TableLimits, read_table


def xlsx(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_rows_are_numbered_as_excel_shows_them_and_blank_rows_skipped():
    content = xlsx([["警号", "姓名"], ["100001", "张三"], [None, None], ["100002", "李四"]])
    assert read_table("a.xlsx", content, required=["警号"]) == [
        (2, {"警号": "100001", "姓名": "张三"}),
        (4, {"警号": "100002", "姓名": "李四"}),
    ]


def test_missing_column_names_the_file_and_the_column():
    with pytest.raises(TableFileError, match="名单.csv: 第 1 行缺少列：单位代码"):
        read_table("名单.csv", "警号,姓名\n1,张三\n".encode(), required=["警号", "单位代码"])


def test_too_many_rows_is_refused_with_the_limit():
    content = ("警号\n" + "\n".join(str(n) for n in range(50))).encode()
    with pytest.raises(TableFileError, match="最多 10 行"):
        read_table("big.csv", content, required=["警号"], limits=TableLimits(max_rows=10))


def test_a_zip_bomb_is_refused_before_parsing():
    # 40 MB of zeros compresses to a few dozen KB: the declared size gives it away.
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", b"0" * (40 * 1024 * 1024))
    content = out.getvalue()
    assert len(content) < 200_000
    limits = TableLimits(max_uncompressed=10 * 1024 * 1024)
    with pytest.raises(TableFileError, match="bomb.xlsx: 解压后 40 MB，超过上限 10 MB"):
        read_table("bomb.xlsx", content, required=["警号"], limits=limits)


def test_not_a_spreadsheet():
    with pytest.raises(TableFileError, match="只支持 .xlsx 或 .csv"):
        read_table("a.pdf", b"%PDF", required=[])
