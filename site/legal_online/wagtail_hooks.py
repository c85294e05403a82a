"""Legal Online in the Wagtail admin: categories (due days, default answerer)."""

from django.utils.translation import gettext_lazy as _

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Category


class CategoryViewSet(SnippetViewSet):
    model = Category
    icon = "help"
    menu_label = _("法律在线类别")
    menu_name = "legal_online_categories"
    add_to_admin_menu = True
    menu_order = 600
    list_display = ["name", "slug", "due_days", "default_answerer", "active"]
    list_filter = ["active"]
    search_fields = ["name"]
    form_fields = ["name", "slug", "order", "due_days", "default_answerer", "active"]


register_snippet(CategoryViewSet)


# --- the staff's to-do list on the admin dashboard ----------------------------------------------


def _todo_items(request):
    from django.urls import reverse
    from django.utils import timezone

    from core.admin_todo import TodoItem

    from .models import Consultation, Status
    from .services import can_answer, can_review

    user = request.user
    if not can_answer(user):
        return
    queue = reverse("legal_online:queue")
    now = timezone.now()
    yield TodoItem(
        _("法律在线 · 已逾期的咨询"),
        Consultation.objects.open().overdue(now).count(),
        f"{queue}?overdue=1",
        urgent=True,
    )
    yield TodoItem(
        _("法律在线 · 待分派的咨询"),
        Consultation.objects.filter(status=Status.SUBMITTED).count(),
        f"{queue}?status={Status.SUBMITTED}",
    )
    yield TodoItem(
        _("法律在线 · 分派给我、待答复"),
        Consultation.objects.filter(status=Status.ASSIGNED, assignee=user).count(),
        f"{queue}?status={Status.ASSIGNED}&mine=1",
    )
    if can_review(user):
        # Answers wait for a second person: the author cannot sign off their own answer.
        waiting = (
            Consultation.objects.filter(status=Status.ANSWERED)
            .exclude(answers__answerer=user, answers__signed_off_at__isnull=True)
            .count()
        )
        yield TodoItem(
            _("法律在线 · 待审核签发的答复"), waiting, f"{queue}?status={Status.ANSWERED}"
        )


def _register_todo():
    from core.admin_todo import register_todo

    register_todo("legal_online", order=10, items=_todo_items)


_register_todo()
