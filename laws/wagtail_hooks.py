"""Admin menu entries for the impact list (法规修改影响清单) and law import (法规导入), and the
dashboard to-do item, for staff who may use them."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem


class ImpactMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("laws.view_impact")


@hooks.register("register_admin_menu_item")
def register_impact_menu_item():
    return ImpactMenuItem(_("法规修改影响"), reverse("laws:impact"), icon_name="warning", order=350)


class ImportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("laws.import_laws")


@hooks.register("register_admin_urls")
def register_import_urls():
    from . import admin_views

    return [path("laws/import/", admin_views.import_view, name="laws_import")]


@hooks.register("register_admin_menu_item")
def register_import_menu_item():
    return ImportMenuItem(_("法规导入"), reverse("laws_import"), icon_name="upload", order=349)


# --- the staff's to-do list on the admin dashboard ----------------------------------------------


def _todo_items(request):
    from core.admin_todo import TodoItem

    from .models import ArticleChange

    if not request.user.has_perm("laws.view_impact"):
        return
    yield TodoItem(
        _("法规库 · 修改后待复核的条文"),
        ArticleChange.objects.filter(reviewed=False).count(),
        reverse("laws:impact"),
    )


def _register_todo():
    from core.admin_todo import register_todo

    register_todo("laws", order=30, items=_todo_items)


_register_todo()
