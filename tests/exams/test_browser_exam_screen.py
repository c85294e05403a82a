"""The exam screen officers know, in headless Chromium: answer card (jump, mark), letters in
the order shown, 正确/错误, answering by keyboard, one question at a time, the focused mode that
counts leaving the page and submits past the exam's limit, and printed papers with letters."""

import re

import pytest

from questions.exams.models import Attempt, AttemptAnswer
from questions.models import Question
from tests.conftest import login_in_browser, wait_for_js

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def whoosh_index(settings):
    from search.backends import get_engine

    get_engine().count()


def _start(page, live_server, officer, exam):
    login_in_browser(page, live_server.url, officer.police_number)
    page.goto(f"{live_server.url}/exams/{exam.pk}/")
    page.get_by_role("button", name="开始考试").click()
    page.wait_for_selector("#exam-questions section.card")
    page.wait_for_selector("#exam-card .exam-card-item", state="attached")


def _item(card):
    return card.get_attribute("id")[2:]


def _answer(exam, item):
    attempt = Attempt.objects.get(exam=exam)
    return AttemptAnswer.objects.get(
        attempt=attempt, question_id=attempt.item_by_id(item).question_id
    ).response


def test_answer_card_keyboard_marks_and_one_at_a_time(
    browser_page, live_server, whoosh_index, make_exam, officer
):
    exam = make_exam(
        sections=[("single", 3, "10", "单选题"), ("true_false", 2, "10", "判断题")],
        answers_visibility="immediately",
    )
    page = browser_page
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    _start(page, live_server, officer, exam)

    # Focused mode: no site navigation, no search box, no footer links.
    assert page.locator("header.site-header").count() == 0
    assert page.locator("input[name=q]").count() == 0
    assert page.locator("footer").count() == 0

    cards = page.locator("#exam-questions section.card")
    assert cards.count() == 5
    # The answer card: one number per question, grouped by section.
    card_groups = page.locator("#exam-card .exam-card-grid")
    assert card_groups.count() == 2
    assert card_groups.nth(0).locator(".exam-card-item").count() == 3
    assert card_groups.nth(1).locator(".exam-card-item").count() == 2
    assert page.locator("#exam-card").inner_text().startswith("单选题")

    # Letters A, B, C, D in the order shown; true/false reads 正确/错误 without letters.
    first = cards.nth(0)
    labels = [t.strip() for t in first.locator("label").all_inner_texts()]
    assert [label[:2] for label in labels] == ["A.", "B.", "C.", "D."]
    tf_labels = [t.strip() for t in cards.nth(3).locator("label").all_inner_texts()]
    assert tf_labels == ["正确", "错误"]

    # Jump with the answer card to question 4 and answer it by keyboard: A = 正确.
    page.locator("#exam-card .exam-card-item", has_text="4").click()
    q4 = _item(cards.nth(3))
    assert page.evaluate("document.activeElement.id") == f"q-{q4}"
    page.keyboard.press("a")
    page.wait_for_selector(f'[data-status-for="{q4}"].text-success')
    assert _answer(exam, q4) == "T"
    item4 = page.locator("#exam-card .exam-card-item[data-index='3']")
    assert "answered" in item4.get_attribute("class")

    # M marks it for review; the card shows it.
    page.keyboard.press("m")
    assert "marked" in item4.get_attribute("class")
    assert cards.nth(3).locator(".exam-mark").get_attribute("aria-pressed") == "true"

    # ← moves to question 3; B chooses its second option as shown.
    page.keyboard.press("ArrowLeft")
    q3 = _item(cards.nth(2))
    assert page.evaluate("document.activeElement.id") == f"q-{q3}"
    page.keyboard.press("b")
    second_key = cards.nth(2).locator("input").nth(1).get_attribute("value")
    page.wait_for_selector(f'[data-status-for="{q3}"].text-success')
    assert _answer(exam, q3) == second_key
    assert cards.nth(2).locator("input").nth(1).is_checked()

    # One question at a time, with previous/next.
    page.locator("#exam-mode").click()
    visible = page.locator("#exam-questions section.card:visible")
    assert visible.count() == 1
    assert _item(visible.first) == q3
    page.locator("#exam-next").click()
    assert _item(page.locator("#exam-questions section.card:visible").first) == q4
    page.keyboard.press("ArrowRight")
    assert _item(page.locator("#exam-questions section.card:visible").first) == _item(cards.nth(4))
    page.locator("#exam-card .exam-card-item", has_text="1").click()
    assert _item(page.locator("#exam-questions section.card:visible").first) == _item(cards.nth(0))
    assert page.locator("#exam-next").is_enabled() and page.locator("#exam-prev").is_disabled()
    page.locator("#exam-mode").click()
    assert page.locator("#exam-questions section.card:visible").count() == 5

    # Submit: the confirmation lists unanswered and marked questions.
    page.locator("#exam-review").click()
    assert "尚未作答" in page.locator("#exam-unanswered").inner_text()
    assert "4" in page.locator("#exam-marked").inner_text()
    page.locator("#exam-submit").click()
    page.wait_for_url("**/result/")
    attempt = Attempt.objects.get(exam=exam, officer=officer)
    assert attempt.status == "submitted"
    assert errors == []

    # The review uses the same letters and 正确/错误.
    reviews = page.locator(".review-item")
    assert reviews.nth(3).locator(".your-answer").inner_text() == "正确"
    assert reviews.nth(2).locator(".your-answer").inner_text() == "B"
    right = Question.objects.get(pk=attempt.item_by_id(q3).question_id).answer
    order = attempt.item_by_id(q3).options
    assert reviews.nth(2).locator(".right-answer").inner_text() == "ABCD"[order.index(right)]
    assert reviews.nth(4).locator(".right-answer").inner_text() in ("正确", "错误")


