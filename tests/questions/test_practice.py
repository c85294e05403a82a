"""Practice modes through the Django test client, the wrong-answer book, and answer secrecy."""

import re

import pytest

from django.urls import reverse

from questions.models import PracticeSession, Question, ResponseRecord, WrongBookEntry
from questions.services import record_responses

pytestmark = pytest.mark.django_db


def _login(client, user):
    client.force_login(user)
    return client


def _start(client, mode, **params):
    response = client.post(reverse("questions:start"), {"mode": mode, **params})
    assert response.status_code == 302, response.content[:500]
    session = PracticeSession.objects.latest("pk")
    return session, response["Location"]


def _answer(client, session, index, **data):
    url = reverse("questions:session_question", args=[session.pk, index])
    response = client.post(url, data)
    assert response.status_code == 302
    return client.get(url)


@pytest.mark.parametrize("mode", ["random", "sequential", "daily"])
def test_each_general_mode_serves_active_questions_only(client, officer, make_question, mode):
    active = [make_question() for _ in range(3)]
    hidden = [make_question(status=s) for s in ("draft", "reviewed", "retired")]
    _login(client, officer)
    session, location = _start(client, mode)
    assert set(session.question_ids) == {q.pk for q in active}
    assert not set(session.question_ids) & {q.pk for q in hidden}
    page = client.get(location)
    assert page.status_code == 200
    assert "提交答案" in page.content.decode()


def test_question_page_never_shows_the_answer_before_answering(client, officer, make_question):
    question = make_question(explanation="这是只有答题后才能看到的解析", answer="C")
    _login(client, officer)
    session, location = _start(client, "random")
    html = client.get(location).content.decode()
    assert "这是只有答题后才能看到的解析" not in html
    assert "正确答案" not in html
    assert "bg-success" not in html
    page = _answer(client, session, 0, choice="C").content.decode()
    assert "回答正确" in page
    assert "这是只有答题后才能看到的解析" in page
    assert question.pk in session.question_ids


def test_answer_is_stored_once_and_session_advances(client, officer, make_question):
    make_question(answer="B")
    _login(client, officer)
    session, _ = _start(client, "random")
    _answer(client, session, 0, choice="A")
    _answer(client, session, 0, choice="B")  # a second post does not change the first answer
    record = ResponseRecord.objects.get(user=officer)
    assert (record.response, record.correct, record.source, record.source_ref) == (
        "A",
        False,
        "practice",
        str(session.pk),
    )
    session.refresh_from_db()
    assert (session.answered, session.correct, session.finished_at is not None) == (1, 0, True)


def test_empty_answer_is_refused(client, officer, make_question):
    make_question()
    _login(client, officer)
    session, location = _start(client, "random")
    client.post(location, {})
    assert not ResponseRecord.objects.exists()


def test_multiple_choice_and_true_false_and_case(client, officer, make_question, make_case):
    multi = make_question(qtype="multiple", answer="ACD")
    tf = make_question(qtype="true_false", answer="F", stem="判断题干")
    case = make_case()
    _login(client, officer)
    session, _ = _start(client, "sequential")
    order = session.question_ids
    assert order == [multi.pk, tf.pk, case.pk]
    assert "回答正确" in _answer(client, session, 0, choice=["A", "C", "D"]).content.decode()
    assert "回答错误" in _answer(client, session, 1, choice="T").content.decode()
    parts = case.part_list()
    page = _answer(
        client, session, 2, **{f"part-{parts[0].pk}": "A", f"part-{parts[1].pk}": ["B"]}
    ).content.decode()
    assert "回答错误" in page  # second sub-question is BC
    record = ResponseRecord.objects.get(question=case)
    assert record.response == "A|B"
    assert not record.correct


def test_sub_questions_are_never_served_alone(client, officer, make_case):
    case = make_case()
    _login(client, officer)
    session, _ = _start(client, "random")
    assert session.question_ids == [case.pk]


def test_topic_modes_by_law_chapter_and_knowledge_point(
    client, officer, make_question, articles, sample_law
):
    on_first = make_question(articles=[articles[1]], knowledge_points=["出示证件"])
    on_third = make_question(articles=[articles[3]])
    make_question()  # cites nothing
    _login(client, officer)
    session, _ = _start(client, "topic", law=sample_law.pk)
    assert set(session.question_ids) == {on_first.pk, on_third.pk}
    session, _ = _start(client, "topic", law=sample_law.pk, chapter="第二章 处罚")
    assert session.question_ids == [on_third.pk]
    session, _ = _start(client, "topic", knowledge_point="出示证件")
    assert session.question_ids == [on_first.pk]
    home = client.get(reverse("questions:practice_home")).content.decode()
    assert sample_law.title in home and "出示证件" in home
    topics = client.get(reverse("questions:law_topics", args=[sample_law.pk])).content.decode()
    assert "第一章 总则" in topics and "第二章 处罚" in topics


def test_feedback_shows_cited_article_text_and_another_question_on_it(
    client, officer, make_question, articles
):
    first = make_question(articles=[articles[2]], answer="B")
    second = make_question(articles=[articles[2]])
    _login(client, officer)
    session, _ = _start(client, "sequential")
    page = _answer(client, session, 0, choice="B").content.decode()
    assert "人民警察执行职务时，应当出示工作证件。" in page  # in the pop-over
    assert 'name="mode" value="article"' in page
    session, _ = _start(client, "article", article=articles[2].pk, exclude=first.pk)
    assert session.question_ids == [second.pk]


