"""Pages through the Django test client: roles at each URL, privacy, escaping, rate limits."""

from datetime import UTC

import pytest

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from legal_online import services
from legal_online.models import Consultation, Notification, Status

from .test_services import run_to

pytestmark = pytest.mark.django_db

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def login(client, user):
    client.force_login(user)
    return client


def test_landing_page_is_named_index(client):
    response = client.get(reverse("legal_online:index"))
    assert response.status_code == 200
    assert "法律在线" in response.content.decode()


def test_officer_asks_through_the_form(client, officer, category, articles):
    login(client, officer)
    response = client.get(reverse("legal_online:ask"))
    assert response.status_code == 200
    assert b"search-before-asking" in response.content
    response = client.post(
        reverse("legal_online:ask"),
        {
            "title": "醉酒人员能否约束至酒醒",
            "category": category.pk,
            "description": "巡逻时发现一名醉酒人员躺卧在机动车道，劝离无效。",
            "related_articles": "《示例市道路巡查管理规定》第三条",
            "show_name": "on",
            "attachments": [
                SimpleUploadedFile("现场说明.txt", "现场情况".encode(), content_type="text/plain")
            ],
        },
    )
    c = Consultation.objects.get()
    assert response.status_code == 302 and response["Location"] == c.get_absolute_url()
    assert c.asker == officer and c.show_name and list(c.related_articles.all()) == [articles[3]]
    assert c.attachments.get().original_name == "现场说明.txt"


@pytest.mark.parametrize(
    "field, value, error",
    [
        ("related_articles", "《示例市道路巡查管理规定》第九十九条", "第 1 项"),
        ("title", "短", "标题至少 5 个字"),
    ],
)
def test_ask_form_reports_bad_input_and_saves_nothing(
    client, officer, category, law, field, value, error
):
    login(client, officer)
    data = {
        "title": "醉酒人员能否约束至酒醒",
        "category": category.pk,
        "description": "巡逻时发现一名醉酒人员躺卧在机动车道。",
    }
    data[field] = value
    response = client.post(reverse("legal_online:ask"), data)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not Consultation.objects.exists()


@pytest.mark.parametrize(
    "name, content, error",
    [
        ("病毒.exe", b"MZ", "类型不允许"),
        ("空.pdf", b"", "空文件"),
    ],
)
def test_attachment_type_and_size_are_checked(
    client, officer, category, settings, name, content, error
):
    login(client, officer)
    response = client.post(
        reverse("legal_online:ask"),
        {
            "title": "醉酒人员能否约束至酒醒",
            "category": category.pk,
            "description": "巡逻时发现一名醉酒人员躺卧在机动车道。",
            "attachments": [SimpleUploadedFile(name, content)],
        },
    )
    assert error in response.content.decode() and name in response.content.decode()
    assert not Consultation.objects.exists()


def test_attachment_too_large(client, officer, category, settings):
    settings.LEGAL_ONLINE_ATTACHMENT_MAX_MB = 1
    login(client, officer)
    response = client.post(
        reverse("legal_online:ask"),
        {
            "title": "醉酒人员能否约束至酒醒",
            "category": category.pk,
            "description": "巡逻时发现一名醉酒人员躺卧在机动车道。",
            "attachments": [SimpleUploadedFile("大.pdf", b"0" * (1024 * 1024 + 1))],
        },
    )
    assert "超过 1 MB" in response.content.decode()
    assert not Consultation.objects.exists()


# --- privacy: an officer never sees another officer's unpublished question ---------------------


@pytest.mark.parametrize("state", ["submitted", "assigned", "answered", "reviewed"])
def test_other_officer_cannot_open_unpublished_question(
    client, submit, officer, other_officer, answerer, reviewer, state
):
    c = run_to(
        submit(asker=officer, title="私密的咨询标题"), state, answerer=answerer, reviewer=reviewer
    )
    login(client, other_officer)
    for name in ("detail", "faq_detail"):
        assert client.get(reverse(f"legal_online:{name}", args=[c.pk])).status_code == 404
    assert client.get(reverse("legal_online:api_detail", args=[c.pk])).status_code == 404
    listing = client.get(reverse("legal_online:api_list")).json()
    assert listing["count"] == 0
    for url in (
        reverse("legal_online:mine"),
        reverse("legal_online:faq"),
        reverse("legal_online:index"),
    ):
        assert "私密的咨询标题" not in client.get(url).content.decode()
    assert client.get(reverse("legal_online:attachment", args=[c.pk, 1])).status_code == 404