def test_leaving_the_page_past_the_limit_submits(
    browser_page, live_server, whoosh_index, make_exam, officer
):
    exam = make_exam(sections=[("single", 2, "10", "单选题")], leave_limit=2)
    page = browser_page
    _start(page, live_server, officer, exam)
    assert "最多允许离开考试页面 2 次" in page.locator("#exam-leave-rule").inner_text()
    cards = page.locator("#exam-questions section.card")
    cards.nth(0).locator("input").first.check()
    q1 = _item(cards.nth(0))
    page.wait_for_selector(f'[data-status-for="{q1}"].text-success')

    def leave_and_return():
        page.evaluate("window.dispatchEvent(new Event('blur'))")
        page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")  # same leave
        page.evaluate("window.dispatchEvent(new Event('focus'))")

    leave_and_return()
    wait_for_js(page, "document.getElementById('exam-leave').textContent.includes('1 次')")
    assert Attempt.objects.get(exam=exam).leave_count == 1
    leave_and_return()
    # The warning before the last one.
    wait_for_js(page, "document.getElementById('exam-leave').textContent.includes('再离开一次')")
    assert Attempt.objects.get(exam=exam).status == "in_progress"
    leave_and_return()
    page.wait_for_url("**/result/", timeout=20_000)
    attempt = Attempt.objects.get(exam=exam)
    assert attempt.status == "submitted"
    assert attempt.submit_reason == "leave_limit"
    assert attempt.leave_count == 3
    assert AttemptAnswer.objects.filter(attempt=attempt).count() == 1


