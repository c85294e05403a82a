"""Library pages, permalinks, compare, print/.docx, impact list and API through the test client,
on the demo regulations (which go through the real import path)."""

import io
from datetime import date

import pytest

from laws import citations, demo
from laws.citations import CitingItem
from laws.models import Article, ArticleChange, LawIndexPage, LawPage
from laws.references import resolve_reference

pytestmark = pytest.mark.django_db


@pytest.fixture
def library(db):
    demo.load(stdout=io.StringIO())
    order = LawPage.objects.get(title=demo.PUBLIC_ORDER_TITLE)
    rules = LawPage.objects.get(title=demo.FIELD_RULES_TITLE)
    return {"index": LawIndexPage.objects.get(), "order": order, "rules": rules}


def test_demo_is_idempotent(library):
    counts = (LawPage.objects.count(), Article.objects.count(), ArticleChange.objects.count())
    demo.load(stdout=io.StringIO())
    assert (
        LawPage.objects.count(),
        Article.objects.count(),
        ArticleChange.objects.count(),
    ) == counts


def test_index_lists_filters_and_counts(client, library):
    response = client.get(library["index"].url)
    html = response.content.decode()
    assert response.status_code == 200
    assert demo.PUBLIC_ORDER_TITLE in html and demo.FIELD_RULES_TITLE in html
    response = client.get(library["index"].url, {"level": "规范性文件", "sort": "title"})
    assert [law.title for law in response.context["laws"]] == [demo.FIELD_RULES_TITLE]
    assert ("地方性法规", 1) in response.context["facets"]["level"]
    assert client.get(library["index"].url, {"year": "2024"}).context["total"] == 1
    assert client.get(library["index"].url, {"q": "现场执法"}).context["total"] == 1
    assert client.get(library["index"].url, {"page": "99"}).status_code == 200


def test_law_page_has_toc_anchors_timeline_and_links(client, library):
    law = library["order"]
    html = client.get(law.url).content.decode()
    assert 'id="a12-1"' in html and 'id="a1"' in html
    assert "第二章 经营管理单位的责任" in html  # TOC / headings
    assert "【示例】" in html  # clearly marked as a sample
    old, new = law.versions.order_by("version_date")
    assert f"v/{old.pk}/" in html  # timeline links to the earlier version
    # Cross-references: 本规定第十条 -> article 10 of this law; 前款 -> the paragraph anchor.
    assert f'href="{law.url}a/10/"' in html
    assert 'href="#a12-1-p1"' in html
    old_html = client.get(f"{law.url}v/{old.pk}/").content.decode()
    assert "您正在阅读 2019-03-01 版本" in old_html
    assert "不少于十五日" in old_html and 'id="a12-1"' not in old_html


def test_reference_to_another_law_in_the_library_is_linked(client, library):
    rules = library["rules"]
    article = rules.current_version.articles.get(number=17)
    html = client.get(article.get_absolute_url()).content.decode()
    assert f'href="{rules.url}a/15/"' in html  # 本细则第十五条


