"""An admin menu entry that opens the compilations (法规汇编) in the page explorer, for staff
who may edit pages there."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from accounts.roles import is_legal_staff


class CompilationsMenuItem(MenuItem):
    def is_shown(self, request):
        return is_legal_staff(request.user)


@hooks.register("register_admin_urls")
def register_compilations_urls():
    from laws.compilations import admin_views

    return [path("compilations/", admin_views.explore, name="compilations_explore")]


@hooks.register("register_admin_menu_item")
def register_compilations_menu_item():
    return CompilationsMenuItem(
        _("法规汇编"), reverse("compilations_explore"), icon_name="doc-full", order=348
    )


@hooks.register("before_delete_page")
def keep_compilations_that_exams_draw_from(request, page):
    """A compilation an exam's blueprint section draws from is not deleted (the section would
    silently widen to the whole bank): staff are told which exams use it."""
    from laws.compilations.models import CompilationPage
    from questions.exams.models import ExamSection

    pages = page.get_descendants(inclusive=True).type(CompilationPage)
    titles = sorted(
        set(ExamSection.objects.filter(compilation__in=pages).values_list("exam__title", flat=True))
    )
    if not titles:
        return None
    messages.error(
        request,
        gettext_now("不能删除：以下考试的组卷规则从该汇编抽题：%(exams)s。请先修改这些考试。")
        % {"exams": "、".join(titles)},
    )
    return redirect("wagtailadmin_explore", page.get_parent().pk)
