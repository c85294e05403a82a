"""Which engine serves this deployment, and how writes reach it.

``FAZHI_SEARCH_BACKEND = "whoosh"`` (default): writes go to the durable outbox
(``PendingIndexOp``) in the caller's transaction; after commit the process that gets the
machine-wide writer lock drains the whole outbox into Whoosh (one writer at a time, so no
``LockError``), releases the lock and checks again so that nothing written meanwhile is stranded.

``FAZHI_SEARCH_BACKEND = "postgres"``: writes go straight into the documents table in the caller's
transaction (no outbox needed; PostgreSQL handles concurrent writers).
"""

from __future__ import annotations

import dataclasses
import logging
import threading

from django.conf import settings
from django.db import transaction

from .documents import SearchDocument
from .engines.postgres_engine import PostgresEngine
from .engines.whoosh_engine import WhooshEngine

logger = logging.getLogger(__name__)

DRAIN_BATCH = 500
LOCK_WAIT_SECONDS = 2.0

_engines: dict[str, object] = {}
_engines_lock = threading.Lock()


def backend_name() -> str:
    return getattr(settings, "FAZHI_SEARCH_BACKEND", "whoosh") or "whoosh"


def get_engine(name: str | None = None):
    """One engine object per process (and per Whoosh directory, which tests change)."""
    name = name or backend_name()
    ident = "postgres" if name == "postgres" else f"whoosh:{settings.WHOOSH_INDEX_DIR}"
    with _engines_lock:
        engine = _engines.get(ident)
        if engine is None:
            engine = (
                PostgresEngine() if name == "postgres" else WhooshEngine(settings.WHOOSH_INDEX_DIR)
            )
            _engines[ident] = engine
        return engine


def doc_to_json(doc: SearchDocument) -> dict:
    return dataclasses.asdict(doc)


def doc_from_json(data: dict) -> SearchDocument:
    return SearchDocument(**data)


# --- writes ----------------------------------------------------------------------------------


def enqueue(upserts: list[SearchDocument], deletes: list[str]) -> None:
    if backend_name() == "postgres":
        get_engine("postgres").apply(upserts, deletes)
        return
    from .models import PendingIndexOp

    ops = [PendingIndexOp(key=k, document=None) for k in deletes]
    ops += [PendingIndexOp(key=d.key, document=doc_to_json(d)) for d in upserts]
    PendingIndexOp.objects.bulk_create(ops)
    transaction.on_commit(_drain_after_commit)


def _drain_after_commit() -> None:
    try:
        drain()
    except Exception:  # the ops stay in the outbox; the next drain or rebuild applies them
        logger.exception("search: draining the index outbox failed")


def drain(*, wait: float = LOCK_WAIT_SECONDS, rounds: int = 5) -> int:
    """Apply every pending op to Whoosh. Returns how many ops this call applied.

    If another process holds the writer lock longer than ``wait`` seconds (a rebuild), the ops
    stay in the outbox: the holder drains it before it lets go."""
    from .models import PendingIndexOp

    engine = get_engine("whoosh")
    applied = 0
    for _ in range(rounds):
        with engine.writer_lock(timeout=wait) as got:
            if not got:
                return applied
            applied += _drain_locked(engine)
        # Re-check after releasing: an op committed while we held the lock, whose own drain
        # found the lock taken, must not be stranded.
        if not PendingIndexOp.objects.exists():
            break
    return applied


def _drain_locked(engine: WhooshEngine) -> int:
    from .models import PendingIndexOp

    applied = 0
    while True:
        batch = list(PendingIndexOp.objects.order_by("id")[:DRAIN_BATCH])
        if not batch:
            return applied
        latest: dict[str, PendingIndexOp] = {}
        for op in batch:  # later ops for the same key win
            latest.pop(op.key, None)
            latest[op.key] = op
        upserts = [doc_from_json(op.document) for op in latest.values() if op.document is not None]
        deletes = [op.key for op in latest.values() if op.document is None]
        engine.apply(upserts, deletes)
        PendingIndexOp.objects.filter(id__in=[op.id for op in batch]).delete()
        applied += len(batch)
