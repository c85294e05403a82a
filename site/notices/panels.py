"""The notices' panel on the home page (the latest six, pinned first)."""

from django.utils.translation import gettext_lazy as _

from home.panels import register_home_panel


def home_panel_context(request) -> dict:
    from .models import NoticeIndexPage, NoticePage

    notices = NoticePage.objects.live().public().order_by("-pinned", "-date", "-pk")[:6]
    index = NoticeIndexPage.objects.live().public().order_by("path").first()
    return {"notices": notices, "index_url": index.url if index else None}


def register() -> None:
    register_home_panel(
        "notices",
        title=_("通知公告"),
        order=0,
        template="notices/home_panel.html",
        context=home_panel_context,
    )
