"""The side-by-side compare marks changed characters in both columns, and a chart of counts of
people has whole-number ticks, in a real browser.

    FAZHI_SCREENSHOT_DIR=docs/screenshots .venv/bin/python -m pytest tests/browser/test_compare_and_charts.py
keeps screenshots (docs/screenshots/ holds the committed set).
"""

import io
import os
from pathlib import Path

import pytest

from tests.conftest import login_in_browser


def _shoot(page, name, **options):
    folder = os.environ.get("FAZHI_SCREENSHOT_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / name), **options)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_side_by_side_compare_marks_changed_characters(browser_page, live_server, make_user):
    from laws import demo
    from laws.models import LawPage

    demo.load(stdout=io.StringIO())
    law = LawPage.objects.get(title=demo.PUBLIC_ORDER_TITLE)
    officer = make_user("officer")
    login_in_browser(browser_page, live_server.url, officer.police_number)
    page = browser_page
    page.set_viewport_size({"width": 1100, "height": 900})
    page.goto(f"{live_server.url}{law.url}compare/")
    article_six = page.locator("section.diff-changed").first
    old_column, new_column = article_six.locator(".cmp-text").all()
    assert old_column.locator("del.rl-del").count() >= 1
    assert new_column.locator("ins.rl-ins").count() >= 1
    assert old_column.locator("ins").count() == 0 and new_column.locator("del").count() == 0
    assert "十五" in old_column.locator("del.rl-del").first.inner_text()
    assert "三十" in new_column.locator("ins.rl-ins").first.inner_text()
    decoration = new_column.locator("ins.rl-ins").first.evaluate(
        "el => getComputedStyle(el).textDecorationLine"
    )
    assert "underline" in decoration
    _shoot(page, "compare-side-by-side.png", full_page=True)
    page.goto(f"{live_server.url}{law.url}compare/?mode=inline")
    first = page.locator("section.diff-changed .cmp-text").first
    html = first.inner_html()
    assert html.index("rl-del") < html.index("rl-ins")  # struck, then underlined
    _shoot(page, "compare-redline.png", full_page=True)


@pytest.mark.browser
def test_chart_of_people_has_whole_number_ticks(browser_page, settings):
    from django.template import Context, Template

    html = Template(
        '{% load charts %}{% histogram_chart data title="分数分布（人）" width=520 %}'
    ).render(Context({"data": [("60以下", 1), ("60-69", 3), ("70-79", 5), ("80-89", 2)]}))
    css = (Path(settings.BASE_DIR) / "static" / "css" / "site.css").read_text()
    page = browser_page
    page.set_content(f"<html><head><style>{css}</style></head><body>{html}</body></html>")
    ticks = page.locator('svg text[text-anchor="end"]').evaluate_all(
        "els => els.map(e => e.textContent)"
    )
    assert ticks == ["0", "2", "4", "6", "8"]
    sizes = page.locator("svg text").evaluate_all(
        "els => els.map(el => parseFloat(getComputedStyle(el).fontSize))"
    )
    assert min(sizes) >= 12
    assert page.locator("figure.chart table caption").text_content() == "分数分布（人）"
    _shoot(page, "chart-integer-ticks.png", full_page=True)
