"""The library pages run a fixed number of queries, however large the library (issue 17 §5,
issue 14 "claims guarded by tests"): the index with facets, a law of 500+ articles, an article.

Each page is requested on a small library, then again after 30 more laws (and another
500-article law) are added; the number of queries must not change, and stays under a stated
ceiling. Of these, the site's own (session, user, Wagtail's routing, menus, permissions) are
about 16 on every page; the library's are the rest."""

from datetime import date

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext

from laws.models import LawIndexPage, LawPage
from laws.parsing import Heading, ParsedArticle, ParsedLaw
from laws.services import LawSource, law_import

pytestmark = pytest.mark.django_db

CEILING = {"index": 21, "law": 21, "article": 27}


def _law(title: str, articles: int, *, level="法律") -> None:
    headings = [
        Heading(text=f"第{n + 1}章 示例", kind="章", rank=3, number=n + 1, line=0, position=n * 50)
        for n in range(articles // 50)
    ]
    parsed = ParsedLaw(
        title=title,
        headings=headings,
        articles=[
            ParsedArticle(
                number=n,
                suffix=0,
                paragraphs=[
                    f"第{n}条的内容，依照本法第一条和《中华人民共和国示例法》第二条。",
                    "（一）一项；",
                ],
                heading_path=(),
                line=n,
            )
            for n in range(1, articles + 1)
        ],
    )
    law_import(
        source=LawSource(
            parsed=parsed, source_file=f"{title}.md", level=level, version_date=date(2020, 1, 1)
        )
    )


def _counts(client, big_title):
    index = LawIndexPage.objects.get()
    big = LawPage.objects.get(title=big_title)
    urls = {
        "index": f"{index.url}?level=法律",
        "law": big.url,
        "article": f"{big.url}a/300/",
    }
    counts = {}
    for name, url in urls.items():
        assert client.get(url).status_code == 200  # warm: per-day and per-process caches
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts[name] = len(queries)
    return counts


def test_library_pages_have_a_fixed_number_of_queries(client, officer, home_page):
    """3 laws, then 33: the same count for each page. (The law page's text, the title map of
    the cross-reference linker and the index's facet counts are cached per library generation:
    each page is requested once after the change, as the first reader would, before counting.)"""
    client.force_login(officer)
    _law("中华人民共和国示例法", 520)
    _law("示例条例", 10, level="行政法规")
    _law("示例办法", 10, level="部门规章")
    small = _counts(client, "中华人民共和国示例法")
    for n in range(29):
        _law(f"示例规定{n}", 30, level="部门规章" if n % 2 else "法律")
    _law("中华人民共和国另一示例法", 600)
    assert LawPage.objects.live().count() == 33
    large = _counts(client, "中华人民共和国示例法")
    assert large == small
    assert all(large[name] <= CEILING[name] for name in large), large
