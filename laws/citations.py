"""Registries through which other apps say what cites an article (laws is the hub).

Other apps register in their ``AppConfig.ready()``::

    from laws.citations import CitingItem, register_citer, register_impact

    register_citer("questions", label=_("题目"), find=lambda law_id, number, suffix: [...])
    register_impact("questions", label=_("题目"), find=lambda change: [...])

- A *citer*'s ``find(law_id, number, suffix)`` returns every object citing any version of that
  article; the article page shows them in its "cited by" panel (引用情况) with counts.
- An *impact* lister's ``find(change)`` gets an `ArticleChange` and returns what cites
  ``change.old_article`` (the version-pinned row) and should be reviewed by legal staff.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class CitingItem:
    title: str
    url: str
    kind: str
    kind_label: str
    visible_to_officers: bool = True


@dataclass(frozen=True)
class _Registration:
    kind: str
    label: str
    find: Callable


_citers: dict[str, _Registration] = {}
_impacts: dict[str, _Registration] = {}


def register_citer(kind: str, *, label, find: Callable[[int, int, int], list[CitingItem]]) -> None:
    _citers[kind] = _Registration(kind, label, find)


def register_impact(kind: str, *, label, find: Callable[[object], list[CitingItem]]) -> None:
    _impacts[kind] = _Registration(kind, label, find)


@dataclass
class CitationGroup:
    kind: str
    label: str
    items: list[CitingItem]

    @property
    def count(self) -> int:
        return len(self.items)


def _safe(reg: _Registration, *args) -> list[CitingItem]:
    # One broken plug-in must not take the article page down with it.
    try:
        return list(reg.find(*args) or [])
    except Exception:  # noqa: BLE001
        logger.exception("laws: citer %r failed", reg.kind)
        return []


def cited_by(law_id: int, number: int, suffix: int, *, staff: bool) -> list[CitationGroup]:
    """Every registered kind with what cites the article; officers do not see staff-only items."""
    groups = []
    for reg in _citers.values():
        items = _safe(reg, law_id, number, suffix)
        if not staff:
            items = [item for item in items if item.visible_to_officers]
        groups.append(CitationGroup(reg.kind, str(reg.label), items))
    return groups


def impact_of(change) -> list[CitationGroup]:
    return [
        CitationGroup(reg.kind, str(reg.label), _safe(reg, change)) for reg in _impacts.values()
    ]
