"""A real browser: an officer runs the practice modes, misses a question, sees it in the
wrong-answer book, and clears it by answering right twice (the configured streak)."""

import pytest

from tests.conftest import login_in_browser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def roles(db):
    from accounts.roles import sync_roles

    sync_roles()  # an earlier transactional test may have flushed the groups' permissions


def _run_first_question(page, choice_value):
    page.check(f"input[name=choice][value={choice_value}]")
    page.click("#answer-form button[type=submit]")
    page.wait_for_selector("#result")
    return page.inner_text("#result")


def test_officer_practises_in_the_browser(
    browser_page, live_server, roles, make_user, make_question, units, settings
):
    settings.QUESTIONS_WRONG_BOOK_CLEAR_STREAK = 2
    officer = make_user("officer", unit=units["patrol"])
    question = make_question(
        stem="浏览器练习题：出警民警不得少于几人？",
        options=["一人", "二人", "三人"],
        answer="B",
        explanation="出警民警不得少于二人。",
        knowledge_points=["接处警"],
    )
    page = browser_page
    login_in_browser(page, live_server.url, officer.username)

    for mode_label in ("随机抽题", "顺序练习", "开始每日一练"):
        page.goto(f"{live_server.url}/practice/")
        page.click(f"button:has-text('{mode_label}')")
        page.wait_for_selector("#answer-form, #result")
        assert "浏览器练习题" in page.content()

    # Knowledge-point practice; the explanation only appears after answering.
    page.goto(f"{live_server.url}/practice/")
    page.click("button:has-text('接处警')")
    page.wait_for_selector("#answer-form")
    assert "出警民警不得少于二人。" not in page.content()
    assert "回答错误" in _run_first_question(page, "A")
    assert "出警民警不得少于二人。" in page.content()

    # The miss is in the wrong-answer book.
    page.goto(f"{live_server.url}/practice/wrong/")
    assert page.locator(".wrong-entry").count() == 1

    # Favourites mode.
    page.goto(f"{live_server.url}/practice/")
    page.click("button:has-text('随机抽题')")
    page.wait_for_selector("#answer-form, #result")
    page.click("button:has-text('收藏')")
    page.goto(f"{live_server.url}/practice/")
    page.click("button:has-text('练收藏')")
    page.wait_for_selector("#answer-form, #result")

    # Wrong-answers mode, right twice in a row: the question leaves the book.
    for _ in range(2):
        page.goto(f"{live_server.url}/practice/wrong/")
        page.click("button:has-text('练习全部错题')")
        page.wait_for_selector("#answer-form")
        assert "回答正确" in _run_first_question(page, "B")
    page.goto(f"{live_server.url}/practice/wrong/")
    assert page.locator(".wrong-entry").count() == 0
    assert "错题本是空的" in page.content()

    page.goto(f"{live_server.url}/practice/progress/")
    assert page.locator("svg").count() >= 1
    assert question.pk
