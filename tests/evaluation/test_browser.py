"""A real browser: legal staff evaluate a case, and the officer finds the finding and the
misapplied article on their own record (执法档案)."""

import pytest

from tests.conftest import login_in_browser

from .conftest import item

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def roles(db):
    from accounts.roles import sync_roles

    sync_roles()


def test_evaluate_in_the_browser_then_the_officer_sees_it(
    browser_page, live_server, roles, make_user, units, standard, law, make_case
):
    staff = make_user("legal_staff", unit=units["legal"])
    officer = make_user("officer", unit=units["patrol"])
    case = make_case(lead=officer, case_number="A2026-0501", cause="寻衅滋事")
    page = browser_page
    login_in_browser(page, live_server.url, staff.username)
    page.goto(f"{live_server.url}/evaluation/cases/{case.pk}/evaluate/")
    wrong_law = item(standard, "适用法律条款错误")
    page.check(f"#id_item_{wrong_law.pk}")
    page.fill(f"input[name=note_{wrong_law.pk}]", "决定书引用条款错误")
    page.fill(f"input[name=article_{wrong_law.pk}]", "《治安管理处罚法》第四十三条")
    page.fill(f"input[name=demand_{wrong_law.pk}]", "组织学习第四十三条")
    page.click("#evaluate-form button[type=submit]")
    page.wait_for_selector("#evaluation")
    assert page.inner_text("#score") == "92.00"
    assert "决定书引用条款错误" in page.inner_text("#findings")

    page.context.clear_cookies()
    login_in_browser(page, live_server.url, officer.username)
    page.goto(f"{live_server.url}/accounts/me/")
    record = page.inner_text("#record-evaluation_cases")
    assert "A2026-0501" in record and "92.00" in record and "合格" in record
    assert "第四十三条" in record  # the misapplied article, linked to practice
