"""The no-leak walk: during an open attempt, no route of the whole site shows the officer the
key or the explanation of a question on their paper (issue 11, item 1).

The attacker is the officer sitting the exam, in a second tab. The walk resolves the whole
URLconf (the site's own routes, Wagtail's admin, Django's admin, the APIs, Wagtail's page
serving), fills every path parameter with ids that matter (the bank ids of the paper's
questions, the officer's own attempts and practice sessions, the law and article ids the
paper's questions cite, both exams), GETs each URL, and then does what an attacker would do
in practice: favourite every paper question by bank id, start practice in every mode
(sequential, random, daily, wrong-answer book, favourites, by law, chapter, knowledge point,
"another question on this article"), open and answer every question of every session, search
for every stem, open the law and article pages (cited-by panel), and open the review of an
earlier exam whose answers are shown at once and which shared questions with this one.

No response may contain the explanation of a paper question; outside the exam's own attempt
pages no response may contain even its stem (the policy withholds the question entirely).
"""

from __future__ import annotations

import datetime
import re
from datetime import timedelta

import pytest

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern
from django.utils import timezone

from questions.exams import services
from questions.exams.models import Attempt, Exam, ExamQuestion
from questions.models import Favourite, PracticeSession, Question, WrongBookEntry
from tests.questions.conftest import LAW_LINES_V1, import_law

pytestmark = pytest.mark.django_db


