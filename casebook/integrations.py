"""How the casebook plugs into the library (cited-by, impact, law changes) and search.

Connected once from ``CasebookConfig.ready()``.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.db.models.signals import post_delete
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)


# --- citations ------------------------------------------------------------------------------


def _citing_items(pages, kind_label):
    from laws.citations import CitingItem

    items = []
    for page in pages:
        items.append(
            CitingItem(
                title=page.title + (f"（{page.case_number}）" if page.case_number else ""),
                url=page.url if page.live else f"/admin/pages/{page.pk}/edit/",
                kind="case",
                kind_label=str(kind_label),
                visible_to_officers=page.live,
            )
        )
    return items


def find_citing_cases(law_id: int, number: int, suffix: int):
    from casebook.models import CasePage

    pages = (
        CasePage.objects.filter(
            case_articles__article__law_id=law_id,
            case_articles__article__number=number,
            case_articles__article__suffix=suffix,
        )
        .distinct()
        .order_by("-live", "-decided_on", "pk")
    )
    return _citing_items(pages, _("案例"))


def find_impacted_cases(change):
    from casebook.models import CasePage

    pages = (
        CasePage.objects.filter(case_articles__article=change.old_article).distinct().order_by("pk")
    )
    return _citing_items(pages, _("案例"))


def on_articles_changed(sender, changes=(), **kwargs):
    """A cited article changed: the case page shows it (see selectors.article_rows); refresh search."""
    from casebook.models import CasePage

    old_ids = [c.old_article_id for c in changes]
    pages = list(CasePage.objects.live().filter(case_articles__article_id__in=old_ids).distinct())
    if pages:
        logger.info("casebook: %d case(s) cite articles that changed", len(pages))
        index_cases(pages)


# --- search ---------------------------------------------------------------------------------


def case_document(page):
    from casebook.selectors import article_rows
    from search.documents import SearchDocument

    body = "\n".join(
        part for part in (page.key_points, page.facts, page.handling, page.reasoning) if part
    )
    rows = article_rows(page)
    return SearchDocument(
        key=f"case:{page.pk}",
        kind="case",
        title=page.title,
        body=body,
        url=page.url or "",
        year=page.year,
        current=True,
        staff_only=not page.live,
        meta={
            "case_number": page.case_number,
            "kind_label": str(page.get_kind_display()),
            "handling_unit": page.handling_unit,
            "rating": str(page.get_rating_display()) if page.rating else "",
            "keywords": [t.name for t in page.keywords.all()],
            "articles": [r.link.article.citation for r in rows],
            "outdated": any(r.changed for r in rows),
        },
    )


def all_case_documents():
    from casebook.models import CasePage

    for page in (
        CasePage.objects.live().public().prefetch_related("keywords").iterator(chunk_size=200)
    ):
        yield case_document(page)


def index_cases(pages) -> None:
    from search import api

    docs = [case_document(p) for p in pages if p.live]
    if docs:
        api.index_documents(docs)


def remove_cases(pks) -> None:
    from search import api

    api.remove_documents([f"case:{pk}" for pk in pks])


def on_page_published(sender, instance, **kwargs):
    page = instance.specific
    transaction.on_commit(lambda: index_cases([page]))


def on_page_unpublished(sender, instance, **kwargs):
    pk = instance.pk
    transaction.on_commit(lambda: remove_cases([pk]))


def on_page_deleted(sender, instance, **kwargs):
    pk = instance.pk
    transaction.on_commit(lambda: remove_cases([pk]))


def home_panel_context(request):
    from casebook.models import CaseIndexPage, CasePage

    if not request.user.is_authenticated:
        return None
    cases = list(CasePage.objects.live().public().order_by("-first_published_at", "-pk")[:6])
    index = CaseIndexPage.objects.live().order_by("path").first()
    if not cases and index is None:
        return None
    return {"cases": cases, "index": index}


def connect() -> None:
    from wagtail.signals import page_published, page_unpublished

    from casebook.models import CasePage
    from home.panels import register_home_panel
    from laws.citations import register_citer, register_impact
    from laws.signals import articles_changed
    from search.registry import register_provider

    register_citer("case", label=_("案例"), find=find_citing_cases)
    register_impact("case", label=_("案例"), find=find_impacted_cases)
    articles_changed.connect(on_articles_changed, dispatch_uid="casebook_articles_changed")
    register_provider("case", all_documents=all_case_documents)
    register_home_panel(
        "latest_cases",
        title=_("以案释法"),
        order=40,
        template="casebook/home_panel.html",
        context=home_panel_context,
    )

    page_published.connect(on_page_published, sender=CasePage, dispatch_uid="casebook_published")
    page_unpublished.connect(
        on_page_unpublished, sender=CasePage, dispatch_uid="casebook_unpublished"
    )
    post_delete.connect(on_page_deleted, sender=CasePage, dispatch_uid="casebook_deleted")
