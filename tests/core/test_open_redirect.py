"""Open redirects (issue 11 item 10): every route that redirects to a target taken from the
request refuses one that leaves the site, through the real views."""

import pytest

from django.test import RequestFactory

from core.redirects import is_safe_target, next_target

pytestmark = pytest.mark.django_db

HOSTILE = [
    "https://evil.example/",
    "http://evil.example/practice/",
    "//evil.example/",
    "/\\evil.example/",
    "\\\\evil.example",
    "https:evil.example",
    "javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    " https://evil.example/",
    "https://testserver@evil.example/",
]
PASSWORD = "pass-1234-word"


def off_site(location: str) -> bool:
    return "evil.example" in location or location.startswith(("javascript:", "data:", "//"))


@pytest.mark.parametrize("target", HOSTILE)
def test_helper_refuses_targets_off_the_site(target):
    request = RequestFactory().post("/x/", {"next": target})
    assert not is_safe_target(request, target)
    assert next_target(request, "/fallback/") == "/fallback/"


def test_helper_keeps_targets_on_the_site():
    request = RequestFactory().post("/x/", {"next": "/practice/s/3/q/2/?x=1"})
    assert next_target(request, "/fallback/") == "/practice/s/3/q/2/?x=1"
    # A URL name as the fallback is resolved.
    assert next_target(RequestFactory().post("/x/"), "questions:practice_home") == "/practice/"


@pytest.mark.parametrize("target", HOSTILE)
def test_favourite_toggle_does_not_redirect_off_site(client, officer, target):
    from questions.services import question_create

    question = question_create(
        stem="下列说法正确的是",
        qtype="single",
        options=["甲", "乙", "丙", "丁"],
        answer="B",
        status="active",
        explanation="解析",
    )
    client.force_login(officer)
    response = client.post(f"/practice/favourite/{question.pk}/", {"next": target})
    assert response.status_code == 302
    assert not off_site(response["Location"]) and response["Location"] == "/practice/"


def test_favourite_toggle_keeps_an_on_site_next(client, officer):
    from questions.services import question_create

    question = question_create(
        stem="下列说法正确的是",
        qtype="single",
        options=["甲", "乙", "丙", "丁"],
        answer="B",
        status="active",
        explanation="解析",
    )
    client.force_login(officer)
    response = client.post(f"/practice/favourite/{question.pk}/", {"next": "/practice/wrong/"})
    assert response["Location"] == "/practice/wrong/"


@pytest.mark.parametrize("route", ["/accounts/login/", "/admin/login/", "/_util/login/"])
@pytest.mark.parametrize("target", HOSTILE[:4])
def test_login_next_stays_on_site(client, officer, route, target):
    response = client.post(
        f"{route}?next={target}",
        {"username": officer.police_number, "password": PASSWORD, "next": target},
    )
    assert response.status_code == 302, response.content[:300]
    assert not off_site(response["Location"])


@pytest.mark.parametrize("target", HOSTILE[:4])
def test_logout_and_language_switch_next_stay_on_site(client, officer, target):
    response = client.post("/i18n/setlang/", {"language": "en", "next": target})
    assert response.status_code == 302 and not off_site(response["Location"])
    client.force_login(officer)
    response = client.post("/accounts/logout/", {"next": target})
    assert response.status_code == 302 and not off_site(response["Location"])
