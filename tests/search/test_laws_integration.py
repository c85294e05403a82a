"""Importing laws with the laws app makes their articles findable at once (real importer)."""

import pytest

from django.core.management import call_command

from search import backends
from search.engines.base import Filters
from search.querying import parse_query

pytestmark = pytest.mark.shared_data


def test_imported_law_is_searchable_article_by_article(
    search_backend, shared_data, home_page, django_capture_on_commit_callbacks
):
    path = shared_data / "laws" / "行政法规" / "拘留所条例(2012-02-23).md"
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_laws", str(path), verbosity=0)
    res = backends.get_engine().search(
        parse_query("拘留所 被拘留人"), Filters(kinds=("article",)), limit=50
    )
    assert res.total > 0
    hit = res.hits[0]
    assert hit.meta.get("law_title") == "拘留所条例"
    assert hit.meta.get("article_label", "").startswith("第") and hit.url
    within = backends.get_engine().search(parse_query("拘留"), Filters(law="拘留所条例"), limit=100)
    assert within.hits and all(
        h.meta.get("law_title", h.title) == "拘留所条例" for h in within.hits
    )
