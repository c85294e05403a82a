"""Similar questions: search-before-ask and likely duplicates use the same similarity
(``search.api.similar_documents``: best match of the question's concepts, "more like this")."""

from __future__ import annotations

from dataclasses import dataclass

from .models import Consultation
from .search_docs import KIND, key_for

SUGGESTIONS = 3
DUPLICATE_CANDIDATES = 5
MIN_DUPLICATE_SIMILARITY = 0.3


@dataclass
class Similar:
    consultation: Consultation
    title: str
    url: str
    similarity: float


def _pk(key: str) -> int | None:
    kind, _, pk = key.partition(":")
    return int(pk) if kind == KIND and pk.isdigit() else None


def similar_published(text: str, *, limit: int = SUGGESTIONS) -> list[Similar]:
    """The published answers most similar to ``text`` (what the asker may read)."""
    from search.api import similar_documents

    hits = similar_documents(text, staff=False, kinds=(KIND,), limit=limit)
    by_pk = {
        c.pk: c
        for c in Consultation.objects.published().filter(
            pk__in=[p for p in (_pk(h.key) for h in hits) if p]
        )
    }
    out = []
    for h in hits:
        c = by_pk.get(_pk(h.key))
        if c is not None:
            out.append(Similar(c, h.title, c.get_faq_url(), h.similarity))
    return out


def likely_duplicates(consultation: Consultation, *, limit: int = DUPLICATE_CANDIDATES):
    """Other questions (published or still open) that look like ``consultation``, for staff."""
    from search.api import similar_documents

    hits = similar_documents(
        f"{consultation.title}\n{consultation.description}",
        staff=True,
        kinds=(KIND,),
        limit=limit,
        exclude_keys=[key_for(consultation)],
        min_similarity=MIN_DUPLICATE_SIMILARITY,
    )
    pks = [p for p in (_pk(h.key) for h in hits) if p]
    by_pk = {
        c.pk: c for c in Consultation.objects.filter(pk__in=pks, withdrawn=False, duplicate_of=None)
    }
    out = []
    for h in hits:
        c = by_pk.get(_pk(h.key))
        if c is not None:
            out.append(Similar(c, c.title, c.get_absolute_url(), h.similarity))
    return out
