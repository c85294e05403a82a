"""Error pages in the site's layout and the visitor's language; expected refusals are logged
without a traceback; the favicon answers; the anonymous header search says it needs a login."""

import io
import logging

import pytest

from django.test import RequestFactory
from django.utils import translation

from core import views
from core.log_filters import ExpectedRefusalsWithoutTraceback

pytestmark = pytest.mark.django_db


def english(client):
    client.cookies["django_language"] = "en"
    return client


def test_404_in_chinese_with_layout_and_ways_back(client, home_page):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "页面不存在" in html
    assert 'class="site-header"' in html  # the site's own layout
    assert 'href="/"' in html
    assert "/accounts/login/?next=/no-such-page/" in html  # sign in, then back here


def test_404_in_english(client, home_page):
    response = english(client).get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html and "Back to home" in html
    assert "页面不存在" not in html


def test_403_for_a_signed_in_officer_names_the_account_and_offers_search(client, officer):
    client.force_login(officer)
    response = client.get("/accounts/roster/import/")
    assert response.status_code == 403
    html = response.content.decode()
    assert "没有访问权限" in html and officer.display_name in html
    assert 'action="/search/"' in html
    english(client)
    html = client.get("/accounts/roster/import/").content.decode()
    assert "Access denied" in html and "没有访问权限" not in html


def test_500_page_uses_the_layout_in_the_visitors_language():
    request = RequestFactory().get("/")
    with translation.override("en"):
        response = views.server_error(request)
    assert response.status_code == 500
    html = response.content.decode()
    assert "Server error" in html and 'class="site-header"' in html
    with translation.override("zh-hans"):
        assert "服务器错误" in views.server_error(request).content.decode()


def test_disallowed_host_gets_the_400_page(client):
    response = client.get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert "请求有误" in response.content.decode()


def _console_handler():
    for handler in logging.getLogger().handlers:
        if any(isinstance(f, ExpectedRefusalsWithoutTraceback) for f in handler.filters):
            return handler
    raise AssertionError("the console handler has no ExpectedRefusalsWithoutTraceback filter")


def test_a_refusal_is_logged_as_one_line_without_traceback(client, officer):
    handler = _console_handler()
    stream = io.StringIO()
    old = handler.setStream(stream)
    try:
        client.force_login(officer)
        assert client.get("/accounts/roster/import/").status_code == 403
    finally:
        handler.setStream(old)
    logged = stream.getvalue()
    assert "Forbidden" in logged and "/accounts/roster/import/" in logged
    assert "Traceback" not in logged


def test_server_errors_keep_their_traceback():
    record_filter = ExpectedRefusalsWithoutTraceback()
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        import sys

        exc_info = sys.exc_info()
    record = logging.LogRecord("django.request", logging.ERROR, "", 0, "x", (), exc_info)
    record.status_code = 500
    assert record_filter.filter(record) and record.exc_info is exc_info
    refused = logging.LogRecord("django.request", logging.WARNING, "", 0, "x", (), exc_info)
    refused.status_code = 403
    assert record_filter.filter(refused) and refused.exc_info is None


def test_favicon_and_manifest_are_served(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO header
    assert client.get("/site.webmanifest").status_code == 200


def test_pages_link_the_icons(client, home_page):
    html = client.get("/").content.decode()
    assert 'rel="icon" href="/favicon.ico"' in html and 'rel="apple-touch-icon"' in html


def test_anonymous_header_search_says_it_needs_a_login(client, home_page):
    html = client.get("/").content.decode()
    assert 'placeholder="登录后可检索"' in html
    response = client.get("/search/?q=拘留")
    assert response.status_code == 302
    login = client.get(response["Location"]).content.decode()
    assert "登录后可检索" in login
