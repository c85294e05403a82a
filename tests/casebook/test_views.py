"""What each role sees and may do: case pages, the library, annotations, the admin."""

import datetime

import pytest

from casebook.models import Annotation, CaseArticle, ReviewFinding

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(make_case, public_order_law):
    article = public_order_law.versions.order_by("version_date").first().articles.get(number=43)
    live = make_case(rating="excellent", reviewer="法制大队")
    CaseArticle.objects.create(page=live, article=article, sort_order=0)
    ReviewFinding.objects.create(
        page=live, ground="facts", verdict="sound", note="事实清楚，证据链完整。"
    )
    live.keywords.add("殴打他人")
    live.save()
    draft = make_case("张某盗窃案（草稿）", live=False, kind="criminal")
    return {"live": live, "draft": draft, "article": article}


def role_user(request, name):
    return request.getfixturevalue(name) if name else None


@pytest.mark.parametrize(
    ("role", "live_status", "draft_status"),
    [(None, 302, 404), ("officer", 200, 404), ("unit_leader", 200, 404), ("legal_staff", 200, 404)],
)
def test_case_pages_per_role(client, request, cases, role, live_status, draft_status):
    user = role_user(request, role)
    if user:
        client.force_login(user)
    assert client.get(cases["live"].url).status_code == live_status
    # Drafts are never served as pages; staff see them in the admin and the annotation workspace.
    assert client.get(f"/cases/{cases['draft'].slug}/").status_code == draft_status


def test_case_page_shows_structure_review_and_the_article_that_applied(client, officer, cases):
    client.force_login(officer)
    html = client.get(cases["live"].url).content.decode()
    for text in (
        "王某殴打他人案",
        "基本案情",
        "处理结果",
        "优质案件",
        "事实是否清楚",
        "事实清楚，证据链完整。",
        "旧版第四十三条",
        "该条此后已修改",
        "新版第四十三条",
    ):
        assert text in html, text
    # officers get no annotation tools and no source text
    assert "annotate-form" not in html
    assert "文书原文" not in html


def test_case_page_shows_annotations_beside_the_text(client, officer, legal_staff, cases):
    from casebook import services

    case = cases["live"]
    start = case.facts.index("停车纠纷")
    services.annotation_create(
        case=case,
        user=legal_staff,
        field="facts",
        start=start,
        end=start + 4,
        kind="note",
        note="起因是民间纠纷",
        quote="停车纠纷",
    )
    client.force_login(officer)
    html = client.get(case.url).content.decode()
    assert '<mark class="ann ann-note"' in html and ">停车纠纷</mark>" in html
    assert "起因是民间纠纷" in html


def test_index_lists_published_cases_with_filters(client, officer, cases, make_case):
    make_case(
        "赵某醉酒驾驶案", kind="traffic", decided_on=datetime.date(2023, 5, 1), rating="problem"
    )
    client.force_login(officer)
    index = cases["live"].get_parent()

    def titles(query=""):
        response = client.get(index.url + query)
        assert response.status_code == 200
        return {c.title for c in response.context["cases"]}

    assert titles() == {"王某殴打他人案", "赵某醉酒驾驶案"}  # no draft
    assert titles("?kind=traffic") == {"赵某醉酒驾驶案"}
    assert titles("?rating=excellent") == {"王某殴打他人案"}
    assert titles("?year=2023") == {"赵某醉酒驾驶案"}
    assert titles("?keyword=殴打他人") == {"王某殴打他人案"}
    a = cases["article"]
    assert titles(f"?article={a.law_id}:43:0") == {"王某殴打他人案"}
    assert titles("?q=醉酒") == {"赵某醉酒驾驶案"}
    assert titles("?kind=bogus&year=abc") == {"王某殴打他人案", "赵某醉酒驾驶案"}


@pytest.mark.parametrize(
    ("role", "status"), [("officer", 403), ("unit_leader", 403), ("legal_staff", 201)]
)
def test_annotation_endpoint_per_role(client, request, cases, role, status):
    client.force_login(request.getfixturevalue(role))
    case = cases["live"]
    start = case.facts.index("停车纠纷")
    response = client.post(
        f"/cases/-/{case.pk}/annotations/",
        {
            "field": "facts",
            "start": start,
            "end": start + 4,
            "quote": "停车纠纷",
            "kind": "highlight",
        },
    )
    assert response.status_code == status
    assert Annotation.objects.count() == (1 if status == 201 else 0)


def test_annotation_endpoint_links_an_article_by_citation(client, legal_staff, cases):
    client.force_login(legal_staff)
    case = cases["live"]
    start = case.facts.index("击打")
    response = client.post(
        f"/cases/-/{case.pk}/annotations/",
        {
            "field": "facts",
            "start": start,
            "end": start + 2,
            "quote": "击打",
            "kind": "article",
            "citation": "《治安管理处罚法》第四十三条",
        },
    )
    assert response.status_code == 201, response.content
    annotation = Annotation.objects.get()
    assert annotation.article == cases["article"]  # the version in force in 2024
    bad = client.post(
        f"/cases/-/{case.pk}/annotations/",
        {
            "field": "facts",
            "start": start,
            "end": start + 2,
            "quote": "击打",
            "kind": "article",
            "citation": "《不存在法》第一条",
        },
    )
    assert bad.status_code == 400 and "找不到" in bad.json()["error"]


