"""执法质量考评 in the Wagtail admin: standards, fault-liability findings and awards as snippets,
and a menu link to the evaluation workbench (the site's own pages)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from accounts.roles import is_legal_staff

from .models import Award, FaultFinding, Standard
from .services import standard_bump_version_if_used


class StandardViewSet(SnippetViewSet):
    model = Standard
    icon = "list-ol"
    menu_label = _("考评标准")
    list_display = ["name", "version", "pass_line", "excellent_line", "active"]
    search_fields = ["name"]


class FaultFindingViewSet(SnippetViewSet):
    model = FaultFinding
    icon = "warning"
    menu_label = _("执法过错责任追究")
    list_display = ["officer", "decided_on", "case_label"]
    form_fields = ["officer", "decided_on", "case", "case_label", "finding", "decision"]


class AwardViewSet(SnippetViewSet):
    model = Award
    icon = "pick"
    menu_label = _("奖励表彰")
    list_display = ["officer", "awarded_on", "title", "issuer"]
    form_fields = ["officer", "awarded_on", "title", "issuer"]


class EvaluationGroup(SnippetViewSetGroup):
    items = (StandardViewSet, FaultFindingViewSet, AwardViewSet)
    menu_icon = "tasks"
    menu_label = _("执法质量考评")
    menu_name = "evaluation"
    menu_order = 450


register_snippet(EvaluationGroup)


@hooks.register("after_edit_snippet")
def bump_standard_version(request, instance):
    if isinstance(instance, Standard):
        standard_bump_version_if_used(instance)


@hooks.register("after_create_snippet")
def record_who_entered_a_fault_finding(request, instance):
    if isinstance(instance, FaultFinding) and not instance.entered_by_id:
        FaultFinding.objects.filter(pk=instance.pk).update(entered_by=request.user)


class _StaffMenuItem(MenuItem):
    def is_shown(self, request):
        return is_legal_staff(request.user)


@hooks.register("register_admin_menu_item")
def evaluation_workbench_menu_item():
    return _StaffMenuItem(_("考评工作台"), reverse("evaluation:home"), icon_name="tasks", order=451)
