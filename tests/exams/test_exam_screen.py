"""The exam screen's server side: leaving the page (切屏) counted per attempt and submitted past
the limit, shown to staff; letters in the order shown and 正确/错误 in the result API; printed
papers and the answer sheet for staff only."""

import json

import pytest

from django.test import Client
from django.urls import reverse

from questions.exams.models import Attempt
from questions.models import Question

from .conftest import EXPLANATION_MARK

pytestmark = pytest.mark.django_db


def client_for(user):
    c = Client()
    c.force_login(user)
    return c


def post(c, url, body=None):
    return c.post(url, data=json.dumps(body or {}), content_type="application/json")


def start(c, exam):
    r = post(c, f"/api/exams/{exam.pk}/start/")
    assert r.status_code == 200, r.content
    return r.json()["attempt"]


def test_leaves_are_counted_and_the_attempt_is_submitted_past_the_limit(make_exam, officer):
    exam = make_exam(leave_limit=2)
    c = client_for(officer)
    attempt_id = start(c, exam)
    paper = c.get(f"/api/exams/attempts/{attempt_id}/").json()
    assert (paper["leave_count"], paper["leave_limit"]) == (0, 2)
    url = reverse("exams:api_leave", args=[attempt_id])
    assert post(c, url).json()["leave_count"] == 1
    second = post(c, url).json()
    assert second == {
        "leave_count": 2,
        "leave_limit": 2,
        "submitted": False,
        "result_url": reverse("exams:result", args=[attempt_id]),
    }
    third = post(c, url).json()
    assert third["submitted"] is True and third["leave_count"] == 3
    attempt = Attempt.objects.get(pk=attempt_id)
    assert attempt.status == "submitted" and attempt.submit_reason == "leave_limit"
    assert attempt.score is not None
    # Once closed, a leave is refused and no longer counted.
    assert post(c, url).status_code == 409
    assert Attempt.objects.get(pk=attempt_id).leave_count == 3


def test_without_a_limit_leaves_are_only_counted(make_exam, officer):
    exam = make_exam()
    c = client_for(officer)
    attempt_id = start(c, exam)
    url = reverse("exams:api_leave", args=[attempt_id])
    for _ in range(5):
        assert post(c, url).json()["submitted"] is False
    assert Attempt.objects.get(pk=attempt_id).leave_count == 5


def test_leave_refuses_others_anonymous_and_wrong_method(make_exam, officer, make_user, units):
    exam = make_exam(leave_limit=1)
    attempt_id = start(client_for(officer), exam)
    url = reverse("exams:api_leave", args=[attempt_id])
    other = client_for(make_user("officer", unit=units["patrol"]))
    assert post(other, url).status_code == 409
    assert post(Client(), url).status_code == 403
    assert client_for(officer).get(url).status_code == 405
    assert post(client_for(officer), reverse("exams:api_leave", args=[10**12])).status_code == 409
    assert Attempt.objects.get(pk=attempt_id).leave_count == 0


def test_leave_before_the_paper_is_released_is_not_counted(make_exam, officer):
    exam = make_exam(start_delay_max_seconds=3600)
    c = client_for(officer)
    attempt_id = start(c, exam)
    attempt = Attempt.objects.get(pk=attempt_id)
    if attempt.started_at <= attempt.created_at:
        pytest.skip("this officer's random delay happened to be 0")
    r = post(c, reverse("exams:api_leave", args=[attempt_id]))
    assert r.status_code == 425
    assert Attempt.objects.get(pk=attempt_id).leave_count == 0


