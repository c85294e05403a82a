"""Context every page needs: the navigation, and the viewer's roles."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import pgettext_lazy

from accounts.roles import is_legal_staff, is_unit_leader


def _section_urls(model_paths: list[str]) -> dict[str, str]:
    """The URL of the first live page of each of these page types, in one query."""
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType

    from wagtail.models import Page

    types = {}
    for path in model_paths:
        try:
            types[ContentType.objects.get_for_model(apps.get_model(path)).pk] = path
        except LookupError:
            continue
    urls: dict[str, str] = {}
    for page in Page.objects.live().filter(content_type_id__in=types).order_by("path"):
        path = types[page.content_type_id]
        if path not in urls:
            urls[path] = page.url
    return urls


def _url(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def navigation(request):
    """Main menu entries as (label, url); entries whose app has no page yet are left out."""
    sections = _section_urls(
        [
            "laws.LawIndexPage",
            "compilations.CompilationIndexPage",
            "casebook.CaseIndexPage",
            "notices.NoticeIndexPage",
        ]
    )
    items = [
        (pgettext_lazy("main menu", "首页"), "/"),
        (pgettext_lazy("main menu", "法规库"), sections.get("laws.LawIndexPage")),
        (pgettext_lazy("main menu", "法规汇编"), sections.get("compilations.CompilationIndexPage")),
        (pgettext_lazy("main menu", "以案释法"), sections.get("casebook.CaseIndexPage")),
        (pgettext_lazy("main menu", "学习练习"), _url("questions:practice_home")),
        (pgettext_lazy("main menu", "考试"), _url("exams:exam_list")),
        (pgettext_lazy("main menu", "法律在线"), _url("legal_online:index")),
        (pgettext_lazy("main menu", "通知公告"), sections.get("notices.NoticeIndexPage")),
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