def test_printed_paper_key_and_answer_sheet_use_the_letters_shown(
    browser_page, live_server, whoosh_index, make_exam, legal_staff
):
    exam = make_exam(sections=[("single", 4, "5", "单选题"), ("true_false", 2, "5", "判断题")])
    page = browser_page
    login_in_browser(page, live_server.url, legal_staff.police_number)
    page.goto(f"{live_server.url}/exams/{exam.pk}/print/?sample=3")
    questions = page.locator(".paper-question")
    assert questions.count() == 6
    assert page.locator(".answer-key").count() == 0
    shown = []
    for i in range(4):
        lines = [t.strip() for t in questions.nth(i).locator(".paper-option").all_inner_texts()]
        assert [line[:2] for line in lines] == ["A.", "B.", "C.", "D."]
        shown.append(lines)
    for i in (4, 5):
        assert [
            t.strip().lstrip("□ ")
            for t in questions.nth(i).locator(".paper-option").all_inner_texts()
        ] == ["正确", "错误"]
    page.emulate_media(media="print")
    assert page.locator(".no-print").first.is_hidden()

    # The key (?answers=1): the same paper, the same letters; each key letter names the option
    # whose text is the bank's correct option.
    page.goto(f"{live_server.url}/exams/{exam.pk}/print/?sample=3&answers=1")
    questions = page.locator(".paper-question")
    for i in range(4):
        lines = [t.strip() for t in questions.nth(i).locator(".paper-option").all_inner_texts()]
        assert lines == shown[i]
        letter = questions.nth(i).locator(".answer-key strong").inner_text()
        text = dict(line.split(". ", 1) for line in lines)[letter]
        stem = re.sub(r"（\d+(\.\d+)?分）$", "", questions.nth(i).locator("p").first.inner_text())
        stem = stem.split(" ", 1)[1].strip()
        q = Question.objects.get(stem=stem)
        assert q.options.get(key=q.answer).text == text
    for i in (4, 5):
        assert questions.nth(i).locator(".answer-key strong").inner_text() in ("正确", "错误")

    # The answer sheet for paper sittings: one row per question, bubbles A–D / 正确 错误.
    page.goto(f"{live_server.url}/exams/{exam.pk}/answer-sheet/?sample=3")
    rows = page.locator(".answer-sheet-row")
    assert rows.count() == 6
    assert rows.nth(0).locator(".bubble").all_inner_texts() == ["A", "B", "C", "D"]
    assert rows.nth(5).locator(".bubble").all_inner_texts() == ["正确", "错误"]


def test_answer_card_is_a_drawer_on_a_phone(
    browser_page, live_server, whoosh_index, make_exam, officer
):
    exam = make_exam(sections=[("single", 3, "10", "单选题"), ("true_false", 2, "10", "判断题")])
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 800})
    _start(page, live_server, officer, exam)
    panel = page.locator("#exam-card-panel")
    assert panel.is_hidden()
    page.get_by_role("button", name="答题卡").click()
    page.wait_for_selector("#exam-card-panel.show")
    page.locator("#exam-card .exam-card-item", has_text="5").click()
    page.wait_for_selector("#exam-card-panel:not(.show)", state="attached")
    wait_for_js(page, "!document.getElementById('exam-card-panel').classList.contains('show')")
    last = _item(page.locator("#exam-questions section.card").nth(4))
    assert page.evaluate("document.activeElement.id") == f"q-{last}"


def test_exam_form_shows_eligible_officers_and_available_questions(
    browser_page, live_server, whoosh_index, make_exam, legal_staff, officer
):
    exam = make_exam(
        sections=[("single", 20, "2", "单选题"), ("true_false", 2, "5", "判断题")], published=False
    )
    page = browser_page
    login_in_browser(page, live_server.url, legal_staff.police_number)
    page.goto(f"{live_server.url}/admin/snippets/exams/exam/edit/{exam.pk}/")
    wait_for_js(
        page,
        "document.querySelector('[data-exam-eligible-count]').textContent.includes('应考民警共')",
    )
    assert "应考民警共 2 人" in page.locator("[data-exam-eligible-count]").inner_text()
    wait_for_js(page, "!!document.getElementById('sections-0-available')")
    first = page.locator("#sections-0-available")
    wait_for_js(page, "document.getElementById('sections-0-available').textContent !== ''")
    assert "可用题：12 道（需要 20 道）" in first.inner_text() and "不够" in first.inner_text()
    wait_for_js(page, "document.getElementById('sections-1-available').textContent !== ''")
    assert "可用题：6 道（需要 2 道）" in page.locator("#sections-1-available").inner_text()
    # Choosing a knowledge point updates the figure.
    page.select_option("[name='sections-0-knowledge_point']", "传唤")
    wait_for_js(
        page, "document.getElementById('sections-0-available').textContent.includes('6 道')"
    )