def test_article_permalink_history_and_versioned_permalink(client, library):
    law = library["order"]
    old, new = law.versions.order_by("version_date")
    response = client.get(f"{law.url}a/6/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "不少于三十日" in html
    assert response.context["history"][1]["kind"] == "changed"
    assert "<del" in html and "<ins" in html
    old_response = client.get(f"{law.url}v/{old.pk}/a/6/")
    assert "不少于十五日" in old_response.content.decode()
    assert old_response.context["is_current"] is False
    assert client.get(f"{law.url}a/12-1/").status_code == 200
    assert client.get(f"{law.url}v/{old.pk}/a/12-1/").status_code == 404
    assert client.get(f"{law.url}a/99/").status_code == 404
    assert (
        client.get(f"{library['rules'].url}v/{old.pk}/").status_code == 404
    )  # version of another law


def test_article_contract(library):
    law = library["order"]
    old, new = law.versions.order_by("version_date")
    pinned = old.articles.get(number=6)
    assert pinned.key == (law.pk, 6, 0)
    assert pinned.current() == new.articles.get(number=6)
    assert pinned.get_absolute_url() == f"{law.url}a/6/"
    assert pinned.get_version_url() == f"{law.url}v/{old.pk}/a/6/"
    assert new.articles.get(number=12, suffix=1).label == "第十二条之一"
    assert law.current_version == new


def test_cited_by_panel_uses_registry_and_hides_staff_items(
    client, library, make_user, monkeypatch
):
    monkeypatch.setattr(citations, "_citers", {})
    law = library["order"]

    def find(law_id, number, suffix):
        if (law_id, number, suffix) != (law.pk, 6, 0):
            return []
        return [
            CitingItem("公开题目甲", "/q/1/", "questions", "题目"),
            CitingItem("题库题目乙", "/q/2/", "questions", "题目", visible_to_officers=False),
        ]

    citations.register_citer("questions", label="题目", find=find)
    html = client.get(f"{law.url}a/6/").content.decode()
    assert "公开题目甲" in html and "题库题目乙" not in html
    client.force_login(make_user("legal_staff"))
    html = client.get(f"{law.url}a/6/").content.decode()
    assert "公开题目甲" in html and "题库题目乙" in html


def test_compare_side_by_side_and_inline(client, library):
    law = library["order"]
    side = client.get(f"{law.url}compare/")
    assert side.status_code == 200
    assert side.context["summary"] == {"added": 1, "removed": 0, "changed": 4, "same": 13}
    inline = client.get(f"{law.url}compare/", {"mode": "inline"}).content.decode()
    assert "<del" in inline and "<ins" in inline
    assert client.get(f"{library['rules'].url}compare/").context["too_few"] is True


def test_print_and_docx(client, library):
    import docx

    law = library["rules"]
    assert "data-print" in client.get(f"{law.url}print/").content.decode()  # static/js/site.js
    response = client.get(f"{law.url}docx/")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(response.content)).paragraphs)
    assert law.title in text and "第二十条" in text


def test_resolve_reference_by_title_and_date(library):
    current = resolve_reference("《示例市公共场所治安管理规定（示例）》第六条")
    assert "三十日" in current.text
    assert (
        "十五日"
        in resolve_reference("示例市公共场所治安管理规定（示例）第6条", on=date(2020, 1, 1)).text
    )
    assert resolve_reference("《示例市公共场所治安管理规定（示例）》第十二条之一").suffix == 1
    assert (
        resolve_reference("《示例市公共场所治安管理规定（示例）》第十二条之一", on=date(2020, 1, 1))
        is None
    )
    assert resolve_reference("《不存在的法》第一条") is None


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (None, 302),
        ("officer", 403),
        ("unit_leader", 403),
        ("legal_staff", 200),
        ("site_admin", 200),
    ],
)
def test_impact_list_permissions(client, library, make_user, role, status):
    if role:
        client.force_login(make_user(role))
    response = client.get("/laws/impact/")
    assert response.status_code == status
    if status == 200:
        assert "第六条" in response.content.decode()


def test_impact_list_shows_citers_and_review(client, library, make_user, monkeypatch):
    monkeypatch.setattr(citations, "_impacts", {})
    change = ArticleChange.objects.get(law=library["order"], old_article__number=6)
    citations.register_impact(
        "cases",
        label="案例",
        find=lambda c: [CitingItem("某案", "/c/1/", "cases", "案例")] if c.pk == change.pk else [],
    )
    officer = make_user("officer")
    client.force_login(officer)
    assert client.post(f"/laws/impact/{change.pk}/review/").status_code == 403
    client.force_login(make_user("legal_staff"))
    html = client.get("/laws/impact/", {"cited": "1"}).content.decode()
    assert "某案" in html
    response = client.post(f"/laws/impact/{change.pk}/review/", {"next": "https://evil.example/"})
    assert response.status_code == 302 and "evil" not in response["Location"]
    change.refresh_from_db()
    assert change.reviewed
    assert "某案" not in client.get("/laws/impact/").content.decode()


