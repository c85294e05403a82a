"""The workflow through the services and the real database: each role allowed or refused."""

import pytest

from django.core import mail

from legal_online import services
from legal_online.models import Consultation, Message, Notification, Status
from legal_online.workflow import TransitionError

pytestmark = pytest.mark.django_db


def run_to(consultation, state, *, answerer, reviewer, articles=()):
    if state == "submitted":
        return consultation
    services.consultation_assign(consultation=consultation, user=reviewer, assignee=answerer)
    if state == "assigned":
        return consultation
    services.consultation_answer(
        consultation=consultation, user=answerer, body="可以约束至酒醒。", articles=articles
    )
    if state == "answered":
        return consultation
    services.answer_sign_off(consultation=consultation, user=reviewer)
    if state == "reviewed":
        return consultation
    services.consultation_publish(
        consultation=consultation,
        user=reviewer,
        public_title="醉酒人员能否约束",
        public_question="醉酒人员躺卧路中，能否约束？",
        public_body="可以约束至酒醒。",
    )
    return consultation


def test_full_workflow_from_submission_to_publication(
    submit, officer, answerer, reviewer, articles
):
    c = submit(articles=[articles[3]])
    assert c.status == Status.SUBMITTED and c.due_at > c.submitted_at
    services.consultation_assign(consultation=c, user=reviewer, assignee=answerer)
    answer = services.consultation_answer(
        consultation=c, user=answerer, body="依照第三条，可以约束至酒醒。", articles=[articles[3]]
    )
    c.refresh_from_db()
    assert c.status == Status.ANSWERED and c.answered_at is None
    services.answer_sign_off(consultation=c, user=reviewer, note="同意")
    c.refresh_from_db()
    answer.refresh_from_db()
    assert c.status == Status.REVIEWED and c.answered_at is not None
    assert answer.reviewer == reviewer and answer.answerer == answerer
    assert list(answer.cited_articles.all()) == [articles[3]]
    assert Notification.objects.filter(recipient=officer, kind="answered").exists()
    services.consultation_publish(
        consultation=c,
        user=reviewer,
        public_title="醉酒人员的约束",
        public_question="醉酒人员躺卧路中。",
        public_body="可以约束至酒醒。",
    )
    c.refresh_from_db()
    answer.refresh_from_db()
    assert c.status == Status.PUBLISHED and c.published_at
    # the published version is separate; the private original is untouched
    assert (
        answer.public_body == "可以约束至酒醒。" and answer.body == "依照第三条，可以约束至酒醒。"
    )


@pytest.mark.parametrize(
    "state, action, who, allowed",
    [
        ("submitted", "assign", "officer", False),
        ("submitted", "assign", "answerer", True),
        ("assigned", "answer", "officer", False),
        ("assigned", "answer", "reviewer", False),  # not the assignee
        ("assigned", "answer", "answerer", True),
        ("answered", "sign_off", "officer", False),
        ("answered", "sign_off", "answerer", False),  # wrote the answer
        ("answered", "sign_off", "reviewer", True),
        ("answered", "send_back", "answerer", False),
        ("answered", "send_back", "reviewer", True),
        ("reviewed", "publish", "officer", False),
        ("reviewed", "publish", "other_officer", False),
        ("reviewed", "publish", "answerer", True),
        ("reviewed", "close", "officer", False),
        ("reviewed", "close", "reviewer", True),
        ("submitted", "withdraw", "answerer", False),
        ("submitted", "withdraw", "other_officer", False),
        ("submitted", "withdraw", "officer", True),
        ("reviewed", "follow_up", "other_officer", False),
        ("reviewed", "follow_up", "answerer", False),
        ("reviewed", "follow_up", "officer", True),
        ("published", "publish", "reviewer", False),  # wrong state
        ("submitted", "sign_off", "reviewer", False),
    ],
)
def test_each_role_at_each_step(request, submit, answerer, reviewer, state, action, who, allowed):
    c = run_to(submit(), state, answerer=answerer, reviewer=reviewer)
    c.refresh_from_db()
    user = request.getfixturevalue(who)
    calls = {
        "assign": lambda: services.consultation_assign(
            consultation=c, user=user, assignee=answerer
        ),
        "answer": lambda: services.consultation_answer(consultation=c, user=user, body="答复"),
        "sign_off": lambda: services.answer_sign_off(consultation=c, user=user),
        "send_back": lambda: services.answer_send_back(
            consultation=c, user=user, note="请补充依据"
        ),
        "publish": lambda: services.consultation_publish(
            consultation=c, user=user, public_title="题", public_question="问", public_body="答"
        ),
        "close": lambda: services.consultation_close(consultation=c, user=user, reason="不公开"),
        "withdraw": lambda: services.consultation_withdraw(consultation=c, user=user),
        "follow_up": lambda: services.consultation_follow_up(
            consultation=c, user=user, body="还有一个问题"
        ),
    }
    before = Consultation.objects.get(pk=c.pk).status
    if allowed:
        calls[action]()
    else:
        with pytest.raises(TransitionError):
            calls[action]()
        assert Consultation.objects.get(pk=c.pk).status == before


def test_send_back_then_revise_then_sign_off(submit, answerer, reviewer):
    c = run_to(submit(), "answered", answerer=answerer, reviewer=reviewer)
    services.answer_send_back(consultation=c, user=reviewer, note="请引用条文")
    c.refresh_from_db()
    assert c.status == Status.ASSIGNED
    assert Notification.objects.filter(recipient=answerer, kind="sent_back").exists()
    services.consultation_answer(consultation=c, user=answerer, body="修改后的答复")
    assert c.answers.count() == 1  # revised in place, not a second round
    services.answer_sign_off(consultation=c, user=reviewer)
    c.refresh_from_db()
    assert c.status == Status.REVIEWED


