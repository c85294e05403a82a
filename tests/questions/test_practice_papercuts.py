"""Practice papercuts: no empty sessions, the end-of-session review, 练习本次错题, an empty
favourites list, practising a case's questions, and the import page's dry run by default."""

import pytest

from django.urls import reverse

from questions.models import PracticeSession

pytestmark = pytest.mark.django_db


def _start(client, mode, **params):
    response = client.post(reverse("questions:start"), {"mode": mode, **params})
    assert response.status_code == 302
    return response


def _answer(client, session, index, choice):
    url = reverse("questions:session_question", args=[session.pk, index])
    assert client.post(url, {"choice": choice}).status_code == 302


def test_choosing_modes_does_not_pile_up_empty_sessions(client, officer, make_question):
    for _ in range(3):
        make_question()
    client.force_login(officer)
    for _ in range(4):
        _start(client, "random")
    _start(client, "sequential")
    assert PracticeSession.objects.filter(user=officer).count() == 1
    home = client.get(reverse("questions:practice_home")).content.decode()
    progress = client.get(reverse("questions:progress")).content.decode()
    session = PracticeSession.objects.get(user=officer)
    link = reverse("questions:session_summary", args=[session.pk])
    assert link not in progress  # no record until it has an answer
    _answer(client, session, 0, "B")
    assert link in client.get(reverse("questions:progress")).content.decode()
    assert "继续上次练习" not in home
    assert "继续上次练习" in client.get(reverse("questions:practice_home")).content.decode()
    _start(client, "random")  # the answered session stays
    assert PracticeSession.objects.filter(user=officer, answered__gt=0).count() == 1


def test_summary_lists_answers_keys_and_offers_the_mistakes(client, officer, make_question):
    right, wrong, skipped = make_question(answer="B"), make_question(answer="C"), make_question()
    client.force_login(officer)
    _start(client, "sequential")
    session = PracticeSession.objects.get(user=officer)
    order = session.question_ids
    _answer(client, session, order.index(right.pk), "B")
    _answer(client, session, order.index(wrong.pk), "A")
    page = client.get(reverse("questions:session_summary", args=[session.pk])).content.decode()
    assert "逐题回顾" in page and "未作答" in page
    assert "<strong>C</strong>" in page  # the key of the wrong one, next to the officer's A
    explanation = reverse("questions:session_question", args=[session.pk, order.index(wrong.pk)])
    assert explanation in page
    assert "练习本次错题" in page
    _start(client, "wrong", session=session.pk)
    retry = PracticeSession.objects.latest("pk")
    assert retry.question_ids == [wrong.pk] and retry.title == "本次错题"
    assert skipped.pk not in retry.question_ids


def test_another_officers_session_cannot_be_retried(client, officer, make_user, make_question):
    make_question()
    other = make_user("officer")
    client.force_login(other)
    _start(client, "random")
    theirs = PracticeSession.objects.get(user=other)
    _answer(client, theirs, 0, "A")
    client.force_login(officer)
    response = client.post(reverse("questions:start"), {"mode": "wrong", "session": theirs.pk})
    assert response.status_code == 404
    for hostile in ("x", "-1", "9" * 30, "1 OR 1=1"):
        response = client.post(reverse("questions:start"), {"mode": "wrong", "session": hostile})
        assert response.status_code in (400, 404)
    assert client.get(reverse("questions:session_summary", args=[theirs.pk])).status_code == 404


def test_empty_favourites_say_so_with_a_hint(client, officer, make_question):
    make_question()
    client.force_login(officer)
    home = client.get(reverse("questions:practice_home")).content.decode()
    assert "还没有收藏题目" in home and 'value="favourites"' not in home
    response = client.post(reverse("questions:start"), {"mode": "favourites"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("questions:practice_home")
    assert "收藏夹里还没有题目" in response.content.decode()


def test_case_page_practises_the_questions_on_its_articles(client, officer, make_question):
    import io

    from casebook import demo as case_demo
    from casebook.models import CasePage
    from casebook.selectors import cited_article_ids
    from laws import demo as law_demo

    law_demo.load(stdout=io.StringIO())
    case_demo.load(stdout=io.StringIO())
    case = CasePage.objects.live().filter(case_articles__isnull=False).first()
    from laws.models import Article

    article = Article.objects.get(pk=cited_article_ids(case)[0])
    on_case = make_question(articles=[article])
    make_question()  # cites nothing
    client.force_login(officer)
    page = client.get(case.url).content.decode()
    assert f'name="case" value="{case.pk}"' in page
    _start(client, "topic", case=case.pk)
    session = PracticeSession.objects.latest("pk")
    assert session.question_ids == [on_case.pk]
    for hostile in ("abc", "999999"):
        response = client.post(reverse("questions:start"), {"mode": "topic", "case": hostile})
        assert response.status_code in (400, 404)


def test_question_import_checks_only_by_default(client, legal_staff):
    client.force_login(legal_staff)
    page = client.get("/admin/questions/import/").content.decode()
    import re

    box = re.search(r'<input[^>]*name="dry_run"[^>]*>', page).group(0)
    assert "checked" in box
