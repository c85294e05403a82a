"""Searching on behalf of a user: the only way views and the API read the index."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from accounts.roles import is_legal_staff

from . import backends, snippets
from .engines.base import Filters, Hit
from .querying import ParsedQuery, parse_query
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

    def counts_in_order(self):
        return [
            (k, KIND_LABELS.get(k, k), self.counts[k])
            for k in sorted(
                self.counts, key=lambda k: KIND_ORDER.index(k) if k in KIND_ORDER else 99
            )
        ]


def filters_for(viewer, *, kinds=(), level="", status="current", year=None, law="") -> Filters:
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
    parsed = parse_query(q)
    if not is_legal_staff(viewer) and filters.staff:
        filters = Filters(
            filters.kinds, filters.level, filters.status, filters.year, filters.law, False
        )
    engine = backends.get_engine()
    if grouped and not filters.kinds:
        res = engine.search(parsed, filters, per_kind=per_kind)
        items = _items(res.hits, parsed)
        groups = []
        for kind, label, count in SearchOutcome(
            parsed, filters, res.total, res.counts, []
        ).counts_in_order():
            groups.append((kind, label, count, [i for i in items if i.hit.kind == kind][:per_kind]))
        return SearchOutcome(parsed, filters, res.total, res.counts, items, groups)
    res = engine.search(parsed, filters, offset=offset, limit=limit)
    return SearchOutcome(parsed, filters, res.total, res.counts, _items(res.hits, parsed))


def law_title_suggestions(*, viewer, q: str, limit: int = 10) -> list[dict]:
    titles = backends.get_engine().law_titles()
    return rank_titles(q, titles, limit=limit)
