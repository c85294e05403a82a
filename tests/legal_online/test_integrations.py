"""Legal Online in other apps' pages: practice questions, officer record, home page, admin."""

import pytest

from django.urls import reverse

from .test_services import run_to

pytestmark = pytest.mark.django_db


def test_answer_becomes_a_draft_practice_question_citing_the_same_articles(
    client, submit, answerer, reviewer, articles
):
    from questions.models import Question

    c = run_to(submit(), "published", answerer=answerer, reviewer=reviewer, articles=[articles[3]])
    client.force_login(reviewer)
    response = client.post(reverse("legal_online:practice_question", args=[c.pk]))
    assert response.status_code == 302
    question = Question.objects.get()
    assert question.status == "draft" and question.author == reviewer
    assert list(question.cited_articles.all()) == [articles[3]]
    assert "醉酒人员能否约束" in question.stem
    assert c.official_answer().practice_question_id == question.pk


def test_practice_question_is_for_staff_only(client, submit, officer, answerer, reviewer):
    c = run_to(submit(), "reviewed", answerer=answerer, reviewer=reviewer)
    client.force_login(officer)
    assert client.post(reverse("legal_online:practice_question", args=[c.pk])).status_code == 403


def test_record_section_lists_own_questions_and_hides_them_from_a_leader(
    submit, officer, unit_leader
):
    from accounts.records import record_sections

    submit(title="我在档案里的咨询")
    mine = {s["key"]: s for s in record_sections(officer, officer)}["legal_online"]
    assert mine["ctx"]["count"] == 1 and mine["ctx"]["items"][0].title == "我在档案里的咨询"
    leader_view = {s["key"]: s for s in record_sections(officer, unit_leader)}["legal_online"]
    assert leader_view["ctx"]["count"] == 1 and leader_view["ctx"]["items"] is None


def test_record_page_renders_the_section(client, submit, officer):
    submit(title="我在档案里的咨询")
    client.force_login(officer)
    page = client.get(reverse("accounts:profile")).content.decode()
    assert "法律在线咨询" in page and "我在档案里的咨询" in page


def test_home_panel_shows_recently_published_answers(client, home_page, submit, answerer, reviewer):
    run_to(submit(), "published", answerer=answerer, reviewer=reviewer)
    page = client.get("/").content.decode()
    assert "法律在线 · 最新答复" in page and "醉酒人员能否约束" in page


def test_faq_filters_by_category(client, submit, answerer, reviewer, category):
    from legal_online.models import Category

    traffic = Category.objects.get(slug="jiaotong")
    run_to(submit(), "published", answerer=answerer, reviewer=reviewer)
    page = client.get(reverse("legal_online:faq"), {"category": traffic.slug}).content.decode()
    assert "醉酒人员能否约束" not in page
    page = client.get(reverse("legal_online:faq"), {"category": category.slug}).content.decode()
    assert "醉酒人员能否约束" in page


def test_legal_staff_role_has_the_permissions():
    from accounts.roles import role_permission_names

    perms = role_permission_names()
    assert {"legal_online.answer_consultation", "legal_online.review_answer"} <= perms[
        "legal_staff"
    ]
    assert not {p for p in perms["officer"] if p.startswith("legal_online.")}
    assert "legal_online.answer_consultation" not in perms["unit_leader"]


def test_categories_are_editable_in_the_wagtail_admin(client, answerer, category):
    client.force_login(answerer)
    response = client.get(reverse("wagtailsnippets_legal_online_category:list"))
    assert response.status_code == 200 and "治安" in response.content.decode()
