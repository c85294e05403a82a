"""Law import from the Wagtail admin (法规导入): check, import, versions, errors, permissions."""

import pytest

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from laws.choices import VersionStatus
from laws.models import Article, ArticleChange, LawPage, LawVersion

pytestmark = pytest.mark.django_db

V2020 = """示例市犬只管理规定（示例）
（2020年5月1日示例市人民代表大会常务委员会第十次会议通过）
第一章 总则
第一条 为了规范犬只管理，制定本规定。
第二条 本规定适用于本市行政区域。
第二章 管理
第三条 养犬人应当为犬只办理登记，登记有效期一年。
"""
V2024 = V2020.replace("登记有效期一年", "登记有效期三年").replace(
    "第十次会议通过）", "第十次会议通过　2024年3月1日示例市人民代表大会常务委员会第五次会议修正）"
)


def upload(client, files, **extra):
    payload = [
        SimpleUploadedFile(name, text.encode("utf-8") if isinstance(text, str) else text)
        for name, text in files
    ]
    data = {"files": payload, **extra}
    return client.post(reverse("laws_import"), data)


@pytest.fixture
def staff_client(client, legal_staff, home_page):
    client.force_login(legal_staff)
    return client


def test_check_first_saves_nothing_and_shows_what_would_be_imported(staff_client):
    response = upload(staff_client, [("犬只管理规定(2020-05-01).txt", V2020)], dry_run="on")
    assert response.status_code == 200
    page = response.content.decode()
    assert (
        "检查通过，可以导入" in page
        and "示例市犬只管理规定（示例）" in page
        and "2020-05-01" in page
    )
    assert [(r.title, r.articles) for r in response.context["rows"]] == [
        ("示例市犬只管理规定（示例）", 3)
    ]
    assert not LawPage.objects.exists() and not Article.objects.exists()


def test_two_dated_files_become_two_versions_and_a_repeat_changes_nothing(staff_client):
    files = [("犬只管理规定(2020-05-01).txt", V2020), ("犬只管理规定(2024-03-01).txt", V2024)]
    response = upload(staff_client, files, level="地方性法规")
    assert response.status_code == 200 and response.context["done"]
    law = LawPage.objects.get(title="示例市犬只管理规定（示例）")
    assert law.level == "地方性法规"
    versions = list(LawVersion.objects.filter(law=law).order_by("version_date"))
    assert [v.version_date.year for v in versions] == [2020, 2024]
    assert [v.status for v in versions] == [VersionStatus.AMENDED, VersionStatus.IN_FORCE]
    assert ArticleChange.objects.filter(old_article__number=3).count() == 1
    outcomes = {row.file: str(row.outcome_label) for row in response.context["rows"]}
    assert outcomes == {
        "犬只管理规定(2020-05-01).txt": "新法规",
        "犬只管理规定(2024-03-01).txt": "新版本",
    }
    assert law.url in response.content.decode()

    again = upload(staff_client, files)
    assert {str(row.outcome_label) for row in again.context["rows"]} == {"未变化"}
    assert LawVersion.objects.filter(law=law).count() == 2


def test_each_file_is_its_own_unit_bad_ones_named_with_line_the_rest_imported(staff_client):
    gap = "示例跳号规定\n第一条 一。\n第三条 三。\n"
    response = upload(
        staff_client,
        [
            ("好文件.txt", V2020),
            ("跳号.txt", gap),
            ("重复.txt", "示例重复规定\n第一条 一。\n第一条 又一。\n"),
            ("空文件.txt", ""),
            ("二进制.docx", b"\x00\x01PK"),
        ],
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "3 个文件未能导入（其余文件照常处理）" in page
    rejected = {item.path: item for item in response.context["rejected"]}
    assert set(rejected) == {"重复.txt", "空文件.txt", "二进制.docx"}
    assert rejected["重复.txt"].line == 3 and "条号重复" in rejected["重复.txt"].message
    # The good file and the one with a gap in its numbering are imported; the gap is a warning
    # naming the missing article, in the summary and on the law's staff view.
    assert set(LawPage.objects.values_list("title", flat=True)) == {
        "示例市犬只管理规定（示例）",
        "示例跳号规定",
    }
    assert "缺少第二条" in page
    version = LawPage.objects.get(title="示例跳号规定").current_version
    assert [w["line"] for w in version.import_warnings] == [3]
    assert "缺少第二条" in version.import_warnings[0]["message"]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("法规.pdf", "只支持 .md、.markdown、.txt、.docx 文件"),
        ("../../etc/法规.exe", "只支持 .md、.markdown、.txt、.docx 文件"),
    ],
)
def test_other_file_types_are_refused(staff_client, name, message):
    response = upload(staff_client, [(name, "x")])
    assert message in response.content.decode()
    assert not LawPage.objects.exists()


def test_only_staff_with_the_permission_may_import(client, officer, unit_leader, home_page):
    for user in (officer, unit_leader):
        client.force_login(user)
        response = client.get(reverse("laws_import"))
        assert response.status_code in (302, 403)
        response = upload(client, [("a.txt", V2020)])
        assert response.status_code in (302, 403)
    assert not LawPage.objects.exists()


def test_menu_shows_the_import_page_to_legal_staff(staff_client):
    assert reverse("laws_import") in staff_client.get("/admin/").content.decode()
