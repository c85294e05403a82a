"""Search documents of kind "answer" for the site search (the search app never imports us).

Published consultations become public documents built from the *edited* public version.
Everything else an answerer may want to find (open, answered, closed) is indexed as
``staff_only`` from the original, so officers never find another officer's question.
Withdrawn questions are not indexed.
"""

import logging

logger = logging.getLogger(__name__)

KIND = "answer"


def key_for(consultation) -> str:
    return f"{KIND}:{consultation.pk}"


def document_for(consultation):
    from search.documents import SearchDocument

    from .models import Status

    year = consultation.submitted_at.year if consultation.submitted_at else None
    meta = {"category": consultation.category.name, "status": consultation.get_status_display()}
    if consultation.status == Status.PUBLISHED:
        answer = consultation.official_answer()
        if answer is None:
            return None
        # The articles the answer cites: a search that finds this answer lifts them too.
        meta["cites"] = [
            f"article:{pk}" for pk in answer.citations.values_list("article_id", flat=True)
        ]
        return SearchDocument(
            key=key_for(consultation),
            kind=KIND,
            title=answer.public_title or consultation.title,
            body=f"{answer.public_question}\n{answer.public_body}",
            url=consultation.get_faq_url(),
            year=year,
            staff_only=False,
            meta=meta,
        )
    answer = consultation.current_answer()
    body = consultation.description + ("\n" + answer.body if answer else "")
    return SearchDocument(
        key=key_for(consultation),
        kind=KIND,
        title=consultation.title,
        body=body,
        url=consultation.get_absolute_url(),
        year=year,
        staff_only=True,
        meta=meta,
    )


def all_documents():
    from .models import Consultation

    qs = Consultation.objects.select_related("category").filter(withdrawn=False)
    for consultation in qs.iterator(chunk_size=500):
        doc = document_for(consultation)
        if doc is not None:
            yield doc


def sync(consultation) -> None:
    """Bring the index in step after a change (work happens on commit in the search app)."""
    from search import api

    try:
        doc = None if consultation.withdrawn else document_for(consultation)
        if doc is None:
            api.remove_documents([key_for(consultation)])
        else:
            api.index_documents([doc])
    except Exception:  # noqa: BLE001 - search trouble must never lose a consultation
        logger.exception(
            "legal_online: could not update search for consultation %s", consultation.pk
        )
