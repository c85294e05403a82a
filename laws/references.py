"""Resolve article citations against the library.

    resolve_reference("《中华人民共和国刑事诉讼法》第八十二条")  -> Article (current version)
    resolve_reference("刑法第133条之一", on=date(2016, 1, 1))     -> Article as in force then

The pure parser is `laws.refparse` (also used by the cross-reference linker).
"""

from __future__ import annotations

from datetime import date

from django.db.models import Q

from laws.choices import UnitKind
from laws.models import Article, LawPage, LawVersion
from laws.refparse import parse_citation, parse_references, title_variants

__all__ = ["resolve_reference", "find_law_by_title", "parse_references", "version_on"]

PRC = "中华人民共和国"


def find_law_by_title(title: str) -> LawPage | None:
    """Full title, short title, or title without 中华人民共和国."""
    variants = title_variants(title)
    variants |= {PRC + v for v in list(variants)}
    return (
        LawPage.objects.filter(Q(title__in=variants) | Q(short_title__in=variants))
        .order_by("-live", "pk")
        .first()
    )


def version_on(law: LawPage, on: date | None) -> LawVersion | None:
    """The version in force on a date (None: the current version)."""
    if on is None:
        return law.current_version
    versions = list(law.versions.order_by("version_date", "pk"))
    in_effect = [v for v in versions if (v.effective_date or v.version_date) <= on]
    return in_effect[-1] if in_effect else None


def resolve_reference(text: str, *, on: date | None = None) -> Article | None:
    """The unit a citation names. 第X条 finds an article, or the X-th item of a document written
    in items (a 决定 written 一、二、 is cited 第一条 as often as 第一项); 第X项 finds only items."""
    citation = parse_citation(text or "")
    if citation is None or not citation.title:
        return None
    law = find_law_by_title(citation.title)
    if law is None:
        return None
    version = version_on(law, on)
    if version is None:
        return None
    kinds = [UnitKind.ITEM] if citation.unit == "item" else [UnitKind.ARTICLE, UnitKind.ITEM]
    return (
        Article.objects.filter(
            version=version, number=citation.number, suffix=citation.suffix, kind__in=kinds
        )
        .select_related("law")
        .first()
    )
