"""The 403 and 404 pages in a real browser, in both languages.

Set FAZHI_SCREENSHOT_DIR to keep screenshots of them (docs/screenshots/ holds the committed set):
    FAZHI_SCREENSHOT_DIR=docs/screenshots .venv/bin/python -m pytest tests/browser/test_error_pages.py
"""

import os
from pathlib import Path

import pytest

from tests.conftest import ensure_page_tree, login_in_browser


def _shoot(page, name):
    folder = os.environ.get("FAZHI_SCREENSHOT_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / name), full_page=True)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_403_and_404_pages_in_both_languages(browser_page, live_server, make_user):
    # Earlier transactional tests flush the page tree the migrations made.
    ensure_page_tree()
    officer = make_user("officer", full_name="王建军")
    login_in_browser(browser_page, live_server.url, officer.police_number)
    page = browser_page
    page.set_viewport_size({"width": 1100, "height": 640})
    expected = {
        "zh-hans": ("没有访问权限", "页面不存在", "返回首页"),
        "en": ("Access denied", "Page not found", "Back to home"),
    }
    for language, (forbidden, missing, home) in expected.items():
        page.context.add_cookies(
            [{"name": "django_language", "value": language, "url": live_server.url}]
        )
        response = page.goto(f"{live_server.url}/accounts/roster/import/")
        assert response.status == 403
        assert page.locator("h1").inner_text() == forbidden
        assert page.get_by_role("link", name=home).is_visible()
        assert page.locator("html").get_attribute("lang") == language
        _shoot(page, f"403-{language}.png")
        response = page.goto(f"{live_server.url}/no-such-page/")
        assert response.status == 404
        assert page.locator("h1").inner_text() == missing
        assert page.get_by_role("search").first.is_visible()
        _shoot(page, f"404-{language}.png")
