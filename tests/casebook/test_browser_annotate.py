"""In a real browser: legal staff select a passage and annotate it; officers see it beside the text."""

import datetime

import pytest

from casebook.models import Annotation, CasePage
from tests.conftest import ensure_page_tree, login_in_browser, wait_for_js

FACTS = "2024年3月2日晚，王某因停车纠纷与李某争执，王某用拳头击打李某面部。\n经鉴定为轻微伤。"

SELECT_JS = """([word, field]) => {
  const block = document.querySelector(`.case-text[data-field="${field}"]`);
  const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walker.nextNode())) {
    const i = node.data.indexOf(word);
    if (i >= 0) {
      const range = document.createRange();
      range.setStart(node, i);
      range.setEnd(node, i + word.length);
      const sel = window.getSelection();
      sel.removeAllRanges();
      sel.addRange(range);
      return true;
    }
  }
  return false;
}"""


def _case():
    from casebook.services import case_index

    ensure_page_tree()
    index = case_index()
    page = CasePage(
        title="浏览器批注测试案",
        facts=FACTS,
        kind="public_order",
        decided_on=datetime.date(2024, 3, 10),
    )
    index.add_child(instance=page)
    page.save_revision().publish()
    return CasePage.objects.get(pk=page.pk)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_staff_annotates_a_selection_and_officers_see_it(browser_page, live_server, make_user):
    case = _case()
    staff = make_user("legal_staff")
    officer = make_user("officer")

    login_in_browser(browser_page, live_server.url, staff.police_number)
    browser_page.goto(f"{live_server.url}/cases/-/{case.pk}/annotate/")
    word = "用拳头击打李某面部"
    assert browser_page.evaluate(SELECT_JS, [word, "facts"])
    wait_for_js(
        browser_page, "document.querySelector('#annotate-form [type=submit]').disabled === false"
    )
    browser_page.select_option("#annotate-form [name=kind]", "note")
    browser_page.fill("#annotate-form [name=note]", "行为方式：徒手击打")
    browser_page.click("#annotate-form [type=submit]")
    browser_page.wait_for_selector("mark.ann")

    annotation = Annotation.objects.get()
    assert (annotation.start, annotation.end) == (FACTS.index(word), FACTS.index(word) + len(word))
    assert annotation.quote == word

    # A selection after the line break still counts characters exactly as the server does.
    assert browser_page.evaluate(SELECT_JS, ["轻微伤", "facts"])
    wait_for_js(
        browser_page, "document.querySelector('#annotate-form [name=quote]').value === '轻微伤'"
    )
    browser_page.select_option("#annotate-form [name=kind]", "highlight")
    browser_page.click("#annotate-form [type=submit]")
    wait_for_js(browser_page, "document.querySelectorAll('mark.ann').length === 2")
    second = Annotation.objects.exclude(pk=annotation.pk).get()
    assert FACTS[second.start : second.end] == "轻微伤"

    browser_page.context.clear_cookies()
    login_in_browser(browser_page, live_server.url, officer.police_number)
    browser_page.goto(live_server.url + case.url)
    assert browser_page.locator("mark.ann").first.inner_text() == word
    assert browser_page.get_by_text("行为方式：徒手击打").is_visible()
    assert browser_page.locator("#annotate-form").count() == 0
