"""The demo cases load, cite the demo regulations, and loading twice changes nothing."""

import io

import pytest

from casebook import demo
from casebook.models import Annotation, CasePage

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_laws(home_page):
    from laws import demo as laws_demo

    laws_demo.load(stdout=io.StringIO())


def test_demo_is_idempotent_and_rich(case_index, demo_laws):
    demo.load(stdout=io.StringIO())
    counts = (CasePage.objects.count(), Annotation.objects.count(), CasePage.objects.live().count())
    revisions = sum(p.revisions.count() for p in CasePage.objects.all())
    demo.load(stdout=io.StringIO())
    assert (
        CasePage.objects.count(),
        Annotation.objects.count(),
        CasePage.objects.live().count(),
    ) == counts
    assert sum(p.revisions.count() for p in CasePage.objects.all()) == revisions

    assert counts[0] == counts[2] == 4
    assert set(CasePage.objects.values_list("rating", flat=True)) == {
        "excellent",
        "qualified",
        "problem",
    }
    fight = CasePage.objects.get(title="王某殴打他人案")
    assert fight.findings.count() == 6 and len(fight.commentary) >= 3
    assert [ca.article.label for ca in fight.case_articles.all()] == [
        "第十五条",
        "第七条",
        "第十五条",
    ]
    for a in Annotation.objects.all():
        assert a.page.specific.text_of(a.field)[a.start : a.end] == a.quote
    assert Annotation.objects.filter(kind="article", article__isnull=False).count() == 4


def test_demo_cases_are_pinned_to_the_version_in_force(case_index, demo_laws):
    demo.load(stdout=io.StringIO())
    theft = CasePage.objects.get(title="钱某盗窃案")  # May 2024: the 2019 text of 第六条 applied
    article = theft.case_articles.get(article__label="第六条").article
    assert article.version.version_date.year == 2019
    obstruct = CasePage.objects.get(
        title="孙某阻碍人民警察依法执行职务案"
    )  # October 2024: the 2024 text
    labels = {
        ca.article.label: ca.article.version.version_date.year
        for ca in obstruct.case_articles.all()
    }
    assert labels["第十二条之一"] == 2024


def test_demo_case_page_shows_that_a_cited_article_has_changed(
    client, officer, case_index, demo_laws
):
    demo.load(stdout=io.StringIO())
    client.force_login(officer)
    page = CasePage.objects.get(title="钱某盗窃案")
    html = client.get(page.url).content.decode()
    assert "问题案件" in html and "孤证不能定案" in html and "关键证据缺失" in html
    assert "该条此后已修改" in html and "现行条文" in html


def test_demo_texts_have_no_repeated_sentences():
    for case in demo.demo_cases():
        for text in (case.facts, case.handling, case.reasoning):
            sentences = [s for s in text.split("。") if s]
            assert len(sentences) == len(set(sentences)), case.title