def test_favourites_mode(client, officer, make_question):
    question = make_question()
    make_question()
    _login(client, officer)
    client.post(reverse("questions:toggle_favourite", args=[question.pk]))
    session, _ = _start(client, "favourites")
    assert session.question_ids == [question.pk]


def test_wrong_answers_mode_covers_practice_and_exam_misses(
    client, officer, make_question, settings
):
    practice_miss, exam_miss, right = make_question(), make_question(), make_question()
    record_responses(
        user=officer, items=[(practice_miss, "A", False), (right, "B", True)], source="practice"
    )
    record_responses(
        user=officer, items=[(exam_miss, "C", False)], source="exam", source_ref="attempt-1"
    )
    _login(client, officer)
    session, _ = _start(client, "wrong")
    assert set(session.question_ids) == {practice_miss.pk, exam_miss.pk}
    book = client.get(reverse("questions:wrong_book")).content.decode()
    assert len(re.findall(r'class="wrong-entry"', book)) == 2


def test_wrong_book_drops_a_question_after_n_right_in_a_row(
    client, officer, make_question, settings
):
    settings.QUESTIONS_WRONG_BOOK_CLEAR_STREAK = 3
    question = make_question(answer="B")
    _login(client, officer)

    def practise_wrong_mode(choice):
        session, _ = _start(client, "wrong")
        _answer(client, session, 0, choice=choice)

    record_responses(user=officer, items=[(question, "A", False)], source="exam")
    practise_wrong_mode("B")
    practise_wrong_mode("A")  # a miss resets the streak
    entry = WrongBookEntry.objects.get(user=officer, question=question)
    assert (entry.streak, entry.miss_count) == (0, 2)
    for _ in range(2):
        practise_wrong_mode("B")
    entry.refresh_from_db()
    assert entry.cleared_at is None and entry.streak == 2
    practise_wrong_mode("B")
    entry.refresh_from_db()
    assert entry.cleared_at is not None
    response = client.post(reverse("questions:start"), {"mode": "wrong"})
    assert response.status_code == 302 and response["Location"] == reverse(
        "questions:practice_home"
    )


def test_daily_practice_puts_due_misses_first_then_unseen(officer, make_question, time_machine):
    import datetime

    from questions.selectors import daily_question_ids

    time_machine.move_to(datetime.datetime(2026, 3, 1, 9, tzinfo=datetime.UTC))
    missed = make_question()
    seen_right = make_question()
    unseen = [make_question() for _ in range(3)]
    record_responses(
        user=officer, items=[(missed, "A", False), (seen_right, "B", True)], source="practice"
    )
    today = daily_question_ids(officer, size=4)
    assert missed.pk not in today  # not due until tomorrow
    assert set(today) == {q.pk for q in unseen} | {seen_right.pk}
    assert today[-1] == seen_right.pk  # seen questions only fill the rest
    time_machine.move_to(datetime.datetime(2026, 3, 2, 10, tzinfo=datetime.UTC))
    tomorrow = daily_question_ids(officer, size=4)
    assert tomorrow[0] == missed.pk  # spaced repetition: due the next day
    assert tomorrow == daily_question_ids(officer, size=4)  # stable within a day


def test_progress_page_shows_mastery_and_history(
    client, officer, make_question, articles, sample_law
):
    q1 = make_question(articles=[articles[1]], knowledge_points=["出示证件"], answer="B")
    make_question(articles=[articles[3]])
    _login(client, officer)
    session, _ = _start(client, "topic", law=sample_law.pk)
    _answer(client, session, session.question_ids.index(q1.pk), choice="B")
    page = client.get(reverse("questions:progress")).content.decode()
    assert "<svg" in page
    assert sample_law.title in page
    assert "50%" in page  # 1 of 2 questions on the law mastered
    assert "出示证件" in page


def test_another_officers_session_is_not_found(client, officer, make_user, make_question):
    make_question()
    _login(client, officer)
    session, location = _start(client, "random")
    other = make_user("officer")
    client.force_login(other)
    assert client.get(location).status_code == 404
    assert client.post(location, {"choice": "B"}).status_code == 404
    assert not ResponseRecord.objects.exists()


def test_a_question_retired_mid_session_is_skipped(client, officer, make_question):
    question = make_question(explanation="秘密解析")
    _login(client, officer)
    session, location = _start(client, "random")
    Question.objects.filter(pk=question.pk).update(status="retired")
    html = client.get(location).content.decode()
    assert "已跳过" in html and question.stem not in html and "秘密解析" not in html
    client.post(location, {"choice": "B"})
    assert not ResponseRecord.objects.exists()


def test_anonymous_users_go_to_login(client):
    response = client.get(reverse("questions:practice_home"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_wrong_book_is_paginated(client, officer, make_question):
    from questions.services import record_responses
    from questions.views import WRONG_BOOK_PAGE_SIZE

    questions = [make_question() for _ in range(WRONG_BOOK_PAGE_SIZE + 3)]
    record_responses(user=officer, items=[(q, "A", False) for q in questions], source="practice")
    client.force_login(officer)
    first = client.get(reverse("questions:wrong_book"))
    second = client.get(reverse("questions:wrong_book"), {"page": 2})
    on_first = first.content.decode().count('class="wrong-entry"')
    on_second = second.content.decode().count('class="wrong-entry"')
    assert (on_first, on_second) == (WRONG_BOOK_PAGE_SIZE, 3)
    assert f"共 {WRONG_BOOK_PAGE_SIZE + 3} 道错题" in first.content.decode()
    assert "?page=2" in first.content.decode()
