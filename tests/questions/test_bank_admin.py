"""The bank in the Wagtail admin: permissions, status workflow, key history, duplicates, import page."""

import io

import pytest

from django.urls import reverse

from wagtail.test.utils.form_data import inline_formset, nested_form_data

from questions.bankfile import template_example_rows, write_xlsx
from questions.models import KeyChange, Question, QuestionStatus
from questions.services import question_create_draft, record_responses
from questions.signals import question_key_changed

pytestmark = pytest.mark.django_db

LIST = "wagtailsnippets_questions_question:list"
ADD = "wagtailsnippets_questions_question:add"
EDIT = "wagtailsnippets_questions_question:edit"


def _form(**overrides):
    options = overrides.pop("options", ["当场盘问", "直接拘留", "不予理睬"])
    data = {
        "qtype": "single",
        "status": "draft",
        "difficulty": 3,
        "points": "1",
        "stem": "民警发现形迹可疑人员，应当：",
        "answer": "A",
        "explanation": "解析",
        "citations": "",
        "knowledge_points": "盘查",
        "level_basic": "on",
        "level_intermediate": "on",
        "level_advanced": "on",
        "source": "",
        "order": 0,
        "options": inline_formset([{"text": t, "key": ""} for t in options]),
    }
    data.update(overrides)
    return nested_form_data(data)


@pytest.mark.parametrize(
    ("role", "status"),
    [("officer", 302), ("unit_leader", 302), ("legal_staff", 200), ("site_admin", 200)],
)
def test_only_staff_reach_the_bank_admin(client, make_user, role, status):
    client.force_login(make_user(role))
    response = client.get(reverse(LIST))
    assert response.status_code == status
    import_page = client.get(reverse("questions_import"))
    assert import_page.status_code in ((302, 403) if status == 302 else (200,))


def test_officers_cannot_download_exports(client, officer, make_question):
    make_question(explanation="机密解析")
    client.force_login(officer)
    response = client.get(reverse("questions_export"))
    assert response.status_code in (302, 403)
    assert b"PK" not in response.content[:2]


