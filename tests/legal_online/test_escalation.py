"""Overdue questions are escalated once to the head of the legal department (clock set by time_machine)."""

from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
import time_machine

from django.core.management import call_command
from django.urls import reverse

from legal_online import services
from legal_online.models import Consultation, Notification

pytestmark = pytest.mark.django_db

MONDAY_9 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # 09:00 in Asia/Shanghai


@pytest.fixture(autouse=True)
def _calendar_days(settings):
    settings.LEGAL_ONLINE_DUE = {
        "default_days": 3,
        "working_days": False,
        "escalate_after_hours": 0,
    }


def test_overdue_question_is_escalated_once_to_the_head(submit, head, answerer, reviewer, category):
    category.default_answerer = answerer
    category.save()
    with time_machine.travel(MONDAY_9, tick=False):
        c = submit()
    assert c.due_at == MONDAY_9 + timedelta(days=3)
    with time_machine.travel(MONDAY_9 + timedelta(days=3), tick=False):
        assert services.escalate_overdue().escalated == []  # due now, not yet overdue
    with time_machine.travel(MONDAY_9 + timedelta(days=3, minutes=1), tick=False):
        result = services.escalate_overdue()
        assert [x.pk for x in result.escalated] == [c.pk]
        assert services.escalate_overdue().escalated == []  # only once
    c.refresh_from_db()
    assert c.escalated_at == MONDAY_9 + timedelta(days=3, minutes=1)
    assert (
        Notification.objects.filter(recipient=head, kind="escalated", consultation=c).count() == 1
    )
    assert Notification.objects.filter(recipient=answerer, kind="escalated").count() == 1
    assert not Notification.objects.filter(recipient=reviewer, kind="escalated").exists()
    # The thread records the escalation as the system's, not as the head's or the asker's.
    event = c.messages.get(kind="event", body__startswith="超期未答复")
    assert event.author is None


def test_escalation_event_shows_as_the_system_in_the_thread(client, submit, head, answerer):
    with time_machine.travel(MONDAY_9, tick=False):
        c = submit()
    with time_machine.travel(MONDAY_9 + timedelta(days=4), tick=False):
        services.escalate_overdue()
    client.force_login(answerer)
    page = client.get(c.get_absolute_url()).content.decode()
    assert "超期未答复，已督办" in page and "系统 · 流程记录" in page


def test_answered_questions_are_not_escalated(submit, head, answerer, reviewer):
    from .test_services import run_to

    with time_machine.travel(MONDAY_9, tick=False):
        run_to(submit(), "reviewed", answerer=answerer, reviewer=reviewer)
        open_one = submit()
    with time_machine.travel(MONDAY_9 + timedelta(days=10), tick=False):
        assert [c.pk for c in services.escalate_overdue().escalated] == [open_one.pk]


def test_grace_period_before_escalation(settings, submit, head):
    settings.LEGAL_ONLINE_DUE = {
        "default_days": 3,
        "working_days": False,
        "escalate_after_hours": 24,
    }
    with time_machine.travel(MONDAY_9, tick=False):
        submit()
    with time_machine.travel(MONDAY_9 + timedelta(days=3, hours=23), tick=False):
        assert services.escalate_overdue().escalated == []
    with time_machine.travel(MONDAY_9 + timedelta(days=4), tick=False):
        assert len(services.escalate_overdue().escalated) == 1


def test_working_days_skip_the_weekend(settings, submit):
    settings.LEGAL_ONLINE_DUE = {"default_days": 1, "working_days": True}
    friday = MONDAY_9 + timedelta(days=4)
    with time_machine.travel(friday, tick=False):
        c = submit()
    assert c.due_at == friday + timedelta(days=3)


def test_follow_up_after_answer_restarts_the_clock(submit, officer, head, answerer, reviewer):
    from .test_services import run_to

    with time_machine.travel(MONDAY_9, tick=False):
        c = run_to(submit(), "reviewed", answerer=answerer, reviewer=reviewer)
    with time_machine.travel(MONDAY_9 + timedelta(days=10), tick=False):
        services.consultation_follow_up(consultation=c, user=officer, body="还有疑问")
        c.refresh_from_db()
        assert c.due_at == MONDAY_9 + timedelta(days=13) and c.escalated_at is None
        assert services.escalate_overdue().escalated == []


def test_without_a_head_the_superusers_are_told(submit, site_admin):
    with time_machine.travel(MONDAY_9, tick=False):
        submit()
    with time_machine.travel(MONDAY_9 + timedelta(days=5), tick=False):
        result = services.escalate_overdue()
    assert result.heads == [site_admin]
    assert Notification.objects.filter(recipient=site_admin, kind="escalated").exists()


def test_management_command_prints_progress_and_dry_run_changes_nothing(submit, head):
    with time_machine.travel(MONDAY_9, tick=False):
        c = submit(title="超期未答复的咨询")
    with time_machine.travel(MONDAY_9 + timedelta(days=5), tick=False):
        out = StringIO()
        call_command("escalate_overdue", "--dry-run", stdout=out)
        assert "[1/1]" in out.getvalue() and "would escalate 1" in out.getvalue()
        assert Consultation.objects.get(pk=c.pk).escalated_at is None
        out = StringIO()
        call_command("escalate_overdue", stdout=out)
        assert "escalated 1" in out.getvalue() and "法制大队长" in out.getvalue()
    assert Consultation.objects.get(pk=c.pk).escalated_at is not None


def test_queue_highlights_overdue_and_escalates_from_the_page(client, submit, head, answerer):
    with time_machine.travel(MONDAY_9, tick=False):
        late = submit(title="已经超期的咨询")
    with time_machine.travel(MONDAY_9 + timedelta(days=2, hours=23)):
        fresh = submit(title="刚提交的咨询")
    with time_machine.travel(MONDAY_9 + timedelta(days=4)):
        client.force_login(answerer)
        page = client.get(reverse("legal_online:queue")).content.decode()
        rows = {
            title: ("lo-overdue" in page.split(title)[0].rsplit("<tr", 1)[1])
            for title in ("已经超期的咨询", "刚提交的咨询")
        }
        assert rows == {"已经超期的咨询": True, "刚提交的咨询": False}
        overdue_only = client.get(reverse("legal_online:queue") + "?overdue=1").content.decode()
        assert "已经超期的咨询" in overdue_only and "刚提交的咨询" not in overdue_only
        response = client.post(reverse("legal_online:escalate"))
        assert response.status_code == 302
    late.refresh_from_db()
    fresh.refresh_from_db()
    assert late.escalated_at is not None and fresh.escalated_at is None
    assert Notification.objects.filter(recipient=head, consultation=late, kind="escalated").exists()


def test_officer_cannot_trigger_escalation(client, officer):
    client.force_login(officer)
    assert client.post(reverse("legal_online:escalate")).status_code == 403
