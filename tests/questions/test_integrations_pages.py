"""The bank's contributions to other pages, and officers never reaching inactive questions."""

import pytest

from django.urls import reverse

from questions.services import record_responses

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("status", ["draft", "reviewed", "retired"])
def test_officers_cannot_reach_inactive_questions(client, officer, make_question, status):
    question = make_question(status=status, explanation="未启用题目的解析")
    client.force_login(officer)
    assert client.post(reverse("questions:toggle_favourite", args=[question.pk])).status_code == 404
    client.post(reverse("questions:start"), {"mode": "sequential"})
    html = client.get(reverse("questions:practice_home")).content.decode()
    assert question.stem not in html


def test_users_without_a_role_cannot_practise(client, db):
    from accounts.models import User

    user = User.objects.create_user("norole", password="x")
    client.force_login(user)
    assert client.get(reverse("questions:practice_home")).status_code == 403


def test_officer_record_shows_practice_section(client, officer, make_question):
    question = make_question()
    record_responses(
        user=officer, items=[(question, "B", True), (question, "A", False)], source="practice"
    )
    client.force_login(officer)
    response = client.get(reverse("accounts:profile"))
    html = response.content.decode()
    assert "学习练习" in html and "累计作答" in html
    practice = next(s for s in response.context["sections"] if s["key"] == "practice")
    assert practice["ctx"]["summary"]["answers"] == 2
    assert (
        '<dd class="col-6 col-md-3">2</dd>' in html
    )  # the figure is on the page, not just the label


def test_home_page_panel_for_officers(client, officer, home_page, make_question):
    client.force_login(officer)
    html = client.get("/").content.decode()
    assert "我的练习" in html and reverse("questions:wrong_book") in html
    assert "还没有练习过" in html
    question = make_question()
    record_responses(
        user=officer, items=[(question, "B", True), (question, "A", False)], source="practice"
    )
    html = client.get("/").content.decode()
    assert "累计作答 2 次，正确率 50%" in html
