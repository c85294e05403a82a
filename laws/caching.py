"""Caches of the library pages that stay correct with several app servers.

Every change to the library (an import, a law page saved, published, unpublished, moved or
deleted, an article or heading written) replaces the *library generation*, a random token kept
in Django's cache (Redis in production, shared by every server). What is derived from the whole
library is keyed by that token:

- ``law_titles(token)``: every live law's names (full title, without 中华人民共和国, short title)
  → (law id, slug), which the cross-reference linker needs on every page. Built once per process
  and generation, so a page's cost does not grow with the number of laws;
- rendered law texts (``cached_fragment``), in the shared cache: a 500-article law is rendered
  once per generation, not on every view.

A token, not a counter: a cache that was flushed or evicted hands out a new token, never an old
number whose derived entries may still be around. The token is replaced both at once (so the
writing process sees its own change) and again after the transaction commits (so a process that
rebuilt in between, without the uncommitted rows, rebuilds once more).
"""

from __future__ import annotations

import threading
import uuid
from urllib.parse import quote

from django.core.cache import cache
from django.db import transaction

GENERATION_KEY = "laws:library-generation"
# Part of every fragment's key: change it when what a fragment holds changes shape, so that a
# new release never reads an older release's entries.
FRAGMENT_FORMAT = 2
FRAGMENT_TIMEOUT = 60 * 60 * 24 * 7

_lock = threading.Lock()
_titles: tuple[str, dict[str, tuple[int, str]]] | None = None


def generation() -> str:
    """The current library generation (one cache read)."""
    token = cache.get(GENERATION_KEY)
    if token is None:
        token = uuid.uuid4().hex
        if not cache.add(GENERATION_KEY, token, None):
            token = cache.get(GENERATION_KEY) or token
    return token


def _new_generation() -> None:
    cache.set(GENERATION_KEY, uuid.uuid4().hex, None)


def library_changed() -> None:
    """Call after any write that changes what the library pages show."""
    _new_generation()
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        if any(func is _new_generation for _sids, func, *_rest in connection.run_on_commit):
            return  # once per transaction is enough after the commit
        transaction.on_commit(_new_generation)


def law_titles(token: str) -> dict[str, tuple[int, str]]:
    """Live laws by every name they are cited under → (law id, slug as in URLs); the first law (by id)
    keeps a name that two laws share. One query per process and generation."""
    global _titles
    current = _titles
    if current is not None and current[0] == token:
        return current[1]
    from laws.models import LawPage
    from laws.refparse import title_variants

    names: dict[str, tuple[int, str]] = {}
    rows = LawPage.objects.live().order_by("pk").values_list("pk", "title", "short_title", "slug")
    for pk, title, short, raw_slug in rows:
        slug = quote(raw_slug, safe="")  # as it appears in the law's URL
        for name in title_variants(title):
            names.setdefault(name, (pk, slug))
        if short:
            names.setdefault(short, (pk, slug))
    with _lock:
        _titles = (token, names)
    return names


def cached_fragment(key: str, token: str, build):
    """``build()`` once per generation, kept in the shared cache under ``key``."""
    full_key = f"laws:fragment:{FRAGMENT_FORMAT}:{token}:{key}"
    value = cache.get(full_key)
    if value is None:
        value = build()
        cache.set(full_key, value, FRAGMENT_TIMEOUT)
    return value