def test_staff_see_leave_counts(client, make_exam, officer, legal_staff):
    exam = make_exam(leave_limit=3)
    c = client_for(officer)
    attempt_id = start(c, exam)
    post(c, reverse("exams:api_leave", args=[attempt_id]))
    post(c, reverse("exams:api_leave", args=[attempt_id]))
    client.force_login(legal_staff)
    page = client.get(reverse("exams:exam_results", args=[exam.pk])).content.decode()
    assert "切屏次数" in page
    assert f"<td>{officer.police_number}</td>" in page.split('id="exam-leaves"')[1]
    assert "<td>2</td>" in page.split('id="exam-leaves"')[1]
    xlsx = client.get(reverse("exams:exam_results_xlsx", args=[exam.pk]))
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(xlsx.content))["切屏记录"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == officer.police_number and rows[1][4] == 2


def test_result_api_and_page_use_the_letters_shown(make_exam, officer):
    exam = make_exam(
        sections=[("single", 4, "5", "单选题"), ("true_false", 2, "5", "判断题")],
        answers_visibility="immediately",
    )
    c = client_for(officer)
    attempt_id = start(c, exam)
    paper = c.get(f"/api/exams/attempts/{attempt_id}/").json()
    tf = [q for q in paper["questions"] if q["type"] == "true_false"]
    assert [o["text"] for o in tf[0]["options"]] == ["正确", "错误"]
    single = [q for q in paper["questions"] if q["type"] == "single"]
    # Answer each single question with the option shown third, and a true/false with F.
    for n, q in enumerate(single, start=1):
        key = q["options"][2]["key"]
        post(
            c,
            f"/api/exams/attempts/{attempt_id}/answers/",
            {"item": q["item"], "response": key, "seq": n},
        )
    post(
        c,
        f"/api/exams/attempts/{attempt_id}/answers/",
        {"item": tf[0]["item"], "response": "F", "seq": 9},
    )
    post(c, f"/api/exams/attempts/{attempt_id}/submit/")
    review = {
        r["item"]: r for r in c.get(f"/api/exams/attempts/{attempt_id}/result/").json()["review"]
    }
    attempt = Attempt.objects.get(pk=attempt_id)
    for q in single:
        r = review[q["item"]]
        assert r["your_answer_shown"] == "C"
        item = attempt.item_by_id(q["item"])
        assert (
            r["answer_shown"]
            == "ABCD"[item.options.index(Question.objects.get(pk=item.question_id).answer)]
        )
    assert review[tf[0]["item"]]["your_answer_shown"] == "错误"
    assert review[tf[1]["item"]]["your_answer_shown"] == ""
    page = c.get(reverse("exams:result", args=[attempt_id])).content.decode()
    assert "您的答案" in page and '<span class="your-answer">错误</span>' in page
    assert '<span class="your-answer">F</span>' not in page


def test_english_true_false_words(make_exam, officer):
    exam = make_exam(sections=[("true_false", 2, "5", "判断题")])
    c = client_for(officer)
    c.cookies["django_language"] = "en"
    attempt_id = start(c, exam)
    paper = c.get(f"/api/exams/attempts/{attempt_id}/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert [o["text"] for o in paper["questions"][0]["options"]] == ["Correct", "Incorrect"]


def test_take_page_has_no_inline_script_and_no_key(make_exam, officer):
    exam = make_exam(leave_limit=2)
    c = client_for(officer)
    attempt_id = start(c, exam)
    page = c.get(reverse("exams:take", args=[attempt_id])).content.decode()
    scripts = page.split("<script")[1:]
    assert scripts and all(
        ' src="' in s.split(">")[0] or 'type="application/json"' in s.split(">")[0] for s in scripts
    )
    assert " onclick=" not in page and EXPLANATION_MARK not in page
    assert 'class="site-header"' not in page and 'name="q"' not in page


@pytest.mark.parametrize("name", ["print", "answer_sheet", "preview"])
def test_printed_pages_are_for_staff_only(client, make_exam, officer, legal_staff, name):
    exam = make_exam()
    url = reverse(f"exams:{name}", args=[exam.pk])
    client.force_login(officer)
    assert client.get(url).status_code == 403
    client.force_login(legal_staff)
    page = client.get(url, {"sample": "x" * 5000}).content.decode()
    if name == "answer_sheet":
        assert 'class="bubble">A</span>' in page
        assert 'class="bubble">正确</span>' in page and EXPLANATION_MARK not in page
    else:
        assert "A. " in page
    if name == "print":
        assert EXPLANATION_MARK not in page and " onclick=" not in page
