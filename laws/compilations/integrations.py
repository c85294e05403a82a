"""What compilations plug into other parts of the site: a home page panel for signed-in users
with the latest published compilations (法规汇编 is one of the site's services)."""

from django.utils.translation import gettext_lazy as _


def home_panel_context(request):
    if not request.user.is_authenticated:
        return None
    from laws.compilations.models import CompilationIndexPage, CompilationPage

    latest = list(CompilationPage.objects.live().order_by("-last_published_at", "title")[:5])
    if not latest:
        return None
    index = CompilationIndexPage.objects.live().order_by("path").first()
    return {"compilations": latest, "index_url": index.url if index else None}


def register() -> None:
    from home.panels import register_home_panel

    register_home_panel(
        "compilations",
        title=_("法规汇编"),
        order=22,
        template="compilations/home_panel.html",
        context=home_panel_context,
    )
