"""The search module's public API for other apps.

    from search.api import index_documents, remove_documents
    index_documents([doc, ...])   # after the surrounding transaction commits
    remove_documents(["article:12", ...])

Both are safe to call inside a transaction (nothing reaches the index if it rolls back) and from
several processes at once (nothing is lost, nobody fails on the index lock).
"""

from __future__ import annotations

from collections.abc import Iterable

from . import backends
from .documents import SearchDocument


def index_documents(docs: Iterable[SearchDocument]) -> None:
    docs = list(docs)
    if docs:
        backends.enqueue(docs, [])


def remove_documents(keys: Iterable[str]) -> None:
    keys = [k for k in keys if k]
    if keys:
        backends.enqueue([], keys)


def similar_documents(
    text: str,
    *,
    staff: bool,
    kinds: tuple[str, ...] = ("answer",),
    limit: int = 3,
    exclude_keys: Iterable[str] = (),
    min_similarity: float = 0.0,
):
    """ "More like this": the documents of ``kinds`` most similar to ``text`` (a question's title
    and description), best first, as ``Hit``s whose ``similarity`` is 0..1 (the share of the
    question's weighted concepts they hold). Used by Legal Online for search-before-ask and
    for duplicates, so both use the same similarity. ``staff`` allows staff-only documents."""
    from .engines.base import Filters
    from .engines.best import best_search
    from .querying import more_like_this
    from .selectors import refresh_lexicon

    refresh_lexicon()
    parsed = more_like_this(text)
    if parsed is None:
        return []
    exclude = set(exclude_keys)
    flt = Filters(kinds=tuple(kinds), status="all", staff=staff)
    res = best_search(backends.get_engine(), parsed, flt, limit=limit + len(exclude))
    hits = [h for h in res.hits if h.key not in exclude and h.similarity >= min_similarity]
    return hits[:limit]