def _walk_patterns(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk_patterns(p.url_patterns, prefix + _route(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + _route(p.pattern)


def _route(pattern) -> str:
    text = str(pattern)
    if isinstance(pattern, RegexPattern):
        text = text.removeprefix("^").removesuffix("$")
    return text


_CONVERTER = re.compile(r"<(?:(?P<conv>[^>:]+):)?(?P<name>\w+)>")
_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>[^)]*\)")


def _fill(route: str, values) -> list[str]:
    """Concrete paths for a route: each parameter filled by every candidate for its name
    (``values(name, converter)``); other parameters take their first candidate."""
    names = [m.group("name") for m in _CONVERTER.finditer(route)] + [
        m.group("name") for m in _GROUP.finditer(route)
    ]
    if not names:
        return ["/" + re.sub(r"[\\^$?]", "", route)]
    converters = {m.group("name"): m.group("conv") or "str" for m in _CONVERTER.finditer(route)}
    paths = []
    for varied in names:
        for value in values(varied, converters.get(varied, "regex")):
            chosen = {
                n: (value if n == varied else values(n, converters.get(n, "regex"))[0])
                for n in names
            }

            def value_of(match, chosen=chosen):
                return str(chosen[match.group("name")])

            path = _GROUP.sub(value_of, _CONVERTER.sub(value_of, route))
            paths.append("/" + path.replace("\\", ""))
    return list(dict.fromkeys(paths))


@pytest.fixture
def scene(bank, make_exam, officer, home_page):
    """An officer in the middle of exam A, whose earlier exam B shared questions with it."""
    law = import_law(LAW_LINES_V1, version_date=datetime.date(2020, 1, 1)).law
    from laws.models import Article

    articles = list(Article.objects.filter(law=law).order_by("pk"))
    # Unique texts, so that one question's text is never a prefix of another's.
    for q in Question.objects.filter(parent__isnull=True):
        Question.objects.filter(pk=q.pk).update(
            stem=f"{q.stem}【题干{q.pk}号】", explanation=f"【解析{q.pk}号】{q.explanation}"
        )
        q.cited_articles.set([articles[q.pk % len(articles)]])
    # Before the exam the officer favourited and missed every question (the attack's set-up).
    for q in Question.objects.filter(parent__isnull=True, status="active"):
        Favourite.objects.create(user=officer, question=q)
        WrongBookEntry.objects.create(
            user=officer, question=q, miss_count=1, due_at=timezone.now() - timedelta(days=1)
        )
    now = timezone.now()
    # Exam B: closed yesterday, shows answers at once; its fixed paper holds the multiple-choice
    # questions, which exam A's blueprint can draw too.
    earlier = Exam.objects.create(
        title="上月模拟考试",
        kind="mock",
        paper_mode="fixed",
        opens_at=now - timedelta(days=2),
        closes_at=now - timedelta(days=1),
        published=True,
        answers_visibility="immediately",
        score_visibility="immediately",
    )
    for n, q in enumerate(bank["multiple"]):
        ExamQuestion.objects.create(exam=earlier, question=q, sort_order=n, points=2)
    sat = now - timedelta(days=2) + timedelta(hours=1)
    old = services.attempt_start(exam=earlier, officer=officer, now=sat)
    services.attempt_submit(
        attempt_id=old.pk, officer=officer, reason="officer", now=sat + timedelta(minutes=5)
    )
    # Exam A: open now; singles on one knowledge point, then multiple choice and true/false.
    exam = make_exam(
        sections=[
            ("single", 3, "2", "单选题"),
            ("multiple", 2, "5", "多选题"),
            ("true_false", 2, "5", "判断题"),
        ]
    )
    section = exam.sections.get(qtype="single")
    section.knowledge_point = "拘留"
    section.save()
    Exam.objects.filter(pk=exam.pk).update(updated_at=now - timedelta(minutes=10))
    exam.refresh_from_db()
    services.clear_rules_cache()
    attempt = services.attempt_start(exam=exam, officer=officer)
    paper = Question.objects.filter(pk__in=attempt.question_ids())
    return {
        "exam": exam,
        "earlier": earlier,
        "attempt": attempt,
        "old_attempt": old,
        "law": law,
        "articles": articles,
        "paper": list(paper),
    }


def test_no_route_shows_the_key_or_explanation_of_an_open_paper(scene, officer):
    # Server errors are the hostile URL walk's business (tests/security); here a 500 page is
    # searched for leaks like any other response instead of stopping the walk.
    c = Client(raise_request_exception=False)
    c.force_login(officer)
    attempt, old = scene["attempt"], scene["old_attempt"]
    paper = scene["paper"]
    explanations = [q.explanation for q in paper]
    stems = [q.stem for q in paper]
    # The exam's own pages may show the stems (never the explanations).
    own_pages = (
        f"/exams/attempts/{attempt.pk}/",
        f"/api/exams/attempts/{attempt.pk}/",
        f"/exams/attempts/{old.pk}/",
        f"/api/exams/attempts/{old.pk}/",
    )
    checked = []

    def check(response, path):
        body = response.content.decode("utf-8", errors="replace")
        for text in explanations:
            assert text not in body, f"explanation of a paper question in {path}"
        if not path.startswith(own_pages):
            for text in stems:
                assert text not in body, f"a paper question in {path}"
        checked.append((path, response.status_code))

    def get(path, **params):
        response = c.get(path, params)
        check(response, path)
        return response

    def post(path, data=None, **extra):
        response = c.post(path, data or {}, **extra)
        check(response, path)
        return response

    # 1. Every URL pattern with the ids that matter.
    sessions_before = list(
        PracticeSession.objects.filter(user=officer).values_list("pk", flat=True)
    )
    ints = {
        "question": [q.pk for q in paper],
        "attempt": [attempt.pk, old.pk],
        "exam": [scene["exam"].pk, scene["earlier"].pk],
        "law": [scene["law"].pk],
        "article": [a.pk for a in scene["articles"]],
        "page": [scene["law"].pk, *[a.pk for a in scene["articles"]]],
    }
    every_id = sorted({v for vs in ints.values() for v in vs} | set(sessions_before))

    def values(name, converter):
        if converter in ("str", "slug", "path", "regex") and name not in ("pk", "id"):
            if name == "format":
                return ["json"]
            return [scene["law"].slug, "x"]
        for key, ids in ints.items():
            if key in name:
                return ids
        return every_id

    routes = list(_walk_patterns(get_resolver().url_patterns))
    assert len(routes) > 300  # the whole URLconf, Wagtail's and Django's admin included
    for route in routes:
        if "logout" in route:
            continue  # the walk keeps its session
        for path in _fill(route, values):
            get(path)

    # 2. Pages of the library: the law page and its articles (cited-by panel), search.
    get(scene["law"].url)
    for article in scene["articles"]:
        get(article.get_absolute_url())
    for q in paper:
        get("/search/", q=q.stem[:12])
        get("/api/search/", q=q.stem[:12])
        get("/search/suggest/", q=q.stem[:6])

    # 3. Practice, as an attacker: favourite by bank id, then every mode.
    for q in paper:
        r = post(f"/practice/favourite/{q.pk}/", {"next": "/practice/"})
        assert r.status_code == 404
    modes = [
        {"mode": "sequential"},
        {"mode": "random", "size": "50"},
        {"mode": "daily"},
        {"mode": "wrong"},
        {"mode": "favourites"},
        {"mode": "topic", "law": scene["law"].pk},
        {"mode": "topic", "law": scene["law"].pk, "chapter": "第一章 总则"},
        {"mode": "topic", "knowledge_point": "拘留"},
        {"mode": "topic", "knowledge_point": "传唤"},
        *[{"mode": "article", "article": a.pk, "exclude": paper[0].pk} for a in scene["articles"]],
    ]
    for data in modes:
        post("/practice/start/", data)
    sessions = PracticeSession.objects.filter(user=officer)
    assert sessions.exists()
    drawn = {pk for s in sessions for pk in s.question_ids}
    assert drawn, "practice still works for questions no exam holds"
    assert not drawn & {q.pk for q in paper}
    for session in sessions:
        for index in range(session.total):
            url = f"/practice/s/{session.pk}/q/{index}/"
            get(url)
            post(url, {"choice": "A"})
            get(url)
        get(f"/practice/s/{session.pk}/")
    for path in ("/practice/", "/practice/wrong/", "/practice/progress/", "/accounts/me/"):
        get(path)

    # 4. The earlier exam's review: its answers are shown at once, but not for questions that
    # exam A still holds (right/wrong included: it is the key of a true/false question).
    result = get(f"/api/exams/attempts/{old.pk}/result/").json()
    assert result["answers_visible"] is True
    held = [r for r in result["review"] if r["withheld"]]
    assert held and all(r["awarded"] is None and "answer" not in r for r in held)
    get(f"/exams/attempts/{old.pk}/result/")

    # The walk really covered the site: hundreds of requests, many of them answered 200.
    assert len(checked) > 500
    assert sum(1 for _p, status in checked if status == 200) > 60
    # And the attempt is still the officer's, open, untouched by the walk.
    assert Attempt.objects.get(pk=attempt.pk).status == "in_progress"