def test_api_requires_login_and_filters(client, library, make_user):
    assert client.get("/api/laws/laws/").status_code == 403
    client.force_login(make_user("officer"))
    data = client.get("/api/laws/laws/", {"level": "规范性文件"}).json()
    assert [row["title"] for row in data["results"]] == [demo.FIELD_RULES_TITLE]
    law = library["order"]
    detail = client.get(f"/api/laws/laws/{law.pk}/").json()
    assert [v["status"] for v in detail["versions"]] == ["已修改", "现行有效"]
    rows = client.get("/api/laws/articles/", {"law": law.pk, "number": 6}).json()["results"]
    assert len(rows) == 1 and "三十日" in rows[0]["text"]
    rows = client.get(
        "/api/laws/articles/", {"law": law.pk, "number": 6, "all_versions": "1"}
    ).json()["results"]
    assert len(rows) == 2
    hit = client.get(
        "/api/laws/lookup/",
        {"law": "示例市公共场所治安管理规定（示例）", "number": 12, "suffix": 1},
    ).json()
    assert hit["label"] == "第十二条之一" and hit["url"].endswith("a/12-1/")
    assert (
        client.get(
            "/api/laws/lookup/", {"ref": "《示例市公安机关现场执法工作细则（示例）》第九条"}
        ).json()["number"]
        == 9
    )
    assert client.get("/api/laws/lookup/", {"law": "无此法", "number": 1}).status_code == 404
    assert client.get("/api/laws/articles/", {"number": "x"}).status_code == 400
    schema = client.get("/api/schema/").content.decode()
    assert "/api/laws/lookup/" in schema and "/api/laws/articles/" in schema


def test_home_panel_lists_recent_laws(client, library):
    html = client.get("/").content.decode()
    assert "最近更新的法规" in html and demo.PUBLIC_ORDER_TITLE in html


def test_search_documents_for_articles_and_laws(library, monkeypatch):
    import laws.search as law_search
    from search import registry

    providers = registry.providers()
    assert {"article", "law"} <= set(providers)
    docs = {d.key: d for d in providers["article"]()}
    law = library["order"]
    old, new = law.versions.order_by("version_date")
    current = docs[f"article:{new.articles.get(number=6).pk}"]
    stale = docs[f"article:{old.articles.get(number=6).pk}"]
    assert (current.current, current.status, current.level) == (True, "现行有效", "地方性法规")
    assert current.url == f"{law.url}a/6/" and current.meta["article_label"] == "第六条"
    assert (stale.current, stale.status) == (
        False,
        "已修改",
    ) and stale.url == f"{law.url}v/{old.pk}/a/6/"
    law_docs = {d.key: d for d in providers["law"]()}
    assert law_docs[f"law:{law.pk}"].title == law.title
    sent = []
    monkeypatch.setattr("search.api.index_documents", lambda docs: sent.extend(docs))
    law_search.reindex_law(law.pk)
    assert len(sent) == 1 + old.articles.count() + new.articles.count()


def test_publishing_a_revision_keeps_status_fields(library):
    law = library["order"]
    law.status = "已废止"  # a stale value, as an old revision would carry
    law.save_revision().publish()
    law.refresh_from_db()
    assert law.status == "现行有效"


def test_admin_menu_shows_impact_only_to_staff(client, library, make_user):
    client.force_login(make_user("legal_staff"))
    assert "/laws/impact/" in client.get("/admin/").content.decode()


def test_law_page_searches_within_that_law(client, make_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        demo.load(stdout=io.StringIO())
    law = LawPage.objects.get(title=demo.PUBLIC_ORDER_TITLE)
    html = client.get(law.url).content.decode()
    assert f'<input type="hidden" name="law" value="{law.title}">' in html
    client.force_login(make_user("officer"))
    response = client.get("/search/", {"q": "现场", "law": law.title})
    assert response.status_code == 200
    hits = [item.hit for item in response.context["outcome"].items]
    assert hits, "the demo regulation mentions 现场 and must be found within itself"
    assert all(hit.meta.get("law_title", hit.title) == law.title for hit in hits)
    assert {hit.kind for hit in hits} >= {"article"}
