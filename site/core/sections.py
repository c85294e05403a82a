"""The site's own section pages (法规库, 以案释法 …): found, or created once under the home page."""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured


def section_index(model, *, title: str, slug: str, **fields):
    """The first page of ``model`` in the tree; created and published under the home page if none.

    Raises ImproperlyConfigured when there is no home page yet (run ``migrate`` first): the
    sections hang below it, and a half-built tree is worse than a clear stop.
    """
    index = model.objects.order_by("path").first()
    if index is not None:
        return index
    from home.models import HomePage

    home = HomePage.objects.order_by("path").first()
    if home is None:
        raise ImproperlyConfigured(
            "没有首页，无法创建栏目页：请先运行 migrate (no home page: run migrate first)"
        )
    index = model(title=title, slug=slug, **fields)
    home.add_child(instance=index)
    index.save_revision().publish()
    return index
