import pytest

from tests.conftest import ensure_page_tree, login_in_browser


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_officer_logs_in_and_sees_the_home_page(browser_page, live_server, make_user):
    ensure_page_tree()
    officer = make_user("officer", full_name="浏览器测试民警")
    login_in_browser(browser_page, live_server.url, officer.police_number)
    assert browser_page.locator("html").get_attribute("lang") == "zh-hans"
    assert browser_page.get_by_text("浏览器测试民警").first.is_visible()
    assert "通知公告" in browser_page.content()
