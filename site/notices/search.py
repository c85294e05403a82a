"""Notices as search documents (kind "notice"), kept in step with publishing."""

from django.db import transaction
from django.db.models.signals import post_delete

from wagtail.signals import page_published, page_unpublished

from search.documents import SearchDocument


def to_document(notice) -> SearchDocument:
    return SearchDocument(
        key=f"notice:{notice.pk}",
        kind="notice",
        title=notice.title,
        body="\n".join(filter(None, [notice.summary, notice.plain_text()])),
        url=notice.url or "",
        year=notice.date.year if notice.date else None,
        meta={
            "date": notice.date.isoformat() if notice.date else "",
            "issuer": notice.issuer,
            "category": notice.get_category_display(),
        },
    )


def all_documents():
    from .models import NoticePage

    for notice in NoticePage.objects.live().public().iterator():
        yield to_document(notice)


def _published(sender, instance, **kwargs):
    from search.api import index_documents

    notice = instance.specific
    transaction.on_commit(lambda: index_documents([to_document(notice)]))


def _removed(sender, instance, **kwargs):
    from search.api import remove_documents

    key = f"notice:{instance.pk}"
    transaction.on_commit(lambda: remove_documents([key]))


def connect():
    from search.registry import register_provider

    from .models import NoticePage

    register_provider("notice", all_documents=all_documents)
    page_published.connect(_published, sender=NoticePage, dispatch_uid="notices.search.published")
    page_unpublished.connect(_removed, sender=NoticePage, dispatch_uid="notices.search.unpublished")
    post_delete.connect(_removed, sender=NoticePage, dispatch_uid="notices.search.deleted")
