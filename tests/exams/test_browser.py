"""A short exam end to end in headless Chromium: start, answer (each acknowledged), lose the
connection (answers kept locally and re-sent), see the unanswered list, submit, see the result."""

import re

import pytest

from questions.exams.models import Attempt, AttemptAnswer
from tests.conftest import login_in_browser, wait_for_js

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def whoosh_index(settings):
    from search.backends import get_engine

    get_engine().count()  # the search outbox drains into an existing index


def test_officer_takes_a_short_exam(browser_page, live_server, whoosh_index, make_exam, officer):
    exam = make_exam(
        sections=[("single", 3, "10", "单选题"), ("true_false", 2, "10", "判断题")],
        pass_mark=30,
        excellence_mark=50,
    )
    page = browser_page
    login_in_browser(page, live_server.url, officer.police_number)
    page.goto(f"{live_server.url}/exams/{exam.pk}/")
    page.get_by_role("button", name="开始考试").click()
    page.wait_for_selector("#exam-questions section.card")
    cards = page.locator("#exam-questions section.card")
    assert cards.count() == 5
    wait_for_js(page, "document.getElementById('exam-countdown').textContent !== '--:--'")
    assert ":" in page.locator("#exam-countdown").inner_text()

    chosen = {}
    for i in range(3):
        card = cards.nth(i)
        qid = card.get_attribute("id").split("-", 1)[1]
        radio = card.locator("input").first
        radio.check()
        chosen[qid] = radio.get_attribute("value")
        page.wait_for_selector(f'[data-status-for="{qid}"].text-success')

    # The connection drops: the answer stays on screen and in localStorage, and the page says so.
    page.context.set_offline(True)
    card = cards.nth(3)
    qid = card.get_attribute("id").split("-", 1)[1]
    card.locator("input").first.check()
    chosen[qid] = card.locator("input").first.get_attribute("value")
    page.wait_for_selector("#exam-offline:not(.d-none)")
    assert "网络连接中断" in page.locator("#exam-offline").inner_text()
    assert not AttemptAnswer.objects.filter(
        question_id=Attempt.objects.get().item_by_id(qid).question_id
    ).exists()
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.wait_for_selector(f'[data-status-for="{qid}"].text-success')

    # Submit: the fifth question is listed as unanswered.
    page.get_by_role("button", name="交卷").first.click()
    unanswered = page.locator("#exam-unanswered").inner_text()
    assert "尚未作答" in unanswered and "5" in unanswered
    page.locator("#exam-submit").click()
    page.wait_for_url("**/result/")
    attempt = Attempt.objects.get(exam=exam, officer=officer)
    assert attempt.status == "submitted"
    item_of_question = {i.question_id: i.item for i in attempt.items()}
    assert {
        item_of_question[qid]: response
        for qid, response in AttemptAnswer.objects.filter(attempt=attempt).values_list(
            "question_id", "response"
        )
    } == chosen
    assert str(attempt.score) in page.content()


def test_a_busy_server_gets_one_request_per_page_not_one_per_answer(
    browser_page, live_server, whoosh_index, make_exam, officer
):
    """While the server answers 503 + Retry-After, answers wait on the page (saying so); when
    it recovers they all arrive in one batch request and are stored."""
    exam = make_exam(sections=[("single", 3, "10", "单选题"), ("true_false", 2, "10", "判断题")])
    page = browser_page
    login_in_browser(page, live_server.url, officer.police_number)
    # The paper itself first meets a busy server: the page waits and asks again by itself.
    paper_tries = []

    def paper_busy_once(route):
        paper_tries.append(route.request.url)
        if len(paper_tries) == 1:
            route.fulfill(
                status=503,
                headers={"Retry-After": "1", "Content-Type": "application/json"},
                body='{"error": "busy", "retry_after": 1}',
            )
        else:
            route.continue_()

    page.route(re.compile(r"/api/exams/attempts/\d+/$"), paper_busy_once)
    page.goto(f"{live_server.url}/exams/{exam.pk}/")
    page.get_by_role("button", name="开始考试").click()
    page.wait_for_selector("#exam-questions section.card")
    assert len(paper_tries) == 2
    cards = page.locator("#exam-questions section.card")

    refused = []

    def busy(route):
        refused.append(route.request.url)
        route.fulfill(
            status=503,
            headers={"Retry-After": "1", "Content-Type": "application/json"},
            body='{"error": "busy", "retry_after": 1}',
        )

    page.route("**/answers/**", busy)
    chosen = {}
    for i in range(4):
        card = cards.nth(i)
        qid = card.get_attribute("id").split("-", 1)[1]
        card.locator("input").first.check()
        chosen[qid] = card.locator("input").first.get_attribute("value")
    page.wait_for_selector("#exam-offline:not(.d-none)")
    assert "服务器繁忙" in page.locator("#exam-connection").inner_text()
    assert not AttemptAnswer.objects.exists()
    # One request went out (the first answer); the others waited for the backoff, not each
    # one sending its own.
    assert len(refused) <= 2, refused

    sent = []
    page.on(
        "request",
        lambda request: (
            sent.append((request.url, request.post_data)) if "/answers/" in request.url else None
        ),
    )
    page.unroute("**/answers/**")
    for qid in chosen:
        page.wait_for_selector(f'[data-status-for="{qid}"].text-success')
    assert len(sent) == 1 and sent[0][0].endswith("/answers/batch/"), sent
    import json

    assert sorted(a["item"] for a in json.loads(sent[0][1])["answers"]) == sorted(chosen)
    attempt = Attempt.objects.get(exam=exam, officer=officer)
    item_of_question = {i.question_id: i.item for i in attempt.items()}
    stored = dict(
        AttemptAnswer.objects.filter(attempt=attempt).values_list("question_id", "response")
    )
    assert {item_of_question[q]: r for q, r in stored.items()} == chosen
