"""index_documents / remove_documents: after commit, at once; never on rollback."""

import pytest

from django.db import transaction

from search import backends
from search.api import index_documents, remove_documents
from search.documents import SearchDocument
from search.engines.base import Filters
from search.models import PendingIndexOp
from search.querying import parse_query


def _doc(n, body="电动自行车违规载人的处罚"):
    return SearchDocument(
        key=f"notice:{n}", kind="notice", title=f"通知{n}", body=body, url=f"/n/{n}/"
    )


def _found(q):
    return {
        h.key
        for h in backends.get_engine().search(parse_query(q), Filters(staff=True), limit=100).hits
    }


def test_indexed_document_is_found_at_once_and_removed(
    search_backend, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        index_documents([_doc(1)])
    assert _found("载人") == {"notice:1"}
    with django_capture_on_commit_callbacks(execute=True):
        index_documents([_doc(1, body="校车安全管理")])
    assert _found("载人") == set() and _found("校车") == {"notice:1"}
    with django_capture_on_commit_callbacks(execute=True):
        remove_documents(["notice:1"])
    assert _found("校车") == set()
    assert not PendingIndexOp.objects.exists()


def test_nothing_is_indexed_when_the_transaction_rolls_back(
    search_backend, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError):
            with transaction.atomic():
                index_documents([_doc(2)])
                raise RuntimeError("the save failed")
    assert _found("载人") == set()


def test_updates_wait_in_the_outbox_while_a_rebuild_holds_the_lock(
    settings, db, django_capture_on_commit_callbacks
):
    settings.FAZHI_SEARCH_BACKEND = "whoosh"
    engine = backends.get_engine()
    with engine.writer_lock():
        assert backends.drain(wait=0.1) == 0
        with django_capture_on_commit_callbacks(execute=False):
            index_documents([_doc(3)])
        assert PendingIndexOp.objects.count() == 1
    # The lock holder (here: nobody) is gone; the next drain applies it.
    assert backends.drain() == 1
    assert _found("载人") == {"notice:3"}


def test_rebuild_replaces_everything_from_providers(
    search_backend, settings, django_capture_on_commit_callbacks
):
    from search import registry, services

    with django_capture_on_commit_callbacks(execute=True):
        index_documents([_doc(4)])
    saved = registry.providers()
    registry._providers.clear()
    registry.register_provider("notice", all_documents=lambda: [_doc(5, "出租屋消防检查")])
    try:
        assert services.search_index_rebuild(procs=1) == 1
    finally:
        registry._providers.clear()
        registry._providers.update(saved)
    assert _found("载人") == set() and _found("消防") == {"notice:5"}


def test_rebuild_command_shows_progress(settings, db, capsys):
    from django.core.management import call_command

    settings.FAZHI_SEARCH_BACKEND = "whoosh"
    call_command("rebuild_search_index", "--procs", "1")
    out = capsys.readouterr().out
    assert "indexed" in out and "documents" in out