def test_published_question_shows_only_the_edited_version(
    client, submit, officer, other_officer, answerer, reviewer
):
    c = run_to(
        submit(asker=officer, title="原始标题含张三", description="当事人张三在某路口……"),
        "published",
        answerer=answerer,
        reviewer=reviewer,
    )
    login(client, other_officer)
    assert client.get(reverse("legal_online:detail", args=[c.pk])).status_code == 404
    page = client.get(reverse("legal_online:faq_detail", args=[c.pk])).content.decode()
    assert "醉酒人员能否约束" in page and "张三" not in page
    assert officer.display_name not in page  # the asker did not consent to show their name


def test_asker_name_shown_only_with_consent(
    client, submit, officer, other_officer, answerer, reviewer
):
    c = run_to(
        submit(asker=officer, show_name=True), "published", answerer=answerer, reviewer=reviewer
    )
    login(client, other_officer)
    assert (
        officer.display_name
        in client.get(reverse("legal_online:faq_detail", args=[c.pk])).content.decode()
    )


def test_asker_does_not_see_unsigned_draft_or_internal_notes(
    client, submit, officer, answerer, reviewer
):
    c = run_to(submit(), "answered", answerer=answerer, reviewer=reviewer)
    services.message_post(consultation=c, user=answerer, body="内部讨论：此案敏感", internal=True)
    login(client, officer)
    page = client.get(reverse("legal_online:detail", args=[c.pk])).content.decode()
    assert "可以约束至酒醒" not in page and "内部讨论" not in page
    login(client, reviewer)
    page = client.get(reverse("legal_online:detail", args=[c.pk])).content.decode()
    assert "可以约束至酒醒" in page and "内部讨论" in page


def test_search_never_shows_another_officers_unpublished_question(
    search_index,
    client,
    submit,
    officer,
    other_officer,
    answerer,
    reviewer,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        run_to(
            submit(asker=officer, title="约束醉酒人员的期限问题"),
            "reviewed",
            answerer=answerer,
            reviewer=reviewer,
        )
        run_to(
            submit(asker=officer, title="约束醉酒人员的场所问题"),
            "published",
            answerer=answerer,
            reviewer=reviewer,
        )
    login(client, other_officer)
    response = client.get("/api/search/", {"q": "醉酒", "kind": "answer"})
    assert response.status_code == 200, response.content
    titles = [r["title"] for r in response.json()["results"]]
    assert titles == ["醉酒人员能否约束"]  # the published, edited title only
    login(client, reviewer)
    staff_titles = {
        r["title"]
        for r in client.get("/api/search/", {"q": "醉酒", "kind": "answer"}).json()["results"]
    }
    assert "约束醉酒人员的期限问题" in staff_titles


# --- staff URLs by role ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "who, expected",
    [("officer", 403), ("unit_leader", 403), ("answerer", 200), ("site_admin", 200)],
)
def test_queue_needs_the_answer_permission(request, client, who, expected):
    login(client, request.getfixturevalue(who))
    assert client.get(reverse("legal_online:queue")).status_code == expected


def test_queue_requires_login(client):
    response = client.get(reverse("legal_online:queue"))
    assert response.status_code in (302, 403)