def test_legal_staff_create_a_question_with_options_keyed_in_order(client, legal_staff):
    client.force_login(legal_staff)
    response = client.post(reverse(ADD), _form())
    assert response.status_code == 302, response.content.decode()[-3000:]
    question = Question.objects.get()
    assert [(o.key, o.text) for o in question.option_list()] == [
        ("A", "当场盘问"),
        ("B", "直接拘留"),
        ("C", "不予理睬"),
    ]
    assert question.answer_key().correct == frozenset("A")
    assert [t.name for t in question.knowledge_points.all()] == ["盘查"]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"answer": "D"}, "不在选项"),
        ({"answer": "AB"}, "单选题只能有一个答案"),
        ({"options": ["只有一个"]}, "2 至 8 个选项"),
        ({"status": "active"}, "active"),  # not among the allowed next statuses
        ({"citations": "《不存在法》第一条"}, "法规库中找不到"),
    ],
)
def test_invalid_questions_are_refused(client, legal_staff, overrides, message):
    client.force_login(legal_staff)
    response = client.post(reverse(ADD), _form(**overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Question.objects.exists()


def _edit_form(question, **overrides):
    options = [{"id": o.pk, "text": o.text, "key": o.key} for o in question.option_list()]
    overrides = {"stem": question.stem, "answer": question.answer, **overrides}
    data = _form(**overrides)
    data.update(nested_form_data({"options": inline_formset(options, initial=len(options))}))
    return data


def test_status_workflow_is_checked_on_the_server(client, legal_staff):
    client.force_login(legal_staff)
    client.post(reverse(ADD), _form())
    question = Question.objects.get()
    edit = reverse(EDIT, args=[question.pk])
    for status in ("reviewed", "active"):
        response = client.post(edit, _edit_form(question, status=status))
        assert response.status_code == 302, response.content.decode()[-2000:]
        question.refresh_from_db()
        assert question.status == status
    # active -> reviewed skips the workflow: refused, nothing saved
    response = client.post(edit, _edit_form(question, status="reviewed", explanation="改过的解析"))
    assert response.status_code == 200
    question.refresh_from_db()
    assert (question.status, question.explanation) == ("active", "解析")


def test_key_change_of_an_answered_question_is_recorded_and_signalled(
    client, legal_staff, officer, make_question, django_capture_on_commit_callbacks
):
    question = make_question(answer="B", status="draft")
    record_responses(user=officer, items=[(question, "B", True)], source="exam", source_ref="1")
    received = []
    question_key_changed.connect(
        lambda sender, **kw: received.append(kw), weak=False, dispatch_uid="t"
    )
    try:
        client.force_login(legal_staff)
        with django_capture_on_commit_callbacks() as callbacks:
            response = client.post(
                reverse(EDIT, args=[question.pk]), _edit_form(question, answer="C")
            )
        assert response.status_code == 302, response.content.decode()[-2000:]
        # Run only the bank's own after-commit work (the signal), not the search outbox drain.
        for callback in callbacks:
            if callback.__module__ == "questions.services":
                callback()
    finally:
        question_key_changed.disconnect(dispatch_uid="t")
    change = KeyChange.objects.get()
    assert (change.old_answer, change.new_answer, change.answered_count) == ("B", "C", 1)
    assert change.changed_by == legal_staff
    assert received and received[0]["question"] == question


def test_duplicate_is_flagged_on_save(client, legal_staff, make_question):
    original = make_question(
        stem="民警发现形迹可疑人员，应当：",
        options=["不予理睬", "当场盘问", "直接拘留"],
        answer="B",
    )
    client.force_login(legal_staff)
    client.post(reverse(ADD), _form())
    copy = Question.objects.exclude(pk=original.pk).get()
    assert copy.duplicate_of == original
    listing = client.get(reverse(LIST)).content.decode()
    assert f"#{original.pk}" in listing


def test_import_page_rejects_bad_file_and_lists_errors(client, legal_staff):
    client.force_login(legal_staff)
    bad = "题型,题干,选项A,选项B,答案\n单选,好,甲,乙,A\n问答,坏,,,\n单选,坏,甲,乙,AB\n".encode()
    upload = io.BytesIO(bad)
    upload.name = "bank.csv"
    response = client.post(reverse("questions_import"), {"files": upload, "status": "draft"})
    html = response.content.decode()
    assert "未导入任何题目" in html
    assert "bank.csv 第 3 行" in html and "bank.csv 第 4 行" in html
    assert not Question.objects.exists()


def test_import_page_imports_the_template_and_downloads_work(client, legal_staff):
    client.force_login(legal_staff)
    template = client.get(reverse("questions_template"))
    assert template.status_code == 200 and template.content[:2] == b"PK"
    upload = io.BytesIO(write_xlsx(template_example_rows()))
    upload.name = "t.xlsx"
    response = client.post(reverse("questions_import"), {"files": upload, "status": "active"})
    assert response.status_code == 302
    assert Question.objects.top_level().count() == 4
    export = client.get(reverse("questions_export") + "?status=active")
    assert export.content[:2] == b"PK"


def test_question_create_draft_for_legal_online(legal_staff, articles):
    question = question_create_draft(
        stem="某咨询转成的练习题",
        explanation="答复摘要",
        articles=[articles[2]],
        author=legal_staff,
        source="法律在线咨询 #7",
        options=["甲", "乙"],
        answer="B",
    )
    assert question.status == QuestionStatus.DRAFT
    assert list(question.cited_articles.all()) == [articles[2]]
    assert question.answer_key().correct == frozenset("B")


def test_edit_inspect_and_filtered_list_pages_render(
    client, legal_staff, make_case, make_question, articles
):
    case = make_case()
    question = make_question(articles=[articles[1]], status="draft")
    client.force_login(legal_staff)
    for url in (
        reverse(EDIT, args=[case.pk]),
        reverse(EDIT, args=[question.pk]),
        reverse("wagtailsnippets_questions_question:inspect", args=[question.pk]),
        reverse(LIST) + "?status=draft&qtype=single",
        reverse(LIST) + "?q=测试",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
    edit_html = client.get(reverse(EDIT, args=[question.pk])).content.decode()
    assert articles[1].citation in edit_html  # cited articles shown as citations


def _bulk_url(action, questions):
    ids = "&".join(f"id={q.pk}" for q in questions)
    return f"/admin/bulk/questions/question/{action}/?next=/admin/&{ids}"


def test_bulk_activate_changes_valid_questions_and_explains_the_others(
    client, legal_staff, make_question
):
    reviewed = [make_question(status="reviewed") for _ in range(3)]
    draft = make_question(status="draft")  # draft → active skips the review step
    client.force_login(legal_staff)
    url = _bulk_url("question_active", [*reviewed, draft])
    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert "以下 3 道题将改为“已启用”" in html
    assert "以下 1 道题不会改变" in html and "不能从“待审核”直接改为“已启用”" in html
    response = client.post(url)
    assert response.status_code == 302
    assert set(
        Question.objects.filter(pk__in=[q.pk for q in reviewed]).values_list("status", flat=True)
    ) == {"active"}
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_bulk_review_refuses_a_question_without_a_valid_key(client, legal_staff, make_question):
    good = make_question(status="draft")
    keyless = make_question(status="draft")
    Question.objects.filter(pk=keyless.pk).update(answer="")
    client.force_login(legal_staff)
    url = _bulk_url("question_reviewed", [good, keyless])
    html = client.get(url).content.decode()
    assert "以下 1 道题将改为“已审核”" in html and "以下 1 道题不会改变" in html
    client.post(url)
    assert Question.objects.get(pk=good.pk).status == "reviewed"
    assert Question.objects.get(pk=keyless.pk).status == "draft"


def test_bulk_status_needs_the_review_permission(client, make_user, make_question):
    question = make_question(status="reviewed")
    officer = make_user("officer")
    client.force_login(officer)
    client.post(_bulk_url("question_active", [question]))
    assert Question.objects.get(pk=question.pk).status == "reviewed"
