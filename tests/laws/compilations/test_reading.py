"""Reading a compilation: the page with its contents, permalinks and 有更新 markers, the A4
print booklet, the .docx, and who may see what."""

import io

import pytest

pytestmark = pytest.mark.django_db


def test_officer_reads_a_compilation_with_contents_anchors_and_permalinks(
    client, officer, field_work, library
):
    client.force_login(officer)
    response = client.get(field_work.url)
    assert response.status_code == 200
    html = response.content.decode()
    sections = response.context["sections"]
    assert [s.title for s in sections] == ["到场与现场处置", "证据与记录", "公共场所治安检查"]
    # Contents: each section and each law item, linked to its anchor.
    assert 'href="#s1"' in html and 'href="#s1-3"' in html and 'id="s1-3"' in html
    # The heading item takes every article of 第三章 (第八条 … 第十四条) with the chapter heading.
    heading_item = sections[0].items[2]
    assert [r.article.number for r in heading_item.articles] == list(range(8, 15))
    assert "第三章 现场处置" in html
    # Article permalinks lead into the library (current text: the plain permalink).
    rules = library["rules"]
    assert f'href="{rules.url}a/15/"' in html and 'id="s2-1-a15"' in html
    # The legal department's notes sit between items, their HTML kept (bold) and cleaned.
    assert "<strong>全程</strong>" in html and "法制部门按语" in html


def test_pinned_articles_changed_since_are_marked_updated(client, officer, field_work, library):
    client.force_login(officer)
    response = client.get(field_work.url)
    html = response.content.decode()
    order = library["order"]
    old = order.versions.order_by("version_date").first()
    pinned = response.context["sections"][2].items[2]
    assert pinned.pinned and pinned.version.pk == old.pk and pinned.newer is not None
    assert [(r.article.number, r.updated) for r in pinned.articles] == [(6, True), (13, True)]
    # The pinned text is the 2019 one, with its versioned permalink and a link to today's text.
    assert "不少于十五日" in html and f"{order.url}v/{old.pk}/a/6/" in html
    assert f'href="{order.url}a/6/"' in html and "有更新" in html
    assert response.context["updated_count"] == 2
    # Following items show the current text and are not marked.
    following = response.context["sections"][2].items[0]
    assert not following.updated and [r.article.slug for r in following.articles] == [
        "9",
        "12",
        "12-1",
    ]


def test_following_items_are_marked_when_the_law_changes_after_publication(
    client, officer, field_work, library
):
    """A new version of the field-work rules changes 第十五条 after the compilation was published:
    the compilation shows the new text and marks it until staff publish it again."""
    from laws import demo as law_demo
    from laws.parsing import parse_markdown
    from laws.services import LawSource, law_import, library_index

    text = law_demo._FIELD_RULES.replace("至现场执法活动结束时关闭", "至现场执法活动全部结束时关闭")
    text = text.replace(
        "2021年1月15日 示例市公安局发布",
        "2021年1月15日 示例市公安局发布\n\n2025年3月1日 示例市公安局修订",
    )
    parsed = parse_markdown(text.format(note=law_demo.SAMPLE_NOTE))
    from datetime import date

    law_import(
        source=LawSource(
            parsed=parsed,
            source_file="test",
            level="规范性文件",
            version_date=date(2025, 3, 1),
            promulgation_date=date(2025, 3, 1),
            effective_date=date(2025, 3, 1),
        ),
        index_page=library_index(),
    )
    client.force_login(officer)
    response = client.get(field_work.url)
    item = response.context["sections"][1].items[0]
    assert [(r.article.number, r.updated) for r in item.articles] == [
        (15, True),
        (16, False),
        (17, False),
    ]
    assert "全部结束时关闭" in response.content.decode()
    # Publishing again (after review) clears the marker.
    field_work.refresh_from_db()
    field_work.save_revision().publish()
    response = client.get(field_work.url)
    assert not response.context["sections"][1].items[0].updated
    assert response.context["updated_count"] == 2  # the two pinned 2019 articles remain


