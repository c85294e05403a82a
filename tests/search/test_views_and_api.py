"""The search page, the JSON API and the autocomplete through the Django test client."""

import pytest

from django.urls import reverse

from search.api import index_documents
from search.documents import SearchDocument

SECRET_Q = SearchDocument(
    key="question:1",
    kind="question",
    title="题库：行政拘留的最长期限",
    body="行政拘留最长不超过二十日（题库原题，答案保密）",
    url="/questions/1/",
    staff_only=True,
)
DRAFT_ANSWER = SearchDocument(
    key="answer:7",
    kind="answer",
    title="关于行政拘留执行的答复（未发布）",
    body="行政拘留决定书送达后……",
    url="/legal-online/7/",
    staff_only=True,
)
PUBLIC = [
    SearchDocument(
        key="article:1",
        kind="article",
        title="中华人民共和国治安管理处罚法 第十条",
        body="治安管理处罚的种类分为：警告；罚款；行政拘留；吊销公安机关发放的许可证。",
        url="/laws/zhian/a/10/",
        level="法律",
        status="现行有效",
        year=2012,
        meta={
            "law": "zhian",
            "law_title": "中华人民共和国治安管理处罚法",
            "article_label": "第十条",
        },
    ),
    SearchDocument(
        key="article:2",
        kind="article",
        title="中华人民共和国治安管理处罚法（2005） 第十条",
        body="治安管理处罚的种类分为：警告；罚款；行政拘留。",
        url="/laws/zhian-2005/a/10/",
        level="法律",
        status="已修改",
        current=False,
        year=2005,
        meta={
            "law": "zhian",
            "law_title": "中华人民共和国治安管理处罚法",
            "article_label": "第十条",
        },
    ),
    SearchDocument(
        key="law:zhian",
        kind="law",
        title="中华人民共和国治安管理处罚法",
        body="",
        url="/laws/zhian/",
        level="法律",
        status="现行有效",
        year=2012,
        meta={"law": "zhian"},
    ),
    SearchDocument(
        key="case:3",
        kind="case",
        title="张某殴打他人被行政拘留案",
        body="民警依法对张某处以行政拘留十日。",
        url="/cases/3/",
    ),
]


@pytest.fixture
def corpus(search_backend, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        index_documents([*PUBLIC, SECRET_Q, DRAFT_ANSWER])


def test_search_requires_login(client, corpus):
    resp = client.get(reverse("search:results"), {"q": "行政拘留"})
    assert resp.status_code == 302
    assert client.get(reverse("search:api"), {"q": "行政拘留"}).status_code in (401, 403)


def test_page_groups_by_kind_with_counts_and_highlights(client, officer, corpus):
    client.force_login(officer)
    resp = client.get(reverse("search:results"), {"q": "行政拘留"})
    html = resp.content.decode()
    assert resp.status_code == 200
    assert "<mark>行政拘留</mark>" in html
    assert "第十条" in html and "现行有效" in html and 'href="/laws/zhian/a/10/"' in html
    assert resp.context["outcome"].counts == {"article": 1, "case": 1}
    assert "/laws/zhian-2005/a/10/" not in html  # old version hidden by default


def test_officer_never_sees_staff_only_documents(client, officer, corpus):
    client.force_login(officer)
    page = client.get(reverse("search:results"), {"q": "行政拘留"}).content.decode()
    assert "题库原题" not in page and "未发布" not in page
    api = client.get(
        reverse("search:api"), {"q": "行政拘留", "kind": ["question", "answer"]}
    ).json()
    assert (
        api["results"] == [] and "question" not in api["counts"] and "answer" not in api["counts"]
    )
    forced = client.get(reverse("search:results"), {"q": "行政拘留", "kind": "question"})
    assert "题库原题" not in forced.content.decode()


def test_legal_staff_see_bank_questions_and_drafts(client, legal_staff, corpus):
    client.force_login(legal_staff)
    api = client.get(reverse("search:api"), {"q": "行政拘留"}).json()
    assert {"question:1", "answer:7"} <= {r["key"] for r in api["results"]}


def test_api_filters_status_kind_law_and_year(client, officer, corpus):
    client.force_login(officer)
    url = reverse("search:api")
    old = client.get(url, {"q": "行政拘留", "status": "old"}).json()
    assert [r["key"] for r in old["results"]] == ["article:2"] and old["results"][0][
        "current"
    ] is False
    assert {
        r["key"]
        for r in client.get(url, {"q": "行政拘留", "status": "all", "kind": "article"}).json()[
            "results"
        ]
    } == {"article:1", "article:2"}
    assert [
        r["key"] for r in client.get(url, {"q": "行政拘留", "law": "zhian"}).json()["results"]
    ] == ["article:1"]
    assert client.get(url, {"q": "行政拘留", "year": 2005}).json()["total"] == 0
    first = client.get(url, {"q": "行政拘留", "kind": "article"}).json()["results"][0]
    assert (
        first["law_title"] == "中华人民共和国治安管理处罚法" and first["article_label"] == "第十条"
    )
    assert "<mark>" in first["snippet_html"]


def test_api_pagination(client, officer, corpus):
    client.force_login(officer)
    url = reverse("search:api")
    p1 = client.get(url, {"q": "行政拘留", "page_size": 1}).json()
    p2 = client.get(url, {"q": "行政拘留", "page_size": 1, "page": 2}).json()
    assert p1["total"] == 2 and len(p1["results"]) == 1 and len(p2["results"]) == 1
    assert p1["results"][0]["key"] != p2["results"][0]["key"]


@pytest.mark.parametrize("q, code", [("", "empty"), ("拘" * 101, "too_long")])
def test_empty_and_overlong_queries_get_clear_messages(client, officer, corpus, q, code):
    client.force_login(officer)
    api = client.get(reverse("search:api"), {"q": q})
    assert api.status_code == 400
    if q:
        assert api.json()["code"] == code
    page = client.get(reverse("search:results"), {"q": q})
    assert page.status_code == 200 and page.context["error"]


def test_no_results_message(client, officer, corpus):
    client.force_login(officer)
    html = client.get(reverse("search:results"), {"q": "量子纠缠"}).content.decode()
    assert "没有找到" in html


def test_kind_filter_paginates(client, officer, corpus):
    client.force_login(officer)
    resp = client.get(
        reverse("search:results"), {"q": "行政拘留", "kind": "article", "status": "all"}
    )
    assert resp.context["page_obj"].paginator.count == 2


def test_autocomplete_json(client, officer, corpus):
    client.force_login(officer)
    data = client.get(reverse("search:suggest"), {"q": "治安管理"}).json()
    assert data["results"][0]["title"] == "中华人民共和国治安管理处罚法"
    assert client.get(reverse("search:api_laws"), {"q": "治安"}).json()[0]["url"] == "/laws/zhian/"


def test_openapi_schema_documents_the_search_api(client, site_admin):
    client.force_login(site_admin)
    schema = client.get("/api/schema/", {"format": "json"}).json()
    op = schema["paths"]["/api/search/"]["get"]
    names = {p["name"] for p in op["parameters"]}
    assert {"q", "kind", "level", "status", "year", "law", "page", "page_size"} <= names
