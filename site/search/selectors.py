"""Searching on behalf of a user: the only way views and the API read the index."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace

from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import Count, F, Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.roles import is_legal_staff

from . import backends, snippets
from .engines.base import Filters, Hit
from .querying import ParsedQuery, parse_query, set_extra_terms
from .suggest import rank_titles

KIND_LABELS = {
    "article": _("法条"),
    "law": _("法规"),
    "case": _("案例"),
    "answer": _("法律在线"),
    "notice": _("通知公告"),
    "question": _("题库"),
}
KIND_ORDER = list(KIND_LABELS)
STAFF_KINDS = {"question"}
logger = logging.getLogger(__name__)
STATUS_CHOICES = {"current": _("现行有效"), "all": _("全部版本"), "old": _("已废止或旧版本")}
LEVEL_CHOICES = [
    "宪法",
    "法律",
    "行政法规",
    "监察法规",
    "司法解释",
    "部门规章",
    "地方性法规",
    "地方政府规章",
]


@dataclass
class ResultItem:
    hit: Hit
    title_html: str
    snippet_html: str

    @property
    def kind_label(self):
        return KIND_LABELS.get(self.hit.kind, self.hit.kind)


@dataclass
class SearchOutcome:
    query: ParsedQuery
    filters: Filters
    total: int
    counts: dict[str, int]
    items: list[ResultItem]
    groups: list[tuple[str, str, int, list[ResultItem]]] = field(default_factory=list)
    strict_total: int | None = None  # best match: how many contain every word

    @property
    def partial_only(self) -> bool:
        """Nothing contains every word: everything shown is a partial match."""
        return bool(self.total) and self.strict_total == 0

    @property
    def partial_after(self) -> int | None:
        """Some results contain every word and partial matches follow them on this page."""
        if self.strict_total and self.strict_total < self.total:
            return self.strict_total
        return None

    def counts_in_order(self):
        return [
            (k, KIND_LABELS.get(k, k), self.counts[k])
            for k in sorted(
                self.counts, key=lambda k: KIND_ORDER.index(k) if k in KIND_ORDER else 99
            )
        ]


def filters_for(
    viewer, *, kinds=(), level="", status="current", year=None, law="", keys=frozenset()
) -> Filters:
    staff = is_legal_staff(viewer)
    kinds = tuple(k for k in kinds if k)
    if not staff:  # officers cannot even ask for staff-only kinds
        kinds = tuple(k for k in kinds if k not in STAFF_KINDS)
    return Filters(
        kinds=kinds,
        level=level or "",
        status=status or "current",
        year=year,
        law=law or "",
        staff=staff,
        keys=frozenset(keys),
    )


def _items(hits: list[Hit], parsed: ParsedQuery) -> list[ResultItem]:
    return [
        ResultItem(
            h,
            snippets.highlight_title(h.title, parsed.highlight),
            snippets.snippet(h.body, parsed.highlight),
        )
        for h in hits
    ]


def search_for(
    *,
    viewer,
    q: str,
    filters: Filters,
    offset: int = 0,
    limit: int = 10,
    grouped: bool = False,
    per_kind: int = 5,
) -> SearchOutcome:
    """Run a search as ``viewer``; raises ``QueryError`` for an empty or over-long query.

    Staff-only documents are excluded on the server unless the viewer is legal staff, whatever
    the request asked for."""
    refresh_lexicon()
    parsed = parse_query(q)
    if not is_legal_staff(viewer) and filters.staff:
        filters = replace(filters, staff=False)
    engine = backends.get_engine()

    def run(parsed):
        if grouped and not filters.kinds:
            return engine.search(parsed, filters, per_kind=per_kind)
        return engine.search(parsed, filters, offset=offset, limit=limit)

    res = run(parsed)
    if not res.total:
        # A short literal found nothing as typed: try the lexicon (驾照 → 机动车驾驶证).
        wider = parse_query(q, expand=True)
        if wider.clauses != parsed.clauses:
            parsed, res = wider, run(wider)
    if offset == 0:
        record_query(parsed.text, total=res.total, strict_total=res.strict_total)
    items = _items(res.hits, parsed)
    outcome = SearchOutcome(
        parsed, filters, res.total, res.counts, items, strict_total=res.strict_total
    )
    if grouped and not filters.kinds:
        for kind, label, count in outcome.counts_in_order():
            outcome.groups.append(
                (kind, label, count, [i for i in items if i.hit.kind == kind][:per_kind])
            )
    return outcome


def refresh_lexicon() -> None:
    """Put the staff-added lexicon entries in force (reloaded only when the table changed)."""
    from .models import LexiconEntry

    stamp = LexiconEntry.objects.aggregate(n=Count("id"), latest=Max("updated_at"))
    version = (stamp["n"], stamp["latest"])
    if version == querying_state_version():
        return
    entries = [(e.term, e.terms) for e in LexiconEntry.objects.all()]
    set_extra_terms(entries, version)


def querying_state_version():
    from . import querying

    return querying._lexicon_cache.get("version")


def record_query(text: str, *, total: int, strict_total: int | None) -> None:
    """Count a query that found nothing, or only partial matches (no user is recorded)."""
    from .models import QueryLog

    zero = total == 0
    partial = not zero and strict_total == 0
    if not (zero or partial):
        return
    text = text[:100]
    now = timezone.now()
    changes = {"last_seen": now, "resolved": False}
    if zero:
        changes["zero_count"] = F("zero_count") + 1
    else:
        changes["partial_count"] = F("partial_count") + 1
    try:
        with transaction.atomic():
            if not QueryLog.objects.filter(query=text).update(**changes):
                QueryLog.objects.create(
                    query=text, last_seen=now, zero_count=int(zero), partial_count=int(partial)
                )
    except IntegrityError:  # created by a concurrent request meanwhile
        QueryLog.objects.filter(query=text).update(**changes)
    except DatabaseError:  # the log must never break a search
        logger.exception("search: could not record a query")


def law_title_suggestions(*, viewer, q: str, limit: int = 10) -> list[dict]:
    titles = backends.get_engine().law_titles()
    return rank_titles(q, titles, limit=limit)