def test_index_lists_published_compilations_only(client, officer, field_work, exam_review):
    exam_review.unpublish()
    client.force_login(officer)
    html = client.get(field_work.get_parent().url).content.decode()
    assert "现场执法常用法条汇编（示例）" in html
    assert "考试复习汇编" not in html


def test_unpublished_compilation_is_a_404_for_officers_and_anonymous_must_sign_in(
    client, officer, exam_review
):
    url = exam_review.url
    assert client.get(url).status_code == 302  # anonymous: to the login page
    assert "/accounts/login/" in client.get(url)["Location"]
    exam_review.unpublish()
    client.force_login(officer)
    assert client.get(url).status_code == 404
    assert client.get(url + "print/").status_code == 404
    assert client.get(url + "docx/").status_code == 404


def test_print_view_is_an_a4_booklet_without_the_site_chrome(client, officer, field_work):
    client.force_login(officer)
    response = client.get(field_work.url + "print/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "compilation-print.css" in html and 'class="cover"' in html
    assert "site-header" not in html and "navbar" not in html
    assert "第三章 现场处置" in html and "不少于十五日" in html and "有更新" in html
    assert 'href="/laws/' not in html  # printed articles carry no links


def test_docx_opens_with_title_contents_sections_and_articles(client, officer, field_work):
    import docx

    client.force_login(officer)
    response = client.get(field_work.url + "docx/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    document = docx.Document(io.BytesIO(response.content))
    paragraphs = [(p.style.name, p.text) for p in document.paragraphs]
    assert paragraphs[0] == ("公文标题", "现场执法常用法条汇编（示例）")
    headings = [text for style, text in paragraphs if style == "公文一级标题"]
    assert headings == ["目录", "一、到场与现场处置", "二、证据与记录", "三、公共场所治安检查"]
    items = [text for style, text in paragraphs if style == "公文二级标题"]
    assert "《示例市公安机关现场执法工作细则（示例）》第三章 现场处置" in items
    body = "\n".join(text for _style, text in paragraphs)
    assert "第十五条\u3000执法记录仪应当自到达现场时开启" in body
    assert "第六条（有更新）" in body and "【按语】" in body
    assert document.sections[0].page_width.mm == pytest.approx(210, abs=0.5)


def test_page_reads_in_a_fixed_number_of_queries(client, officer, field_work, library):
    """Adding items (a whole law, more articles, another heading) adds no query."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(officer)
    client.get(field_work.url)  # warm caches (site root paths, session)
    with CaptureQueriesContext(connection) as small:
        assert client.get(field_work.url).status_code == 200
    body = field_work.body.raw_data
    extra = [
        {
            "type": "law",
            "value": {"law": library["order"].pk, "version_mode": "follow", "version_date": None},
        },
        {
            "type": "heading",
            "value": {
                "law": library["order"].pk,
                "version_mode": "pin",
                "version_date": "2019-03-01",
                "heading": "第四章",
            },
        },
        {
            "type": "articles",
            "value": {
                "law": library["rules"].pk,
                "version_mode": "follow",
                "version_date": None,
                "articles": "1-5",
            },
        },
    ]
    data = list(body)
    data.append({"type": "section", "value": {"title": "更多", "items": extra}})
    field_work.body = data
    field_work.save_revision().publish()
    client.get(field_work.url)
    with CaptureQueriesContext(connection) as large:
        assert client.get(field_work.url).status_code == 200
    assert len(large) == len(small), [q["sql"][:120] for q in large.captured_queries]
    assert 0 < len(small) <= 30  # 27 measured: session, user, page, the body's 6, practice


def test_home_page_panel_lists_the_published_compilations(client, officer, field_work):
    client.force_login(officer)
    html = client.get("/").content.decode()
    assert 'id="panel-compilations"' in html and "现场执法常用法条汇编（示例）" in html
    assert field_work.get_parent().url in html
