"""Query-count guard (issue 14): the legal staff's queue does not grow with its questions."""

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_queue_has_no_query_per_question(client, answerer, submit, other_officer):
    client.force_login(answerer)
    url = reverse("legal_online:queue")
    submit()
    submit(asker=other_officer)
    _count(client, url)  # first request: per-process caches
    two = _count(client, url)
    for _ in range(3):
        submit()
        submit(asker=other_officer)
    assert _count(client, url) == two