@pytest.mark.parametrize(
    "who, state, url_name, data, allowed",
    [
        ("officer", "submitted", "assign", {"assignee": ""}, False),
        ("answerer", "submitted", "assign", {}, True),
        ("officer", "assigned", "answer", {"body": "答复"}, False),
        ("reviewer", "assigned", "answer", {"body": "答复"}, False),
        ("answerer", "assigned", "answer", {"body": "答复"}, True),
        ("officer", "answered", "review", {"sign_off": "1"}, False),
        ("answerer", "answered", "review", {"sign_off": "1"}, False),
        ("reviewer", "answered", "review", {"sign_off": "1"}, True),
        (
            "officer",
            "reviewed",
            "publish",
            {
                "public_title": "t",
                "public_question": "q",
                "public_body": "b",
                "details_removed": "on",
            },
            False,
        ),
        (
            "reviewer",
            "reviewed",
            "publish",
            {
                "public_title": "t",
                "public_question": "q",
                "public_body": "b",
                "details_removed": "on",
            },
            True,
        ),
        ("officer", "reviewed", "close", {"reason": "x"}, False),
        ("reviewer", "reviewed", "close", {"reason": "x"}, True),
        ("other_officer", "reviewed", "follow_up", {"body": "追问"}, False),
        ("officer", "reviewed", "follow_up", {"body": "追问"}, True),
        ("other_officer", "submitted", "withdraw", {}, False),
        ("officer", "submitted", "withdraw", {}, True),
    ],
)
def test_workflow_urls_by_role(
    request, client, submit, officer, answerer, reviewer, who, state, url_name, data, allowed
):
    c = run_to(submit(), state, answerer=answerer, reviewer=reviewer)
    if url_name == "assign":
        cat = c.category
        cat.default_answerer = answerer
        cat.save()
    before = Consultation.objects.get(pk=c.pk).status
    login(client, request.getfixturevalue(who))
    response = client.post(reverse(f"legal_online:{url_name}", args=[c.pk]), data)
    after = Consultation.objects.get(pk=c.pk).status
    if allowed:
        assert response.status_code == 302
        assert after != before or url_name == "follow_up" and before in ("submitted",)
    else:
        assert response.status_code in (302, 403, 404)
        assert after == before


def test_browser_flow_equivalent_through_client(client, officer, answerer, reviewer, category):
    """Submission to published answer with the pages staff really use."""
    login(client, officer)
    client.post(
        reverse("legal_online:ask"),
        {
            "title": "醉酒人员能否约束至酒醒",
            "category": category.pk,
            "description": "巡逻时发现一名醉酒人员躺卧在机动车道。",
        },
    )
    c = Consultation.objects.get()
    login(client, reviewer)
    client.post(reverse("legal_online:assign", args=[c.pk]), {"assignee": answerer.pk})
    login(client, answerer)
    assert client.get(reverse("legal_online:answer", args=[c.pk])).status_code == 200
    client.post(reverse("legal_online:answer", args=[c.pk]), {"body": "可以约束至酒醒。"})
    login(client, reviewer)
    client.post(reverse("legal_online:review", args=[c.pk]), {"sign_off": "1", "note": "同意"})
    page = client.get(reverse("legal_online:publish", args=[c.pk]))
    assert page.status_code == 200
    client.post(
        reverse("legal_online:publish", args=[c.pk]),
        {
            "public_title": "醉酒人员的约束",
            "public_question": "醉酒人员躺卧机动车道。",
            "public_body": "可以约束至酒醒。",
            "details_removed": "on",
        },
    )
    c.refresh_from_db()
    assert c.status == Status.PUBLISHED
    login(client, officer)
    assert Notification.objects.filter(recipient=officer, read_at__isnull=True).count() == 2
    assert "醉酒人员的约束" in client.get(reverse("legal_online:faq")).content.decode()


# --- escaping ------------------------------------------------------------------------------------


def test_no_html_or_script_injection(client, submit, officer, other_officer, answerer, reviewer):
    c = submit(title=f"标题{XSS}", description=f"描述{XSS}\n第二行")
    services.consultation_follow_up(consultation=c, user=officer, body=f"追问{XSS}")
    services.consultation_assign(consultation=c, user=reviewer, assignee=answerer)
    services.consultation_answer(consultation=c, user=answerer, body=f"答复{XSS}")
    services.answer_sign_off(consultation=c, user=reviewer, note=XSS)
    services.consultation_publish(
        consultation=c,
        user=reviewer,
        public_title=f"公开{XSS}",
        public_question=f"问{XSS}",
        public_body=f"答{XSS}",
    )
    pages = []
    login(client, officer)
    pages += [
        client.get(reverse("legal_online:detail", args=[c.pk])),
        client.get(reverse("legal_online:mine")),
        client.get(reverse("legal_online:notifications")),
    ]
    login(client, reviewer)
    pages += [
        client.get(reverse("legal_online:detail", args=[c.pk])),
        client.get(reverse("legal_online:queue") + "?status=all"),
    ]
    login(client, other_officer)
    pages += [
        client.get(reverse("legal_online:faq")),
        client.get(reverse("legal_online:faq_detail", args=[c.pk])),
        client.get(reverse("legal_online:index")),
    ]
    for response in pages:
        html = response.content.decode()
        assert response.status_code == 200
        assert "<script>alert" not in html and "<img src=x" not in html, response.request[
            "PATH_INFO"
        ]
    detail = pages[0].content.decode()
    assert "&lt;script&gt;" in detail
    assert (
        "描述&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;<br>第二行"
        in detail
    )


