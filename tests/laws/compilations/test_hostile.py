"""Every route this round added, walked as an attacker: hostile or huge ids and parameters,
the wrong role, another officer's attempt. Each answer is a 4xx (or an empty, honest page),
never a 500, and nothing is saved."""

import pytest

from django.test import Client

from questions.models import PracticeSession

pytestmark = pytest.mark.django_db

HOSTILE = ["abc", "-1", "99999999999999999999", "1.5", "1e9", "\x00", "' OR 1=1 --", "中" * 5000]


def _client(user=None):
    c = Client(raise_request_exception=False)
    if user is not None:
        c.force_login(user)
    return c


@pytest.mark.parametrize("value", HOSTILE)
def test_search_within_a_hostile_compilation_is_refused_or_empty(library, officer, value):
    c = _client(officer)
    for path in ("/search/", "/api/search/"):
        response = c.get(path, {"q": "盘问", "compilation": value})
        assert response.status_code in (200, 400), (path, value, response.status_code)
        if path == "/api/search/" and response.status_code == 200:
            assert response.json()["results"] == []


@pytest.mark.parametrize("value", HOSTILE)
def test_practice_from_a_hostile_compilation_is_refused_and_saves_nothing(library, officer, value):
    c = _client(officer)
    response = c.post("/practice/start/", {"mode": "topic", "compilation": value})
    assert 400 <= response.status_code < 500, (value, response.status_code)
    assert not PracticeSession.objects.filter(user=officer).exists()


def test_an_unpublished_compilation_is_no_practice_scope(field_work, officer):
    field_work.unpublish()
    response = _client(officer).post(
        "/practice/start/", {"mode": "topic", "compilation": str(field_work.pk)}
    )
    assert response.status_code == 404
    assert not PracticeSession.objects.filter(user=officer).exists()


@pytest.mark.parametrize("value", HOSTILE)
def test_section_count_refuses_hostile_compilations_and_officers(
    library, legal_staff, officer, value
):
    path = "/exams/admin/section-count/"
    staff = _client(legal_staff).get(path, {"qtype": "single", "compilation": value})
    assert staff.status_code == 400, (value, staff.status_code)
    assert _client(officer).get(path, {"qtype": "single"}).status_code in (403, 404)
    assert _client().get(path).status_code == 302  # anonymous: to the login page


def test_compilation_pages_refuse_anonymous_and_unknown_paths(field_work, officer):
    anonymous = _client()
    for suffix in ("", "print/", "docx/"):
        response = anonymous.get(field_work.url + suffix)
        assert response.status_code == 302 and "/login" in response["Location"]
    c = _client(officer)
    for suffix in ("print/x/", "docx/../../", "%00/", "a" * 3000 + "/"):
        assert c.get(field_work.url + suffix).status_code in (400, 404), suffix


def test_the_impact_page_with_data_warnings_is_staff_only(library, officer, legal_staff):
    assert _client().get("/laws/impact/").status_code == 302
    assert _client(officer).get("/laws/impact/").status_code == 403
    assert _client(legal_staff).get("/laws/impact/").status_code == 200
