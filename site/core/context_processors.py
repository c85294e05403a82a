"""Context every page needs: the navigation, and the viewer's roles."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import pgettext_lazy

from accounts.roles import is_legal_staff, is_unit_leader


def _page_url(model_path: str) -> str | None:
    from django.apps import apps

    try:
        model = apps.get_model(model_path)
    except LookupError:
        return None
    page = model.objects.live().order_by("path").first()
    return page.url if page else None


def _url(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def navigation(request):
    """Main menu entries as (label, url); entries whose app has no page yet are left out."""
    items = [
        (pgettext_lazy("main menu", "首页"), "/"),
        (pgettext_lazy("main menu", "法规库"), _page_url("laws.LawIndexPage")),
        (pgettext_lazy("main menu", "法规汇编"), _page_url("compilations.CompilationIndexPage")),
        (pgettext_lazy("main menu", "以案释法"), _page_url("casebook.CaseIndexPage")),
        (pgettext_lazy("main menu", "学习练习"), _url("questions:practice_home")),
        (pgettext_lazy("main menu", "考试"), _url("exams:exam_list")),
        (pgettext_lazy("main menu", "法律在线"), _url("legal_online:index")),
        (pgettext_lazy("main menu", "通知公告"), _page_url("notices.NoticeIndexPage")),
    ]
    current = request.path
    menu = []
    for label, url in items:
        if not url:
            continue
        active = url == current if url == "/" else current.startswith(url)
        menu.append({"label": label, "url": url, "active": active})
    return menu


def portal(request):
    user = getattr(request, "user", None)
    return {
        "main_menu": navigation(request),
        "viewer_is_legal_staff": bool(user and is_legal_staff(user)),
        "viewer_is_unit_leader": bool(user and is_unit_leader(user)),
        "site_search_url": _url("search:results"),
    }
