"""Case import and export from the Wagtail admin (案例导入导出)."""

import json

import pytest

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from casebook.models import CasePage
from casebook.parsing import FORMAT_TAG
from tests.casebook.test_parsing import MARKDOWN_CASE

pytestmark = pytest.mark.django_db

OWN = {
    "format": FORMAT_TAG,
    "id": "adm-1",
    "title": "李某醉酒驾驶案（示例）",
    "kind": "traffic",
    "date": "2024-06-01",
    "facts": "李某酒后驾驶机动车，当事人电话13912345678。",
    "articles": [{"citation": "《治安管理处罚法》第四十三条"}],
}


def upload(client, files, **extra):
    payload = [SimpleUploadedFile(name, text.encode("utf-8")) for name, text in files]
    return client.post(reverse("cases_import"), {"files": payload, **extra})


@pytest.fixture
def staff_client(client, legal_staff, case_index):
    client.force_login(legal_staff)
    return client


def test_check_then_import_drafts_with_masked_numbers_and_linked_articles(
    staff_client, public_order_law
):
    files = [("own.jsonl", json.dumps(OWN, ensure_ascii=False) + "\n"), ("张某.md", MARKDOWN_CASE)]
    checked = upload(staff_client, files, dry_run="on")
    assert checked.status_code == 200
    assert "检查通过：可导入 2 个案例" in checked.content.decode()
    assert not CasePage.objects.exists()

    done = upload(staff_client, files)
    page = done.content.decode()
    assert "已导入 2 个新案例、更新 0 个草稿，关联条文 2 条。" in page and "手机号 1" in page
    drunk = CasePage.objects.get(title="李某醉酒驾驶案（示例）")
    assert not drunk.live and "13912345678" not in drunk.facts
    assert drunk.case_articles.get().article.number == 43
    assert CasePage.objects.get(title__startswith="张某殴打他人").case_articles.count() == 1


def test_every_bad_record_is_listed_and_nothing_is_saved(staff_client):
    bad_json = (
        json.dumps(OWN, ensure_ascii=False)
        + "\n{not json\n"
        + json.dumps({**OWN, "id": "adm-2", "date": "2024-13-01"})
        + "\n"
    )
    response = upload(
        staff_client, [("bad.jsonl", bad_json), ("bad.md", "# 某案\n\n## 处理结果\n\n处罚。\n")]
    )
    page = response.content.decode()
    assert "发现 3 处错误，未导入任何案例" in page
    issues = {(i["file"], i["line"]) for i in response.context["issues"]}
    assert issues == {("bad.jsonl", 2), ("bad.jsonl", 3), ("bad.md", 1)}
    assert not CasePage.objects.exists()


def test_export_round_trips_through_the_import(staff_client, make_case):
    case = make_case("王某殴打他人案", live=True)
    response = staff_client.get(reverse("cases_export"))
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    body = b"".join(response.streaming_content).decode()
    records = [json.loads(line) for line in body.splitlines()]
    assert [r["title"] for r in records] == [case.title] and records[0]["format"] == FORMAT_TAG
    drafts = b"".join(staff_client.get(reverse("cases_export"), {"drafts": "1"}).streaming_content)
    assert drafts.decode().count("\n") == 1


def test_officers_and_leaders_are_refused(client, officer, unit_leader, case_index):
    for user in (officer, unit_leader):
        client.force_login(user)
        assert client.get(reverse("cases_import")).status_code in (302, 403)
        assert client.get(reverse("cases_export")).status_code in (302, 403)
        assert upload(client, [("a.md", MARKDOWN_CASE)]).status_code in (302, 403)
    assert not CasePage.objects.exists()


def test_an_upload_without_cases_says_so_and_saves_nothing(staff_client):
    response = upload(staff_client, [("empty.jsonl", "\n\n")])
    assert [(i["file"], i["reason"]) for i in response.context["issues"]] == [
        ("empty.jsonl", "文件中没有案例。")
    ]
    assert "发现 1 处错误，未导入任何案例" in response.content.decode()
    assert not CasePage.objects.exists()


def test_one_bad_file_in_an_upload_leaves_the_others_imported(staff_client):
    files = [("good.md", MARKDOWN_CASE), ("bad.md", "# 某案\n\n## 处理结果\n\n处罚。\n")]
    response = upload(staff_client, files)
    page = response.content.decode()
    assert "发现 1 处错误，有错误的文件未导入，其余文件已导入" in page
    assert [i["file"] for i in response.context["issues"]] == ["bad.md"]
    assert CasePage.objects.filter(title__startswith="张某殴打他人").count() == 1