@pytest.mark.parametrize(
    ("role", "status"), [("officer", 403), ("unit_leader", 403), ("legal_staff", 200)]
)
def test_workspace_and_flagged_list_per_role(client, request, cases, role, status):
    client.force_login(request.getfixturevalue(role))
    assert client.get(f"/cases/-/{cases['draft'].pk}/annotate/").status_code == status
    assert client.get("/cases/-/annotations/flagged/").status_code == status


def test_workspace_shows_a_draft_with_the_annotation_form(client, legal_staff, cases):
    client.force_login(legal_staff)
    html = client.get(f"/cases/-/{cases['draft'].pk}/annotate/").content.decode()
    assert "张某盗窃案（草稿）" in html and 'id="annotate-form"' in html and "尚未发布" in html


@pytest.mark.parametrize(
    ("role", "can_edit"),
    [("officer", False), ("unit_leader", False), ("legal_staff", True), ("site_admin", True)],
)
def test_admin_edit_permissions_per_role(client, request, cases, role, can_edit):
    client.force_login(request.getfixturevalue(role))
    response = client.get(f"/admin/pages/{cases['live'].pk}/edit/")
    if can_edit:
        assert response.status_code == 200
        html = response.content.decode()
        assert "案件评查" in html and "关联法条" in html
    else:
        assert response.status_code in (302, 403)


def test_legal_staff_can_edit_and_publish_a_case_in_the_admin(client, legal_staff, cases):
    from wagtail.test.utils.form_data import (
        inline_formset,
        nested_form_data,
        rich_text,
        streamfield,
    )

    case = cases["draft"]
    client.force_login(legal_staff)
    data = nested_form_data(
        {
            "title": case.title,
            "slug": case.slug,
            "case_number": "示公（刑）字〔2024〕1号",
            "kind": "criminal",
            "handling_unit": "城关派出所",
            "decided_on": "2024-03-10",
            "year": "2024",
            "keywords": "盗窃",
            "key_points": "要点",
            "case_articles": inline_formset(
                [{"citation": "《治安管理处罚法》第四十三条", "note": "第一款"}]
            ),
            "facts": case.facts,
            "handling": case.handling,
            "reasoning": "",
            "commentary": streamfield([("paragraph", rich_text("<p>评析正文</p>"))]),
            "full_text": "",
            "rating": "qualified",
            "reviewed_on": "",
            "reviewer": "",
            "findings": inline_formset(
                [{"ground": "procedure", "verdict": "flawed", "note": "告知程序记录不全"}]
            ),
            "summary": "",
            "seo_title": "",
            "search_description": "",
            "action-publish": "publish",
        }
    )
    response = client.post(f"/admin/pages/{case.pk}/edit/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    case.refresh_from_db()
    assert case.live and case.rating == "qualified" and case.case_number.startswith("示公")
    assert case.findings.get().verdict == "flawed"
    link = case.case_articles.get()
    assert link.article == cases["article"]  # the version in force on 2024-03-10
    assert link.citation == "《中华人民共和国治安管理处罚法》第四十三条"


def test_admin_rejects_a_citation_the_library_does_not_hold(client, legal_staff, cases):
    from casebook.models import CaseArticle

    case = cases["live"]
    link = CaseArticle(page=case, citation="《不存在法》第一条")
    with pytest.raises(Exception) as exc:
        link.clean()
    assert "找不到" in str(exc.value)


def test_home_page_panel_lists_the_latest_cases(client, officer, cases):
    client.force_login(officer)
    html = client.get("/").content.decode()
    assert 'id="panel-latest_cases"' in html and "王某殴打他人案" in html
    assert "张某盗窃案（草稿）" not in html


def test_deleting_an_annotation_stays_on_site(client, legal_staff, officer, cases):
    from casebook import services

    case = cases["live"]
    start = case.facts.index("停车纠纷")
    a = services.annotation_create(
        case=case,
        user=legal_staff,
        field="facts",
        start=start,
        end=start + 4,
        kind="highlight",
        quote="停车纠纷",
    )
    client.force_login(officer)
    assert client.post(f"/cases/-/annotations/{a.pk}/delete/").status_code == 403
    client.force_login(legal_staff)
    response = client.post(
        f"/cases/-/annotations/{a.pk}/delete/", {"next": "https://evil.example/"}
    )
    assert response.status_code == 302 and response["Location"] == "/cases/-/annotations/flagged/"
    assert not Annotation.objects.exists()
