"""The site's own section pages (法规库, 以案释法 …): found, or created once under the home page."""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import pgettext_lazy


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


# The names the site gives its own sections when it creates them. Their English is in the
# catalogue (context "section page"), so a visitor reading English sees "Regulations" for 法规库.
# A section that staff renamed is their content and keeps its title in every language. This is
# simpler than Wagtail's page localisation (a translated copy of every section page, and
# language-prefixed URLs for all content) for three fixed names.
SECTION_TITLES = {
    "法规库": pgettext_lazy("section page", "法规库"),
    "以案释法": pgettext_lazy("section page", "以案释法"),
    "通知公告": pgettext_lazy("section page", "通知公告"),
    "法规汇编": pgettext_lazy("section page", "法规汇编"),
}


def section_title(page) -> str | None:
    """The visitor-language title of one of the site's own section pages, or None when ``page``
    is content (or a section under a name staff gave it)."""
    if page is None or getattr(page, "depth", None) != 3:
        return None
    name = SECTION_TITLES.get(page.title)
    return str(name) if name is not None else None
