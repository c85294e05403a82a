"""The library's caches (laws.caching) never show a stale page: the rendered text of a law, the
cross-reference linker's title map and the index's facet counts follow every change, in this
process and in another app server's (which learns of a change only through the shared cache)."""

from datetime import date

import pytest

from laws import caching
from laws.models import LawIndexPage, LawPage
from laws.parsing import ParsedArticle, ParsedLaw
from laws.services import LawSource, law_import

pytestmark = pytest.mark.django_db

CITING = "中华人民共和国引用法"
CITED = "中华人民共和国被引法"


def _law(title: str, texts: list[str], *, level="法律"):
    parsed = ParsedLaw(
        title=title,
        articles=[
            ParsedArticle(number=n, suffix=0, paragraphs=[text], heading_path=(), line=n)
            for n, text in enumerate(texts, 1)
        ],
    )
    return law_import(
        source=LawSource(
            parsed=parsed, source_file=f"{title}.md", level=level, version_date=date(2020, 1, 1)
        )
    ).law


def _cited_link(law: LawPage) -> str:
    return f'href="{law.url}a/2/"'


def test_a_law_added_later_is_linked_from_a_text_rendered_before(client, officer, home_page):
    client.force_login(officer)
    citing = _law(CITING, ["依照《中华人民共和国被引法》第二条处理。", "本法自公布之日起施行。"])
    first = client.get(citing.url).content.decode()
    assert "依照《中华人民共和国被引法》第二条处理。" in first  # no law of that title yet: no link
    cited = _law(CITED, ["第一条。", "第二条的内容。"])
    again = client.get(citing.url).content.decode()
    assert _cited_link(cited) in again
    # the article page links it too
    assert _cited_link(cited) in client.get(f"{citing.url}a/1/").content.decode()


def test_an_unpublished_law_is_no_longer_linked(client, officer, home_page):
    client.force_login(officer)
    citing = _law(CITING, ["依照《被引法》第二条处理。"])
    cited = _law(CITED, ["第一条。", "第二条的内容。"])
    assert _cited_link(cited) in client.get(citing.url).content.decode()
    cited.unpublish()
    page = client.get(citing.url).content.decode()
    assert _cited_link(cited) not in page
    assert "依照《被引法》第二条处理。" in page


def test_another_server_sees_a_change_through_the_shared_generation(home_page):
    """The title map is per process, keyed by the generation in the shared cache: a write made
    elsewhere (here: a rename without this process's signals, then the new generation that the
    writing server stores) is seen at the next read."""
    cited = _law(CITED, ["第一条。", "第二条的内容。"])
    token = caching.generation()
    assert caching.law_titles(token)["被引法"][0] == cited.pk
    LawPage.objects.filter(pk=cited.pk).update(title="中华人民共和国改名法", short_title="改名法")
    assert "改名法" not in caching.law_titles(caching.generation())  # no news yet: still cached
    caching._new_generation()  # what the writing server does after its commit
    titles = caching.law_titles(caching.generation())
    assert titles["改名法"][0] == cited.pk
    assert "被引法" not in titles


def test_a_flushed_cache_starts_a_new_generation_not_an_old_one(home_page):
    from django.core.cache import cache

    before = caching.generation()
    cache.clear()
    assert caching.generation() != before


def test_index_facets_follow_an_import(client, officer, home_page):
    client.force_login(officer)
    _law(CITING, ["第一条。"])
    index = LawIndexPage.objects.get()
    assert client.get(index.url).context["facets"]["level"] == [("法律", 1)]
    _law("示例规章", ["第一条。"], level="部门规章")
    assert client.get(index.url).context["facets"]["level"] == [("法律", 1), ("部门规章", 1)]
