"""Item 9 of issue 11: each request the issue lists answered 500; each must be a 4xx with a
message. Sent as an attacker sends them, through the real middleware stack (CSRF included)."""

import json

import pytest

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.converters import IntConverter

from questions.exams.models import Attempt, AttemptAnswer

pytestmark = pytest.mark.django_db

HUGE = str(2**80)


def client_for(user, **kwargs):
    c = Client(**kwargs)
    c.force_login(user)
    return c


def assert_refused(response, *, status=(400, 404), says=None):
    assert response.status_code in status, (response.status_code, response.content[:300])
    if says:
        assert says in response.content.decode()


@pytest.mark.parametrize("value", ["abc", HUGE, "-1", "²"])
def test_results_pages_refuse_a_unit_that_is_not_a_number(make_exam, legal_staff, value):
    exam = make_exam()
    c = client_for(legal_staff)
    for url in ("/exams/results/", f"/exams/{exam.pk}/results/", f"/exams/{exam.pk}/results.xlsx"):
        response = c.get(url, {"unit": value})
        assert_refused(response, status=(400,), says="unit")


@pytest.mark.parametrize("value", ["abc", HUGE, "²", "1.5"])
def test_practice_refuses_ids_that_are_not_numbers(client, officer, public_order_law, value):
    client.force_login(officer)
    for mode, field in (("topic", "law"), ("article", "article"), ("random", "size")):
        response = client.post("/practice/start/", {"mode": mode, field: value})
        assert_refused(response, status=(400,), says=field)
    assert client.get(f"/practice/law/{HUGE}/").status_code == 404
    assert client.get("/practice/law/abc/").status_code == 404


def test_case_workspace_refuses_huge_and_non_numeric_ids(client, legal_staff, make_case):
    make_case()
    client.force_login(legal_staff)
    for value in (HUGE, "9" * 40, "abc", "-1"):
        assert client.get(f"/cases/-/{value}/annotate/").status_code == 404


def test_laws_api_refuses_bad_ids_and_filters_with_a_message(client, officer, public_order_law):
    client.force_login(officer)
    for value in (HUGE, "abc", "1' OR '1'='1"):
        assert client.get(f"/api/laws/laws/{value}/").status_code == 404
        assert client.get(f"/api/laws/versions/{value}/").status_code == 404
    for name in ("law", "version"):
        for value in ("abc", HUGE, "²", "-3"):
            response = client.get("/api/laws/articles/", {name: value})
            assert response.status_code == 400, (name, value)
            assert name in response.json()
        response = client.get("/api/laws/versions/", {"law": "abc"})
        assert response.status_code == 400 and "law" in response.json()
    response = client.get("/api/laws/lookup/", {"law": "刑法", "number": "²"})
    assert response.status_code == 400


@pytest.fixture
def sitting(make_exam, officer):
    exam = make_exam()
    c = client_for(officer, enforce_csrf_checks=True)
    c.get(f"/exams/{exam.pk}/")  # sets the CSRF cookie as the exam page does
    token = c.cookies["csrftoken"].value
    r = c.post(f"/api/exams/{exam.pk}/start/", HTTP_X_CSRFTOKEN=token)
    assert r.status_code == 200, r.content
    attempt = Attempt.objects.get(pk=r.json()["attempt"])
    return attempt, c, token


def test_answer_save_refuses_hostile_bodies_with_a_message(sitting):
    attempt, c, token = sitting
    item = next(iter(attempt.items())).item
    url = f"/api/exams/attempts/{attempt.pk}/answers/"

    def send(body, content_type="application/json"):
        return c.post(url, data=body, content_type=content_type, HTTP_X_CSRFTOKEN=token)

    cases = {
        "seq 10**30": json.dumps({"item": item, "response": "A", "seq": 10**30}),
        "seq -1": json.dumps({"item": item, "response": "A", "seq": -1}),
        "seq inf": '{"item": ' + json.dumps(item) + ', "response": "A", "seq": 1e999}',
        "seq text": json.dumps({"item": item, "response": "A", "seq": "１"}),
        "nested 100,000 deep": '{"item": '
        + json.dumps(item)
        + ', "seq": 1, "response": '
        + "[" * 100_000
        + "]" * 100_000
        + "}",
        "not an object": "[1, 2]",
        "not JSON": "{",
        "not UTF-8": b"\xff\xfe{",
    }
    for name, body in cases.items():
        response = send(body)
        assert response.status_code == 400, (name, response.status_code, response.content[:200])
        assert response.json()["detail"], name
    # A multipart body (what a form post sends), with a valid CSRF token in the form itself.
    response = c.post(
        url, data={"item": item, "response": "A", "seq": "1", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 400 and response.json()["detail"]
    assert not AttemptAnswer.objects.filter(attempt=attempt).exists()
    # And a proper save still works.
    assert send(json.dumps({"item": item, "response": "A", "seq": 1})).status_code == 200


def test_the_site_s_own_url_patterns_take_ids_through_one_bounded_converter():
    """Every id in the project's own URLs uses <id:…> (bounded); Django's <int:> takes 2**80."""
    own = ("questions", "laws", "casebook", "accounts", "legal_online", "search", "home")
    own += ("notices", "core", "evaluation")
    offenders = []

    def walk(patterns, prefix=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                module = getattr(p.callback, "__module__", "") or ""
                if module.split(".")[0] in own and any(
                    isinstance(c, IntConverter) for c in p.pattern.converters.values()
                ):
                    offenders.append(prefix + str(p.pattern))

    walk(get_resolver().url_patterns)
    assert offenders == []


def test_nul_characters_in_urls_and_forms_are_refused_with_a_message(client, officer):
    client.force_login(officer)
    for response in (
        client.get("/search/", {"q": "拘留\x00"}),
        client.get("/legal-online/faq/", {"q": "a\x00b"}),
        client.post("/legal-online/ask/", {"title": "问\x00题"}),
    ):
        assert_refused(response, status=(400,), says="NUL")
