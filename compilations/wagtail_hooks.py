"""An admin menu entry that opens the compilations (法规汇编) in the page explorer, for staff
who may edit pages there."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from accounts.roles import is_legal_staff


class CompilationsMenuItem(MenuItem):
    def is_shown(self, request):
        return is_legal_staff(request.user)


@hooks.register("register_admin_urls")
def register_compilations_urls():
    from compilations import admin_views

    return [path("compilations/", admin_views.explore, name="compilations_explore")]


@hooks.register("register_admin_menu_item")
def register_compilations_menu_item():
    return CompilationsMenuItem(
        _("法规汇编"), reverse("compilations_explore"), icon_name="doc-full", order=348
    )
