"""Amendments checked against the base law's consolidated texts (issue 17 §3): where the library
holds the base law before and after an amendment, what the amendment says it changed is compared
with the difference between the two versions; disagreements are data warnings on the staff
impact page (and only there)."""

import io

import pytest

from django.core.management import call_command

from laws.amendments import (
    ABSENT_AFTER,
    ABSENT_BEFORE,
    ADDED,
    DELETED,
    MODIFIED,
    PRESENT_BEFORE,
    UNCHANGED,
    UNEXPLAINED,
    Disagreement,
    check_against_diff,
)

BASE_2019 = """# 中华人民共和国示例法

2019年1月1日 第十三届全国人民代表大会常务委员会第七次会议通过

<!-- INFO END -->

第一条 为了示例，制定本法。

第二条 违反本法的，处五百元以下罚款。

第三条 情节严重的，处五日以下拘留。

第四条 本法由国务院有关部门负责解释。
"""

BASE_2020 = """# 中华人民共和国示例法

2019年1月1日 第十三届全国人民代表大会常务委员会第七次会议通过

2020年6月1日 第十三届全国人民代表大会常务委员会第十九次会议通过的《中华人民共和国示例法修正案》修正

<!-- INFO END -->

第一条 为了示例，制定本法。

第二条 违反本法的，处一千元以下罚款。

第三条 情节严重的，处五日以下拘留。

第四条 本法由国务院公安部门负责解释。

第四条之一 本法自公布之日起施行。
"""

AMENDMENT = """# 中华人民共和国示例法修正案

2020年6月1日 第十三届全国人民代表大会常务委员会第十九次会议通过

<!-- INFO END -->

一、将示例法第二条修改为：“违反本法的，处一千元以下罚款。”

二、将示例法第三条修改为：“情节严重的，处十日以下拘留。”

三、在示例法第四条后增加一条，作为第四条之一：“本法自公布之日起施行。”

四、本修正案自公布之日起施行。
"""


def test_check_against_diff_names_each_kind_of_disagreement():
    said = [
        (MODIFIED, 2, 0, "第一项"),  # changed: agrees
        (MODIFIED, 3, 0, "第二项"),  # the same in both versions
        (ADDED, 4, 1, "第三项"),  # added: agrees
        (ADDED, 5, 0, "第四项"),  # already there before
        (DELETED, 6, 0, "第五项"),  # removed: agrees
        (DELETED, 7, 0, "第六项"),  # kept as a placeholder (changed): agrees
        (MODIFIED, 8, 0, "第七项"),  # not in the version after
        (DELETED, 9, 0, "第八项"),  # never there
    ]
    happened = {
        (1, 0): "same",
        (2, 0): "changed",
        (3, 0): "same",
        (4, 0): "changed",  # nobody says why
        (4, 1): "added",
        (5, 0): "same",
        (6, 0): "removed",
        (7, 0): "changed",
        (8, 0): "removed",
    }
    assert check_against_diff(said, happened) == [
        Disagreement(UNCHANGED, 3, 0, MODIFIED, "第二项"),
        Disagreement(UNEXPLAINED, 4, 0),
        Disagreement(PRESENT_BEFORE, 5, 0, ADDED, "第四项"),
        Disagreement(ABSENT_AFTER, 8, 0, MODIFIED, "第七项"),
        Disagreement(ABSENT_BEFORE, 9, 0, DELETED, "第八项"),
    ]
    assert check_against_diff(said[:1], {(2, 0): "changed", (1, 0): "same"}) == []


@pytest.mark.django_db
def test_disagreements_are_data_warnings_on_the_staff_impact_page(
    tmp_path, client, legal_staff, officer, home_page
):
    for name, text in (
        ("示例法(2019-01-01).md", BASE_2019),
        ("示例法(2020-06-01).md", BASE_2020),
        ("示例法修正案(2020-06-01).md", AMENDMENT),
    ):
        (tmp_path / name).write_text(text, encoding="utf-8")
    call_command("import_laws", str(tmp_path), "--level", "法律", stdout=io.StringIO())

    client.force_login(legal_staff)
    page = client.get("/laws/impact/")
    assert page.status_code == 200
    (warning,) = page.context["data_warnings"]
    assert warning["law_title"] == "中华人民共和国示例法"
    assert (warning["before"]["label"], warning["after"]["label"]) == ("2019-01-01", "2020-06-01")
    assert warning["amendments"] == ["中华人民共和国示例法修正案"]
    problems = [(p["label"], p["kind"], p["source"]) for p in warning["problems"]]
    assert problems == [
        ("第三条", UNCHANGED, "《中华人民共和国示例法修正案》第二项"),
        ("第四条", UNEXPLAINED, ""),
    ]
    html = page.content.decode()
    assert "修正案说修改或删除此条，但两个版本中此条相同" in html
    assert "两个版本之间此条有变化，但其间的修正案都没有提到" in html

    # officers see neither the impact page nor the warnings anywhere else
    client.force_login(officer)
    assert client.get("/laws/impact/").status_code == 403
    client.logout()
    assert client.get("/laws/impact/").status_code == 302


@pytest.mark.django_db
def test_no_warning_when_the_texts_agree_or_only_one_version_exists(
    tmp_path, client, legal_staff, home_page
):
    agreeing = BASE_2020.replace("处五日以下拘留", "处十日以下拘留").replace(
        "国务院公安部门", "国务院有关部门"
    )
    (tmp_path / "示例法(2019-01-01).md").write_text(BASE_2019, encoding="utf-8")
    (tmp_path / "示例法修正案(2020-06-01).md").write_text(AMENDMENT, encoding="utf-8")
    call_command("import_laws", str(tmp_path), "--level", "法律", stdout=io.StringIO())
    client.force_login(legal_staff)
    assert (
        client.get("/laws/impact/").context["data_warnings"] == []
    )  # one version: nothing to check
    (tmp_path / "示例法(2020-06-01).md").write_text(agreeing, encoding="utf-8")
    call_command("import_laws", str(tmp_path), "--level", "法律", stdout=io.StringIO())
    page = client.get("/laws/impact/")
    assert page.context["data_warnings"] == []
    assert "数据核对" not in page.content.decode()
