"""A real browser takes one question from submission to a published answer."""

import re

import pytest

from tests.conftest import login_in_browser, wait_for_js

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site_tree(db):
    """Roles and a home page even after an earlier transactional test flushed the database
    (a flush re-runs post_migrate, which recreates the groups, but not Wagtail's page tree)."""
    from wagtail.models import Locale, Page, Site

    from accounts.roles import sync_roles
    from home.models import HomePage

    Locale.objects.get_or_create(language_code="zh-hans")
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
        home = root.add_child(instance=HomePage(title="首页", slug="home"))
        Site.objects.update_or_create(
            is_default_site=True, defaults={"hostname": "localhost", "root_page": home}
        )
    sync_roles()
    return home


def switch_user(page, live_server, user):
    page.context.clear_cookies()
    login_in_browser(page, live_server.url, user.username)


def test_question_from_submission_to_published_answer(
    browser_page, live_server, site_tree, search_index, make_user, units
):
    from datetime import date

    from .conftest import LAW_V1, import_law

    import_law(LAW_V1, date(2024, 3, 1))
    from legal_online.models import Category, Consultation

    page = browser_page
    officer = make_user("officer", unit=units["patrol"], full_name="巡逻民警甲")
    answerer = make_user("legal_staff", unit=units["legal"], full_name="答复员甲")
    reviewer = make_user("legal_staff", unit=units["legal"], full_name="审核员乙")
    category, _created = Category.objects.get_or_create(slug="zhian", defaults={"name": "治安"})
    category.default_answerer = answerer
    category.save()

    # 1. the officer asks; the page searches as the title is typed
    login_in_browser(page, live_server.url, officer.username)
    page.goto(f"{live_server.url}/legal-online/ask/")
    page.locator("#id_title").press_sequentially("醉酒的人能否约束", delay=20)
    wait_for_js(
        page,
        "!!document.querySelector('#search-before-asking [data-role=results] p')"
        " || !document.querySelector('#search-before-asking [data-role=unavailable]').classList.contains('d-none')",
    )
    page.select_option("#id_category", str(category.pk))
    page.fill(
        "#id_description",
        "夜间巡逻发现一名醉酒男子躺在机动车道上，劝离无效，能否约束？<script>alert(1)</script>",
    )
    page.fill("#id_related_articles", "《示例市道路巡查管理规定》第三条")
    page.click("#ask-form [type=submit]")
    page.wait_for_url(re.compile(r"/legal-online/q/\d+/$"))
    assert page.get_by_text("已分派").first.is_visible()  # assigned by category automatically
    assert (
        "<script>alert(1)</script>" in page.locator(".lo-text").first.inner_text()
    )  # shown as text
    consultation = Consultation.objects.get()

    # 2. the assigned answerer writes the answer, citing the article
    switch_user(page, live_server, answerer)
    page.goto(f"{live_server.url}{consultation.get_absolute_url()}")
    page.get_by_role("link", name="撰写答复").click()
    page.fill("#id_body", "依照《示例市道路巡查管理规定》第三条，对醉酒的人应当约束至酒醒。")
    assert "第三条" in page.input_value("#id_cited_articles")  # carried over from the question
    page.get_by_role("button", name="提交审核").click()
    page.wait_for_url(f"**{consultation.get_absolute_url()}")
    assert page.get_by_text("待审核").first.is_visible()
    assert page.get_by_role("button", name="审核签发").count() == 0  # not for the author

    # 3. a second person signs off and publishes an edited version
    switch_user(page, live_server, reviewer)
    page.goto(f"{live_server.url}{consultation.get_absolute_url()}")
    page.get_by_role("button", name="审核签发").click()
    page.wait_for_url(f"**{consultation.get_absolute_url()}")
    page.get_by_role("link", name="编辑并公开到执法问答").click()
    page.fill("#id_public_title", "醉酒人员躺卧道路能否约束")
    page.fill("#id_public_question", "醉酒人员躺卧在机动车道上，劝离无效，能否约束？")
    page.check("#id_details_removed")
    page.get_by_role("button", name="公开到执法问答").click()
    page.wait_for_url(re.compile(r"/legal-online/faq/\d+/$"))
    assert page.get_by_role("heading", name="醉酒人员躺卧道路能否约束").is_visible()

    # 4. the officer is notified and finds the answer in the FAQ
    switch_user(page, live_server, officer)
    page.goto(f"{live_server.url}/legal-online/")
    badge = page.locator("[data-unread-badge]")
    assert badge.inner_text() == "2"  # answered, published
    page.goto(f"{live_server.url}/legal-online/faq/")
    page.get_by_role("link", name=re.compile("醉酒人员躺卧道路能否约束")).click()
    assert "约束至酒醒" in page.content()
    consultation.refresh_from_db()
    assert consultation.status == "published"
