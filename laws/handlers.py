"""Signal receivers: keep denormalised law fields and the search index in step with Wagtail."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver

from wagtail.signals import page_published, page_unpublished, post_page_move

from laws import caching
from laws.models import Article, Heading, LawPage, LawVersion


@receiver(page_published, sender=LawPage)
def law_published(sender, instance, **kwargs):
    from laws.search import reindex_law
    from laws.services import law_refresh

    # Publishing a revision copies its (possibly stale) status fields back: recompute them.
    law_refresh(instance)
    transaction.on_commit(lambda: reindex_law(instance.pk))
    transaction.on_commit(lambda: _wagtail_index(instance.pk))


def _wagtail_index(pk):
    from wagtail.search.index import insert_or_update_object

    law = LawPage.objects.filter(pk=pk).first()
    if law is not None:
        insert_or_update_object(law)


@receiver(page_unpublished, sender=LawPage)
def law_unpublished(sender, instance, **kwargs):
    from laws.search import reindex_law

    transaction.on_commit(lambda: reindex_law(instance.pk))


@receiver(pre_delete, sender=LawPage)
def law_deleted(sender, instance, **kwargs):
    from laws.search import remove_law

    remove_law(instance)


@receiver(post_save, sender=LawPage)
@receiver(post_delete, sender=LawPage)
@receiver(post_page_move)  # any page: rare, and a law's URL follows its ancestors
@receiver(post_save, sender=LawVersion)
@receiver(post_save, sender=Article)
@receiver(post_save, sender=Heading)
def library_changed(sender, **kwargs):
    """Titles, slugs, texts: the cached title map and rendered texts are stale (laws.caching).
    An import writes in bulk, without these signals, and says so itself. Versions, articles and
    headings are deleted only with their law (no receiver here: a cascade stays one DELETE)."""
    if not kwargs.get("raw"):
        caching.library_changed()
