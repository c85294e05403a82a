"""The Wagtail admin in Chinese: Wagtail's own zh_Hans catalogue lacks about 400 admin strings,
which locale/zh_Hans supplies (the dashboard showed "Search all pages…" and "15 Pages")."""

import pytest

pytestmark = pytest.mark.django_db


def test_dashboard_is_chinese_for_staff(client, legal_staff, home_page):
    client.force_login(legal_staff)
    html = client.get("/admin/").content.decode()
    assert "搜索所有页面" in html and "编辑指南" in html
    for english in ("Search all pages", "editor guide", " Pages<"):
        assert english not in html


def test_page_explorer_is_chinese(client, legal_staff, home_page):
    client.force_login(legal_staff)
    response = client.get(f"/admin/pages/{home_page.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" in html and 'lang="zh-hans"' in html
    assert "已更新" in html and "排序" in html  # column header and sort control


def test_english_admin_stays_english(client, legal_staff, home_page):
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(legal_staff)
    profile.preferred_language = "en"
    profile.save()
    client.force_login(legal_staff)
    html = client.get("/admin/").content.decode()
    assert "Search all pages" in html and "搜索所有页面" not in html
