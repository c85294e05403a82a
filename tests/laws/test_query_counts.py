"""Query-count guard (issue 14): the law library's index does not grow with its laws."""

import io

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext

from laws import demo
from laws.models import LawIndexPage, LawPage

pytestmark = pytest.mark.django_db


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_library_index_has_no_query_per_law(client):
    demo.load(stdout=io.StringIO())
    index = LawIndexPage.objects.get()
    _count(client, index.url)  # first request: per-process caches
    two = _count(client, index.url)
    assert LawPage.objects.live().count() == 2
    # More laws: copies of a demo law (a page copy keeps its articles and versions).
    law = LawPage.objects.get(title=demo.PUBLIC_ORDER_TITLE)
    for n in range(3):
        law.copy(
            update_attrs={"title": f"{law.title}（副本{n}）", "slug": f"{law.slug}-copy-{n}"},
            keep_live=True,
        )
    assert LawPage.objects.live().count() == 5
    _count(client, index.url)  # first request after a change: the library's facets are recounted
    assert _count(client, index.url) == two
