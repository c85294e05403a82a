"""Rebuilding the whole index from every registered provider."""

from __future__ import annotations

from collections.abc import Callable

from . import backends, registry
from .documents import SearchDocument


def all_documents() -> list[SearchDocument]:
    docs: dict[str, SearchDocument] = {}
    for _kind, provider in sorted(registry.providers().items()):
        for doc in provider():
            docs[doc.key] = doc
    return list(docs.values())


def search_index_rebuild(
    *,
    procs: int = 2,
    progress: Callable[[int, int], None] | None = None,
    documents: list[SearchDocument] | None = None,
) -> int:
    """Rebuild into a fresh index and swap it in. Returns the number of documents indexed.

    Whoosh: holds the writer lock throughout, so concurrent updates wait in the outbox and are
    applied to the new index right after the swap (they are newer than what was read)."""
    docs = all_documents() if documents is None else documents
    total = len(docs)
    report = (lambda n: progress(n, total)) if progress else None
    engine = backends.get_engine()
    if backends.backend_name() == "postgres":
        return engine.rebuild(docs, procs=procs, progress=report)
    with engine.writer_lock() as _got:
        n = engine.rebuild(docs, procs=procs, progress=report)
        backends._drain_locked(engine)
    return n
