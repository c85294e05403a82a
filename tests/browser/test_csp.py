"""Pages with JavaScript still work under the enforced Content-Security-Policy, and the browser
reports no violation on them: the officer's pages (search suggestions, practice popovers, the
exam's words from data-* attributes), and Wagtail's admin (dashboard, page editor, a listing)."""

import pytest

from tests.conftest import ensure_page_tree, login_in_browser, wait_for_js

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _watch_csp(page) -> list[str]:
    """Collect every CSP violation the page reports, from the console and from the DOM event."""
    violations: list[str] = []

    def on_console(msg):
        if "Content Security Policy" in msg.text or "Content-Security-Policy" in msg.text:
            violations.append(msg.text)

    page.on("console", on_console)
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', function (e) {"
        " console.error('Content Security Policy violation: ' + e.violatedDirective +"
        " ' blocked ' + e.blockedURI + ' at ' + e.sourceFile + ':' + e.lineNumber +"
        " ' sample ' + e.sample); });"
    )
    return violations


def test_officer_pages_run_their_scripts_under_the_policy(browser_page, live_server, officer):
    page = browser_page
    violations = _watch_csp(page)
    login_in_browser(page, live_server.url, officer.police_number)
    response = page.goto(f"{live_server.url}/search/?q=治安")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert "unsafe-inline" not in response.headers["content-security-policy"].split("style-src")[0]
    # site.js attached the law-title suggestions to the query box (it sets list=).
    wait_for_js(
        page,
        "document.querySelector('#search-form input[name=q]').getAttribute('list') === 'law-titles'",
    )
    # An inline script injected into the page is refused by the browser.
    page.evaluate(
        "var s = document.createElement('script'); s.textContent = 'window.__pwned = 1';"
        " document.body.appendChild(s);"
    )
    assert page.evaluate("window.__pwned === undefined")
    assert any("script-src" in v for v in violations)
    violations.clear()
    for path in ("/", "/practice/", "/exams/", "/legal-online/ask/"):
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
    assert violations == []


def test_wagtail_admin_works_under_the_policy(browser_page, live_server, site_admin):
    ensure_page_tree()
    from home.models import HomePage

    home_page = HomePage.objects.get()
    page = browser_page
    violations = _watch_csp(page)
    login_in_browser(page, live_server.url, site_admin.police_number)
    page.goto(f"{live_server.url}/admin/")
    page.wait_for_load_state("networkidle")
    # The sidebar is drawn by Wagtail's JavaScript: it is only there when scripts ran.
    page.wait_for_selector("[data-side-panel], .sidebar, #wagtail-sidebar", state="attached")
    page.goto(f"{live_server.url}/admin/pages/{home_page.pk}/edit/")
    page.wait_for_load_state("networkidle")
    page.wait_for_selector("form[data-edit-form], #page-edit-form", state="attached")
    page.goto(f"{live_server.url}/admin/pages/")
    page.wait_for_load_state("networkidle")
    page.goto(f"{live_server.url}/admin/users/")
    page.wait_for_load_state("networkidle")
    assert violations == [], "\n".join(violations)
