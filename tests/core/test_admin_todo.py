"""The legal staff's to-do list on the Wagtail admin dashboard, on the full demo content."""

import io

import pytest

from django.core.management import call_command
from django.utils import timezone

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    call_command("load_demo_data", "--skip-index", stdout=io.StringIO())


def _items(client):
    response = client.get("/admin/")
    assert response.status_code == 200
    html = response.content.decode()
    return html


def test_dashboard_lists_waiting_work_with_links(client, demo):
    from accounts.models import User
    from casebook.models import Annotation
    from laws.models import ArticleChange
    from legal_online.models import Consultation
    from questions.models import Question

    staff = User.objects.get(username="900001")
    client.force_login(staff)
    html = _items(client)
    assert "待办事项" in html
    overdue = Consultation.objects.open().overdue(timezone.now()).count()
    assert overdue > 0, "the demo has overdue Legal Online questions"
    assert "法律在线 · 已逾期的咨询" in html and "/legal-online/queue/?overdue=1" in html
    assert f">{overdue}</span>" in html  # the count itself, not only the label
    unreviewed = ArticleChange.objects.filter(reviewed=False).count()
    assert unreviewed > 0 and "法规库 · 修改后待复核的条文" in html and "/laws/impact/" in html
    in_review = (
        Question.objects.filter(status="draft", parent__isnull=True)
        .exclude(review_reason="")
        .count()
    )
    if in_review:
        assert "题库 · 因法规修改待复核的题目" in html
    flagged = Annotation.objects.flagged().count()
    assert ("以案释法 · 无法定位、待处理的批注" in html) == bool(flagged)


def test_counts_follow_the_work(client, demo):
    from accounts.models import User
    from laws.models import ArticleChange

    staff = User.objects.get(username="900001")
    client.force_login(staff)
    ArticleChange.objects.update(reviewed=True)
    assert "法规库 · 修改后待复核的条文" not in _items(client)


def test_officers_never_reach_the_dashboard(client, demo):
    from accounts.models import User

    client.force_login(User.objects.get(username="100001"))
    response = client.get("/admin/")
    assert response.status_code in (302, 403)


def test_exam_needing_a_regrade_is_listed_until_regraded(client, demo):
    from accounts.models import User
    from questions.exams import services
    from questions.exams.models import Exam

    staff = User.objects.get(username="900001")
    client.force_login(staff)
    assert "待重新评分的考试" not in _items(client)
    exam = Exam.objects.filter(attempts__isnull=False).distinct().first()
    Exam.objects.filter(pk=exam.pk).update(needs_regrade=True, regrade_note="第 3 题答案更正")
    html = _items(client)
    assert "考试 · 答案已修改、待重新评分的考试" in html and f"/exams/{exam.pk}/regrade/" in html
    services.exam_regrade(exam=exam, by=staff, reason="答案更正")
    assert "待重新评分的考试" not in _items(client)
