"""What every search engine takes and returns (no Django imports)."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..documents import SearchDocument


@dataclass(frozen=True)
class Filters:
    """Restrictions applied on the server; ``staff`` says whether staff-only documents may show."""

    kinds: tuple[str, ...] = ()
    level: str = ""
    status: str = "current"  # current | all | old
    year: int | None = None
    law: str = ""  # a law's key (meta["law"]) or its full title
    staff: bool = False
    # Only these documents (their keys, e.g. "article:12"): a compilation's laws and articles.
    # Empty: no such restriction.
    keys: frozenset[str] = frozenset()


@dataclass
class Hit:
    key: str
    kind: str
    title: str
    url: str
    body: str
    level: str = ""
    status: str = ""
    current: bool = True
    year: int | None = None
    staff_only: bool = False
    meta: dict = field(default_factory=dict)
    score: float = 0.0
    full: bool = True  # contains every word of the query (False: a partial match)
    similarity: float = 0.0  # best match: share of the query's weight it holds (0..1)


@dataclass
class Hits:
    total: int  # matches after every filter, kind included
    counts: dict[str, int]  # matches per kind, every filter applied except kind
    hits: list[Hit]
    # Best-match queries: how many of ``total`` contain every word (None: every match does).
    strict_total: int | None = None


def law_values(doc: SearchDocument) -> tuple[str, str]:
    """(law key, law title) that the ``law`` filter matches; apps put the key in ``meta["law"]``."""
    meta = doc.meta or {}
    key = str(meta.get("law") or "")
    title = str(meta.get("law_title") or (doc.title if doc.kind == "law" else ""))
    return key, title
