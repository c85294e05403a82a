"""Admin entry points: an "annotate" button on case pages, menu items for flagged annotations and
for case import/export, and the dashboard to-do items."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import Button

from casebook.models import CasePage


@hooks.register("register_page_listing_more_buttons")
def case_annotate_button(page, user, next_url=None):
    if isinstance(page.specific_deferred, CasePage) and user.has_perm("casebook.annotate_case"):
        yield Button(
            _("批注"), reverse("casebook:workspace", args=[page.pk]), icon_name="edit", priority=3
        )


@hooks.register("register_page_header_buttons")
def case_annotate_header_button(page, user, view_name, next_url=None):
    if isinstance(page.specific_deferred, CasePage) and user.has_perm("casebook.annotate_case"):
        yield Button(
            _("批注"), reverse("casebook:workspace", args=[page.pk]), icon_name="edit", priority=12
        )


class FlaggedAnnotationsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("casebook.annotate_case")


@hooks.register("register_admin_menu_item")
def flagged_annotations_menu_item():
    return FlaggedAnnotationsMenuItem(
        _("待处理批注"), reverse("casebook:flagged"), icon_name="warning", order=320
    )


class CaseImportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("casebook.import_cases")


@hooks.register("register_admin_urls")
def register_case_import_urls():
    from casebook import admin_views

    return [
        path("cases/import/", admin_views.import_view, name="cases_import"),
        path("cases/export/", admin_views.export_view, name="cases_export"),
    ]


@hooks.register("register_admin_menu_item")
def case_import_menu_item():
    return CaseImportMenuItem(
        _("案例导入导出"), reverse("cases_import"), icon_name="upload", order=321
    )


# --- the staff's to-do list on the admin dashboard ----------------------------------------------


def _todo_items(request):
    from core.admin_todo import TodoItem

    from .selectors import flagged_annotations_for

    user = request.user
    yield TodoItem(
        _("以案释法 · 无法定位、待处理的批注"),
        flagged_annotations_for(user=user).count(),
        reverse("casebook:flagged"),
        urgent=True,
    )
    if user.has_perm("casebook.review_case"):
        drafts = CasePage.objects.filter(live=False)
        index = CasePage.objects.first()
        url = reverse("wagtailadmin_explore", args=[index.get_parent().pk]) if index else ""
        yield TodoItem(_("以案释法 · 待审核发布的案例（草稿）"), drafts.count(), url)


def _register_todo():
    from core.admin_todo import register_todo

    register_todo("casebook", order=40, items=_todo_items)


_register_todo()
