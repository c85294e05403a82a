"""A question citing an article that a newer law version changes or removes goes back to review."""

import datetime

import pytest

from laws.citations import cited_by, impact_of
from questions.models import QuestionStatus

from .conftest import LAW_LINES_V1, import_law

pytestmark = pytest.mark.django_db

V2 = [
    LAW_LINES_V1[0],
    "第一章 总则",
    "第一条 为了规范示例执法活动，制定本法。",
    "第二条 人民警察执行职务时，应当出示工作证件，并告知当事人理由。",  # changed
    "第二章 处罚",
    # 第三条 removed
]


def _import_v2(capture):
    with capture() as callbacks:
        result = import_law(V2, version_date=datetime.date(2024, 1, 1))
    for callback in callbacks:
        if callback.__module__.startswith("laws"):
            callback()  # sends laws.signals.articles_changed (the search reindex is left out)
    return result


def test_changed_and_removed_articles_send_questions_to_review(
    make_question, make_case, articles, django_capture_on_commit_callbacks
):
    on_changed = make_question(articles=[articles[2]])
    on_removed = make_question(articles=[articles[3]])
    untouched = make_question(articles=[articles[1]])
    case = make_case()
    case.part_list()[0].cited_articles.add(articles[2])

    result = _import_v2(django_capture_on_commit_callbacks)
    assert {c.kind for c in result.changes} == {"changed", "removed"}

    for question in (on_changed, on_removed, case):
        question.refresh_from_db()
        assert question.status == QuestionStatus.DRAFT
    assert "第二条" in on_changed.review_reason and "已修改" in on_changed.review_reason
    assert "第三条" in on_removed.review_reason and "删除或废止" in on_removed.review_reason
    assert all(p.status == QuestionStatus.DRAFT for p in case.part_list())
    untouched.refresh_from_db()
    assert untouched.status == QuestionStatus.ACTIVE
    # The citation stays pinned to the version the question was written against.
    assert list(on_changed.cited_articles.all()) == [articles[2]]


def test_questions_under_review_leave_practice(
    client, officer, make_question, articles, django_capture_on_commit_callbacks
):
    from django.urls import reverse

    question = make_question(articles=[articles[2]])
    _import_v2(django_capture_on_commit_callbacks)
    client.force_login(officer)
    response = client.post(reverse("questions:start"), {"mode": "random"})
    assert response["Location"] == reverse("questions:practice_home")
    assert question.pk  # nothing to practise: the only question is under review


def test_cited_by_and_impact_lists_include_questions(
    make_question, articles, django_capture_on_commit_callbacks
):
    question = make_question(articles=[articles[2]])
    article = articles[2]
    groups = {
        g.kind: g for g in cited_by(article.law_id, article.number, article.suffix, staff=True)
    }
    assert groups["questions"].count == 1
    assert str(question) in groups["questions"].items[0].title
    officer_view = {
        g.kind: g for g in cited_by(article.law_id, article.number, article.suffix, staff=False)
    }
    assert officer_view["questions"].count == 0  # bank questions are staff only

    result = _import_v2(django_capture_on_commit_callbacks)
    change = next(c for c in result.changes if c.old_article_id == article.pk)
    impact = {g.kind: g for g in impact_of(change)}
    assert impact["questions"].count == 1


def test_search_documents_are_staff_only(make_question, make_case):
    from search.registry import providers

    make_question(stem="关于盘查的题目", explanation="解析")
    make_case()
    docs = list(providers()["question"]())
    assert len(docs) == 2
    assert all(
        d.kind == "question" and d.staff_only and d.key.startswith("question:") for d in docs
    )
    assert any("盘查" in d.body for d in docs)
