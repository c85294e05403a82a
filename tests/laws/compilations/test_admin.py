"""Building a compilation in the Wagtail admin: sections of items, pinned or following, checked
on save with an error on the field concerned, nothing saved while one remains."""

import pytest

from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from laws.compilations.models import CompilationPage
from laws.compilations.services import compilation_index

pytestmark = pytest.mark.django_db


def _form(title, sections, *, publish=True):
    data = {
        "title": title,
        "slug": f"c-{abs(hash(title)) % 10**8}",
        "purpose": "测试用",
        "compiled_by": "法制大队",
        "body": streamfield(
            [
                ("section", {"title": section_title, "items": streamfield(items)})
                for section_title, items in sections
            ]
        ),
        "summary": "",
        "seo_title": "",
        "search_description": "",
    }
    if publish:
        data["action-publish"] = "publish"
    return nested_form_data(data)


def _item(law, *, mode="follow", date="", **extra):
    return {"law": law.pk, "version_mode": mode, "version_date": date, **extra}


def _add_url():
    return f"/admin/pages/add/compilations/compilationpage/{compilation_index().pk}/"


def test_staff_build_and_publish_a_compilation_in_the_admin(client, legal_staff, library):
    rules, order = library["rules"], library["order"]
    client.force_login(legal_staff)
    assert client.get(_add_url()).status_code == 200
    data = _form(
        "治安检查常用条文",
        [
            (
                "检查",
                [
                    ("heading", _item(order, heading="第三章")),
                    ("note", rich_text("<p>按语<script>alert(1)</script></p>")),
                    ("articles", _item(order, mode="pin", articles="第六条")),
                ],
            ),
            ("细则", [("law", _item(rules))]),
        ],
    )
    response = client.post(_add_url(), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    page = CompilationPage.objects.get(title="治安检查常用条文")
    assert page.live
    section = page.body[0].value
    pinned = section["items"][2].value
    # A pin without a date is pinned to the version current when it was saved.
    assert pinned["version_date"] == order.current_version.version_date
    assert "<script>" not in page.body.raw_data[0]["value"]["items"][1]["value"]
    client.force_login(legal_staff)
    html = client.get(page.url).content.decode()
    assert "第三章 治安检查" in html and "第十二条之一" in html


@pytest.mark.parametrize(
    ("item", "field", "message"),
    [
        (("articles", {"articles": "第九十九条"}), "articles", "中没有：第九十九条"),
        (("articles", {"articles": "第三章"}), "articles", "不是条文序号"),
        (("heading", {"heading": "第九章"}), "heading", "没有“第九章”"),
        (
            ("articles", {"articles": "第六条", "mode": "pin", "date": "2000-01-01"}),
            "version_date",
            "没有 2000-01-01 的版本",
        ),
        (
            ("articles", {"articles": "第十二条之一", "mode": "pin", "date": "2019-03-01"}),
            "articles",
            "2019-03-01 版本）中没有：第十二条之一",
        ),
    ],
)
def test_bad_items_are_refused_on_their_field_and_nothing_is_saved(
    client, legal_staff, library, item, field, message
):
    kind, options = item
    options = dict(options)
    extra = {k: v for k, v in options.items() if k not in ("mode", "date")}
    value = _item(
        library["order"], mode=options.get("mode", "follow"), date=options.get("date", ""), **extra
    )
    client.force_login(legal_staff)
    before = CompilationPage.objects.count()
    response = client.post(_add_url(), _form("有错的汇编", [("一", [(kind, value)])]))
    assert response.status_code == 200
    assert CompilationPage.objects.count() == before
    errors = response.context["form"].errors["body"].as_data()[0]
    item_error = errors.block_errors[0].block_errors["items"].block_errors[0]
    assert message in " ".join(item_error.block_errors[field].messages)


def test_a_section_with_only_a_note_is_refused(client, legal_staff, library):
    client.force_login(legal_staff)
    response = client.post(
        _add_url(), _form("空的部分", [("一", [("note", rich_text("<p>只有按语</p>"))])])
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["body"].as_data()[0]
    section_error = errors.block_errors[0].block_errors["items"]
    assert "本部分还没有收录法规、条文或章节" in " ".join(
        str(e.message) for e in section_error.non_block_errors.as_data()
    )
    assert not CompilationPage.objects.filter(title="空的部分").exists()


@pytest.mark.parametrize("role", ["officer", "unit_leader"])
def test_officers_cannot_reach_the_admin_or_its_compilation_pages(client, request, role, library):
    client.force_login(request.getfixturevalue(role))
    assert client.get(_add_url()).status_code in (302, 403)
    response = client.get("/admin/compilations/")
    assert response.status_code in (302, 403)
    assert "/admin/pages/" not in response.get("Location", "")
    before = CompilationPage.objects.count()
    client.post(_add_url(), _form("越权", [("一", [("law", _item(library["rules"]))])]))
    assert CompilationPage.objects.count() == before


def test_admin_menu_entry_opens_the_compilations_in_the_explorer(client, legal_staff, library):
    client.force_login(legal_staff)
    response = client.get("/admin/compilations/")
    assert response.status_code == 302
    assert response["Location"] == f"/admin/pages/{compilation_index().pk}/"
    assert "/admin/compilations/" in client.get("/admin/").content.decode()  # the menu entry
