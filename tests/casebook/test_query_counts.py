"""Query-count guard (issue 14): the case index does not grow with the number of cases."""

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_case_index_has_no_query_per_case(client, officer, make_case):
    client.force_login(officer)
    first = make_case("王某殴打他人案")
    make_case("李某醉驾案", kind="traffic")
    url = first.get_parent().url
    _count(client, url)  # first request: per-process caches (site root, locale)
    two = _count(client, url)
    for n in range(4):
        make_case(f"赵某醉酒驾驶案{n}", kind="traffic")
    assert _count(client, url) == two
