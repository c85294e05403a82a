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
