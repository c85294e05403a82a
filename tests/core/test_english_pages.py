"""Every page type, rendered in English on the demo content, has no Chinese left outside user
content (marked ``data-user-content`` in the templates; see tests/core/english_pages.py).

The exam screen's own pages (taking, preview, print, result) are checked by their own tests."""

import io

from django.core.management import call_command
from django.test import Client, TestCase

from accounts.models import User

from .english_pages import leftover_han, page_urls

WHO = {"officer": "100001", "legal_staff": "900001", "unit_leader": "900003"}


class EnglishPagesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_demo_data", "--skip-index", stdout=io.StringIO())

    def client_for(self, who):
        client = Client()
        client.cookies["django_language"] = "en"
        if who != "anonymous":
            client.force_login(User.objects.get(username=WHO.get(who, who)))
        return client

    def test_no_chinese_outside_user_content(self):
        problems = {}
        urls = page_urls()
        assert len(urls) >= 30
        for who, url in urls:
            response = self.client_for(who).get(url)
            assert response.status_code in (200, 404), (who, url, response.status_code)
            html = response.content.decode()
            assert '<html lang="en">' in html, url
            left = leftover_han(html)
            if left:
                problems[f"{who} {url}"] = sorted(set(left))[:10]
        assert not problems, problems

    def test_the_checker_sees_unmarked_chinese(self):
        assert leftover_han("<body><p>Sort order：</p><p data-user-content>法规</p></body>") == [
            "Sort order："
        ]
        assert leftover_han('<body><button lang="zh-hans">简体中文</button></body>') == []

    def test_section_pages_have_english_titles(self):
        html = self.client_for("officer").get("/laws/").content.decode()
        assert "Laws and regulations" in html

    def test_admin_strings_have_chinese(self):
        staff = self.client_for("legal_staff")
        staff.cookies["django_language"] = "zh-hans"
        catalogue = staff.get("/admin/jsi18n/").content.decode()
        assert (
            "\\u6b64\\u83dc\\u5355" in catalogue or "此菜单" in catalogue
        )  # (… new items in this menu)
        assert (
            "\\u4fdd\\u5b58\\u6240\\u9009" in catalogue or "保存所选" in catalogue
        )  # Save Selected
        assert "js/admin-i18n.js" in staff.get("/admin/").content.decode()