def test_follow_up_reopens_and_starts_a_new_round(submit, officer, answerer, reviewer):
    c = run_to(submit(), "reviewed", answerer=answerer, reviewer=reviewer)
    c.refresh_from_db()
    first_answered = c.answered_at
    services.consultation_follow_up(consultation=c, user=officer, body="如果酒醒后仍闹事呢？")
    c.refresh_from_db()
    assert c.status == Status.ASSIGNED and c.assignee == answerer
    assert Notification.objects.filter(recipient=answerer, kind="follow_up").exists()
    services.consultation_answer(consultation=c, user=answerer, body="可依法处理。")
    assert c.answers.count() == 2
    services.answer_sign_off(consultation=c, user=reviewer)
    c.refresh_from_db()
    assert c.answered_at == first_answered  # time to answer counts the first answer


def test_follow_up_on_open_question_keeps_state(submit, officer):
    c = submit()
    services.consultation_follow_up(consultation=c, user=officer, body="补充：现场有监控")
    c.refresh_from_db()
    assert c.status == Status.SUBMITTED
    assert c.messages.filter(kind=Message.Kind.FOLLOW_UP).count() == 1


def test_auto_assignment_by_category(submit, category, answerer):
    category.default_answerer = answerer
    category.save()
    c = submit()
    assert c.status == Status.ASSIGNED and c.assignee == answerer
    assert Notification.objects.filter(recipient=answerer, kind="assigned").exists()


def test_auto_assignment_from_settings_map(settings, submit, answerer):
    settings.LEGAL_ONLINE_AUTO_ASSIGN = {"zhian": answerer.username}
    assert submit().assignee == answerer


def test_auto_assignment_ignores_user_without_permission(submit, category, other_officer):
    category.default_answerer = other_officer
    category.save()
    assert submit().status == Status.SUBMITTED


def test_assign_by_hand_refuses_an_officer(submit, reviewer, other_officer):
    c = submit()
    with pytest.raises(TransitionError, match="没有答复咨询的权限"):
        services.consultation_assign(consultation=c, user=reviewer, assignee=other_officer)


def test_due_date_follows_category_setting(submit, category, settings):
    settings.LEGAL_ONLINE_DUE = {"working_days": False, "default_days": 5}
    category.due_days = 2
    category.save()
    c = submit()
    assert (c.due_at - c.submitted_at).days == 2


def test_close_as_duplicate_points_asker_to_the_published_answer(
    submit, officer, other_officer, answerer, reviewer
):
    original = run_to(
        submit(asker=other_officer), "published", answerer=answerer, reviewer=reviewer
    )
    c = submit()
    services.consultation_close_duplicate(consultation=c, user=reviewer, duplicate_of=original)
    c.refresh_from_db()
    assert c.status == Status.CLOSED and c.duplicate_of == original
    note = Notification.objects.get(recipient=officer, kind="duplicate")
    assert note.url == original.get_faq_url()


def test_duplicate_of_another_officers_private_answer_is_refused(
    submit, other_officer, answerer, reviewer
):
    private = run_to(submit(asker=other_officer), "reviewed", answerer=answerer, reviewer=reviewer)
    c = submit()
    with pytest.raises(TransitionError):
        services.consultation_close_duplicate(consultation=c, user=reviewer, duplicate_of=private)


def test_email_only_when_configured(
    search_index, settings, submit, officer, answerer, reviewer, django_capture_on_commit_callbacks
):
    officer.email = "officer@example.test"
    officer.save()
    settings.NOTIFY_BY_EMAIL = False
    with django_capture_on_commit_callbacks(execute=True):
        run_to(submit(), "reviewed", answerer=answerer, reviewer=reviewer)
    assert mail.outbox == []
    settings.NOTIFY_BY_EMAIL = True
    with django_capture_on_commit_callbacks(execute=True):
        run_to(submit(), "reviewed", answerer=answerer, reviewer=reviewer)
    assert [m.to for m in mail.outbox] == [["officer@example.test"]]
    assert "已答复" in mail.outbox[0].subject


def test_law_change_flags_answers_as_maybe_outdated(
    search_index, submit, answerer, reviewer, articles, django_capture_on_commit_callbacks
):
    from datetime import date

    from tests.legal_online.conftest import LAW_V2, import_law

    c = run_to(submit(), "published", answerer=answerer, reviewer=reviewer, articles=[articles[3]])
    untouched = run_to(
        submit(), "reviewed", answerer=answerer, reviewer=reviewer, articles=[articles[2]]
    )
    with django_capture_on_commit_callbacks(execute=True):
        import_law(LAW_V2, date(2025, 6, 1))
    answer = c.official_answer()
    assert answer.outdated_since is not None
    assert untouched.official_answer().outdated_since is None
    # the impact list and the cited-by panel know about it
    from laws.citations import cited_by, impact_of
    from laws.models import ArticleChange

    change = ArticleChange.objects.get(old_article=articles[3])
    items = [g for g in impact_of(change) if g.kind == "answer"][0].items
    assert [i.url for i in items] == [c.get_faq_url()]
    groups = {g.kind: g for g in cited_by(*articles[3].key, staff=False)}
    assert groups["answer"].count == 1