# --- rate limits ---------------------------------------------------------------------------------


def test_rate_limit_per_hour(client, officer, category, settings):
    settings.LEGAL_ONLINE_RATE_LIMITS = {"hour": 2, "day": 10}
    login(client, officer)
    data = {
        "title": "醉酒人员能否约束至酒醒",
        "category": category.pk,
        "description": "巡逻时发现一名醉酒人员躺卧在机动车道。",
    }
    for _i in range(2):
        assert client.post(reverse("legal_online:ask"), data).status_code == 302
    response = client.post(reverse("legal_online:ask"), data)
    assert response.status_code == 200
    assert "每小时最多提交 2 次" in response.content.decode()
    assert Consultation.objects.count() == 2


def test_rate_limit_window_passes_and_is_per_user(
    client, officer, other_officer, category, settings, submit
):
    from datetime import datetime, timedelta

    import time_machine

    from legal_online.services import RateLimited

    settings.LEGAL_ONLINE_RATE_LIMITS = {"hour": 1, "day": 2}
    start = datetime(2026, 5, 4, 9, 10, tzinfo=UTC)
    with time_machine.travel(start, tick=False):
        submit()
        with pytest.raises(RateLimited):
            submit()
        submit(asker=other_officer)  # another officer is not affected
    with time_machine.travel(start + timedelta(hours=1), tick=False):
        submit()
        with pytest.raises(RateLimited, match="每天"):
            submit()
    with time_machine.travel(start + timedelta(days=1), tick=False):
        submit()


def test_follow_ups_count_towards_the_limit(officer, submit, settings):
    from legal_online.services import RateLimited

    settings.LEGAL_ONLINE_RATE_LIMITS = {"hour": 2}
    c = submit()
    services.consultation_follow_up(consultation=c, user=officer, body="补充一")
    with pytest.raises(RateLimited):
        services.consultation_follow_up(consultation=c, user=officer, body="补充二")


# --- notifications -----------------------------------------------------------------------------


def test_unread_badge_and_mark_read(client, submit, officer, answerer, reviewer):
    c = run_to(submit(), "reviewed", answerer=answerer, reviewer=reviewer)
    login(client, officer)
    page = client.get(reverse("legal_online:index")).content.decode()
    assert 'id="lo-unread">1<' in page
    note = Notification.objects.get(recipient=officer)
    response = client.get(reverse("legal_online:notification_open", args=[note.pk]))
    assert response["Location"] == c.get_absolute_url()
    assert 'id="lo-unread"' not in client.get(reverse("legal_online:index")).content.decode()


def test_notifications_of_others_are_not_reachable(
    client, submit, officer, other_officer, answerer, reviewer
):
    run_to(submit(), "reviewed", answerer=answerer, reviewer=reviewer)
    note = Notification.objects.get(recipient=officer)
    login(client, other_officer)
    assert client.get(reverse("legal_online:notification_open", args=[note.pk])).status_code == 404


def test_figures_page_for_staff_only(client, submit, officer, answerer, reviewer):
    run_to(submit(), "published", answerer=answerer, reviewer=reviewer)
    login(client, officer)
    assert client.get(reverse("legal_online:figures")).status_code == 403
    login(client, reviewer)
    page = client.get(reverse("legal_online:figures")).content.decode()
    assert "<svg" in page and "100.0%" in page
    assert "答复疑难问题 1 个" in page


def test_faq_list_query_count_does_not_grow_with_entries(
    settings, client, submit, answerer, reviewer
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.LEGAL_ONLINE_RATE_LIMITS = {}

    def queries_for_faq():
        client.get(reverse("legal_online:faq"))  # warm per-site caches (navigation settings)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("legal_online:faq"))
        return len(ctx), response.content.decode().count("醉酒人员能否约束")

    run_to(submit(), "published", answerer=answerer, reviewer=reviewer)
    one, shown = queries_for_faq()
    assert shown == 1
    for _i in range(5):
        run_to(submit(), "published", answerer=answerer, reviewer=reviewer)
    six, shown = queries_for_faq()
    assert shown == 6 and six == one
