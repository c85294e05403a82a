import csv
import io

import pytest
from openpyxl import Workbook, load_workbook

from django.urls import reverse

from accounts.models import QualificationLevel, User

HEADER = ["警号", "姓名", "单位代码", "职务", "执法资格等级", "角色", "初始密码"]


def csv_bytes(rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def xlsx_bytes(rows):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(client, name, content, **extra):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        reverse("accounts:roster_import"), {"file": SimpleUploadedFile(name, content), **extra}
    )


@pytest.mark.parametrize("maker,name", [(csv_bytes, "roster.csv"), (xlsx_bytes, "roster.xlsx")])
def test_good_roster_creates_officers(client, legal_staff, units, maker, name):
    client.force_login(legal_staff)
    response = upload(
        client,
        name,
        maker(
            [
                ["200001", "甲一", "B0201", "民警", "基本级", "", ""],
                ["200002", "乙二", "B03", "副所长", "中级", "单位领导", "Initial-Pass-9"],
            ]
        ),
    )
    assert response.status_code == 200
    first = User.objects.get(police_number="200001")
    assert first.unit.code == "B0201" and first.qualification_level == QualificationLevel.BASIC
    assert first.must_change_password
    assert first.groups.filter(name="民警").exists()
    second = User.objects.get(police_number="200002")
    assert second.check_password("Initial-Pass-9")
    assert second.groups.filter(name="单位领导").exists()
    # The generated password of the first officer is shown once, and it works.
    page = response.content.decode()
    generated = [p for (n, _name, p) in response.context["result"].created if n == "200001"][0]
    assert generated in page and first.check_password(generated)


def test_bad_rows_are_all_reported_and_nothing_is_saved(client, legal_staff, units):
    client.force_login(legal_staff)
    before = User.objects.count()
    response = upload(
        client,
        "bad.csv",
        csv_bytes(
            [
                ["200010", "好人", "B03", "民警", "", "", ""],  # row 2 fine
                ["", "无警号", "B03", "", "", "", ""],  # row 3
                ["200011", "错单位", "NOPE", "", "", "", ""],  # row 4
                ["200010", "重复", "B03", "", "", "", ""],  # row 5
                ["200012", "错等级", "B03", "", "特级", "", ""],  # row 6
                ["200013", "短密码", "B03", "", "", "", "abc"],  # row 7
            ]
        ),
    )
    assert response.status_code == 400
    errors = response.context["result"].errors
    assert len(errors) == 5
    joined = "\n".join(errors)
    for row, reason in [
        (3, "警号为空"),
        (4, "单位代码“NOPE”不存在"),
        (5, "与第 2 行重复"),
        (6, "执法资格等级“特级”无效"),
        (7, "初始密码少于"),
    ]:
        assert f"第 {row} 行" in joined and reason in joined
    assert "bad.csv" in joined
    assert User.objects.count() == before
    assert not User.objects.filter(police_number="200010").exists()


def test_reimport_updates_instead_of_duplicating(client, legal_staff, units):
    client.force_login(legal_staff)
    upload(client, "a.csv", csv_bytes([["200020", "丙三", "B03", "民警", "", "", ""]]))
    upload(client, "a.csv", csv_bytes([["200020", "丙三", "B0201", "民警", "高级", "", ""]]))
    user = User.objects.get(police_number="200020")
    assert user.unit.code == "B0201" and user.qualification_level == QualificationLevel.ADVANCED
    assert User.objects.filter(police_number="200020").count() == 1


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("roster.txt", b"x", "只支持 .xlsx 或 .csv"),
        ("roster.csv", "警号,姓名\n1,2\n".encode(), "缺少列：单位代码"),
        ("roster.csv", b"\xff\xfe\x00bad", "不是 UTF-8"),
        ("roster.xlsx", b"not a zip", "无法读取 Excel"),
        ("roster.csv", "警号,姓名,单位代码\n".encode(), "没有数据行"),
    ],
)
def test_unreadable_files_get_a_specific_error(client, legal_staff, units, name, content, message):
    client.force_login(legal_staff)
    response = upload(client, name, content)
    assert message in response.content.decode()
    assert (
        not User.objects.exclude(pk=legal_staff.pk).filter(police_number__startswith="2").exists()
    )


def test_dry_run_saves_nothing(client, legal_staff, units):
    client.force_login(legal_staff)
    response = upload(
        client, "a.csv", csv_bytes([["200030", "丁四", "B03", "", "", "", ""]]), dry_run="on"
    )
    assert response.status_code == 200
    assert "检查通过" in response.content.decode()
    assert not User.objects.filter(police_number="200030").exists()


def test_template_download_lists_unit_codes(client, legal_staff, units):
    client.force_login(legal_staff)
    response = client.get(reverse("accounts:roster_template"))
    workbook = load_workbook(io.BytesIO(response.content))
    assert [c.value for c in workbook["名册"][1]] == HEADER
    codes = {row[0].value for row in workbook["单位代码"].iter_rows(min_row=2)}
    assert {"B", "B01", "B0201"} <= codes
