"""Item 8 of issue 11: import bombs are refused before they are parsed, with the file and the
limit named, and nothing saved. The bombs are small real files built here: an .xlsx declaring
millions of shared strings, spreadsheets and CSVs with too many rows, a .docx whose document.xml
unpacks far beyond its size, too many JSON Lines records. Uploaded through the real admin pages."""

import io
import zipfile

import pytest
from openpyxl import Workbook

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from casebook.models import CasePage
from laws.models import LawPage
from questions.bankfile import TEMPLATE_COLUMNS
from questions.models import Question

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_limits(settings):
    settings.IMPORT_LIMITS = {"uncompressed_mb": 2, "rows": 50, "cells": 5000, "lines": 400}
    return settings.IMPORT_LIMITS


def xlsx_bytes(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "题目"
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def rewrite_member(data: bytes, member: str, content: bytes) -> bytes:
    """The same zip with one member replaced (or added)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            if info.filename != member:
                target.writestr(info, source.read(info), compress_type=zipfile.ZIP_DEFLATED)
        target.writestr(member, content, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def question_row(n):
    row = dict.fromkeys(TEMPLATE_COLUMNS, "")
    row.update({"题型": "单选", "题干": f"题干{n}", "选项A": "甲", "选项B": "乙", "答案": "A"})
    return [row[c] for c in TEMPLATE_COLUMNS]


def upload_questions(client, name, data):
    return client.post(
        reverse("questions_import"),
        {"files": SimpleUploadedFile(name, data), "status": "draft"},
    )


def test_an_xlsx_declaring_millions_of_shared_strings_is_refused_unread(client, legal_staff):
    data = xlsx_bytes([list(TEMPLATE_COLUMNS), question_row(1)])
    # Five million shared strings declared (the issue's 211 KB bomb held a worker for 111 s).
    sst = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        b'count="5000000" uniqueCount="5000000">' + b"<si><t>x</t></si>" * 5000 + b"</sst>"
    )
    bomb = rewrite_member(data, "xl/sharedStrings.xml", sst)
    client.force_login(legal_staff)
    response = upload_questions(client, "bomb.xlsx", bomb)
    text = response.content.decode()
    assert "bomb.xlsx" in text and "5,000,000 个共享字符串" in text and "400,000" in text
    assert not Question.objects.exists()


def test_a_spreadsheet_with_too_many_rows_is_refused_for_questions_and_roster(
    client, legal_staff, small_limits, units
):
    client.force_login(legal_staff)
    rows = [list(TEMPLATE_COLUMNS)] + [question_row(n) for n in range(80)]
    response = upload_questions(client, "many.xlsx", xlsx_bytes(rows))
    text = response.content.decode()
    assert "many.xlsx" in text and "81 行" in text and "上限 50 行" in text
    assert not Question.objects.exists()

    roster = xlsx_bytes(
        [["警号", "姓名", "单位代码"]] + [[f"2000{n:02d}", f"民警{n}", "B03"] for n in range(60)]
    )
    response = client.post(
        reverse("accounts:roster_import"), {"file": SimpleUploadedFile("名册.xlsx", roster)}
    )
    text = response.content.decode()
    assert "名册.xlsx" in text and "上限 50 行" in text
    from accounts.models import User

    assert not User.objects.filter(police_number__startswith="2000").exists()

    csv = "警号,姓名,单位代码\n" + "".join(f"3000{n:02d},民警{n},B03\n" for n in range(60))
    response = client.post(
        reverse("accounts:roster_import"),
        {"file": SimpleUploadedFile("名册.csv", csv.encode())},
    )
    assert "名册.csv" in response.content.decode() and "上限 51 行" in response.content.decode()
    assert not User.objects.filter(police_number__startswith="3000").exists()


def test_a_docx_that_unpacks_far_beyond_its_size_is_refused_unread(
    client, legal_staff, small_limits, home_page
):
    import docx

    document = docx.Document()
    document.add_paragraph("中华人民共和国测试法")
    document.add_paragraph("第一条 为了测试，制定本法。")
    buffer = io.BytesIO()
    document.save(buffer)
    # 3 MB of document.xml that compresses to a few KB (the issue's was 320 MB from 690 KB).
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as z:
        xml = z.read("word/document.xml")
    padding = b"<w:p><w:r><w:t>" + b"x" * 3 * 1024 * 1024 + b"</w:t></w:r></w:p>"
    bomb = rewrite_member(
        buffer.getvalue(), "word/document.xml", xml.replace(b"<w:body>", b"<w:body>" + padding)
    )
    assert len(bomb) < 100_000
    client.force_login(legal_staff)
    response = client.post(
        reverse("laws_import"), {"files": [SimpleUploadedFile("测试法.docx", bomb)]}
    )
    text = response.content.decode()
    (rejected,) = response.context["rejected"]
    assert rejected.path == "测试法.docx" and "超过上限 2 MB" in rejected.message
    assert "解压后共" in text and "超过上限 2 MB" in text
    assert not LawPage.objects.filter(title__contains="测试法").exists()


def test_too_many_case_records_are_refused_before_parsing(
    client, legal_staff, small_limits, case_index
):
    client.force_login(legal_staff)
    lines = "".join(f'{{"format": "fazhi-case/1", "id": "{n}"}}\n' for n in range(60))
    response = client.post(
        reverse("cases_import"), {"files": [SimpleUploadedFile("many.jsonl", lines.encode())]}
    )
    issues = response.context["issues"]
    assert len(issues) == 1 and issues[0]["file"] == "many.jsonl"
    assert "上限 51 行" in issues[0]["reason"]
    assert not CasePage.objects.exists()


def test_every_import_page_states_the_limits(client, legal_staff, site_admin):
    client.force_login(site_admin)
    for name in ("questions_import", "laws_import", "cases_import", "accounts:roster_import"):
        text = client.get(reverse(name)).content.decode()
        assert "导入上限" in text and "50 MB" in text and "20,000" in text, name
