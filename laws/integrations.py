"""What the regulations library plugs into other parts of the site (home page panel)."""

from django.utils.translation import gettext_lazy as _


def home_panel_context(request):
    from laws.models import LawIndexPage
    from laws.selectors import recently_updated_laws

    laws = recently_updated_laws()
    if not laws:
        return None
    index = LawIndexPage.objects.live().order_by("path").first()
    return {"laws": laws, "index_url": index.url if index else None}


def register() -> None:
    from home.panels import register_home_panel

    register_home_panel(
        "laws_updated",
        title=_("最近更新的法规"),
        order=20,
        template="laws/home_panel.html",
        context=home_panel_context,
    )
