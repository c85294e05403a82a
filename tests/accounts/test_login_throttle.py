"""The login throttle, tried as an attacker would: through the real login routes (the site's,
Wagtail's admin, Wagtail's page-privacy login), the real axes backend and middleware, the real
database. Issue 11 items 4 and 5."""

import datetime

import pytest
import time_machine
from axes.models import AccessAttempt

from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db

PASSWORD = "pass-1234-word"
ROUTES = ["/accounts/login/", "/admin/login/", "/_util/login/"]


def attempt(client, route, username, password, **headers):
    return client.post(route, {"username": username, "password": password}, **headers)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.parametrize("route", ROUTES)
def test_unlimited_guessing_is_refused_on_every_route(client, officer, route):
    for n in range(4):
        response = attempt(client, route, officer.police_number, f"guess-{n}")
        assert response.status_code == 200, (route, n)  # the form again: wrong password
    # The fifth failure locks the account and says so; every further try gets the same.
    for n in range(4, 12):
        response = attempt(client, route, officer.police_number, f"guess-{n}")
        assert response.status_code == 429, (route, n)
        assert "登录失败次数过多" in response.content.decode()
    # The right password is refused too while the account is locked.
    response = attempt(client, route, officer.police_number, PASSWORD)
    assert response.status_code == 429 and not signed_in(client)
    # In the site's layout, saying how long the lock lasts.
    html = response.content.decode()
    assert 'class="site-footer' in html and "15 分钟" in html


def test_failures_on_one_route_lock_all_the_others(client, officer):
    # Two at the site, two at Wagtail's admin, one at the page-privacy login: five in all.
    for route in ["/accounts/login/", "/accounts/login/", "/admin/login/", "/admin/login/"]:
        assert attempt(client, route, officer.police_number, "wrong").status_code == 200
    assert attempt(client, "/_util/login/", officer.police_number, "wrong").status_code == 429
    for route in ROUTES:
        response = attempt(client, route, officer.police_number, PASSWORD)
        assert response.status_code == 429, route
        assert not signed_in(client)


def test_an_existing_lock_is_honoured_by_the_admin_login(client, legal_staff):
    for _ in range(5):
        attempt(client, "/accounts/login/", legal_staff.police_number, "wrong")
    response = attempt(client, "/admin/login/", legal_staff.police_number, PASSWORD)
    assert response.status_code == 429 and not signed_in(client)
    # The page links back to the admin's own login.
    assert 'href="/admin/login/"' in response.content.decode()


def test_username_spelling_does_not_get_a_fresh_counter(client, make_user):
    user = make_user("officer", username="wangwu", police_number="300001")
    for name in ["wangwu", "WANGWU", " WangWu ", "wangwu", "Wangwu"]:
        attempt(client, "/accounts/login/", name, "wrong")
    assert attempt(client, "/accounts/login/", "wangwu", PASSWORD).status_code == 429
    assert user.username == "wangwu"


def test_the_lock_lasts_what_the_setting_and_the_message_say(client, officer, settings):
    assert settings.AXES_COOLOFF_TIME == datetime.timedelta(minutes=15)
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        for _ in range(5):
            attempt(client, "/accounts/login/", officer.police_number, "wrong")
        locked = attempt(client, "/accounts/login/", officer.police_number, PASSWORD)
        assert locked.status_code == 429
        until = timezone.localtime(start + datetime.timedelta(minutes=15)).strftime("%H:%M")
        assert "锁定 15 分钟" in locked.content.decode() and until in locked.content.decode()

        # Trying during the lock does not extend it.
        clock.shift(datetime.timedelta(minutes=10))
        assert attempt(client, "/admin/login/", officer.police_number, "wrong").status_code == 429
        clock.shift(datetime.timedelta(minutes=4, seconds=50))
        assert (
            attempt(client, "/accounts/login/", officer.police_number, PASSWORD).status_code == 429
        )

        clock.shift(datetime.timedelta(seconds=20))  # 15 min 10 s after the locking failure
        response = attempt(client, "/accounts/login/", officer.police_number, PASSWORD)
        assert response.status_code == 302 and signed_in(client)


def test_success_clears_earlier_typos(client, officer):
    for _ in range(4):
        attempt(client, "/accounts/login/", officer.police_number, "wrong")
    assert attempt(client, "/accounts/login/", officer.police_number, PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        assert (
            attempt(client, "/accounts/login/", officer.police_number, "wrong").status_code == 200
        )


def test_lockout_page_in_english(client, officer):
    client.cookies["django_language"] = "en"
    for _ in range(6):
        response = attempt(client, "/accounts/login/", officer.police_number, "wrong")
    html = response.content.decode()
    assert response.status_code == 429
    assert "Too many failed sign-ins" in html and "locked for 15 minutes" in html


# --- Client address behind proxies (item 5) ---------------------------------------------------


def recorded_addresses():
    return set(AccessAttempt.objects.values_list("ip_address", flat=True))


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "expected"),
    [
        # No proxy configured: the header is the client's own invention and is ignored.
        (0, "203.0.113.9", "198.51.100.1", "203.0.113.9"),
        # One proxy (nginx): the entry it appended is the client.
        (1, "10.0.0.2", "198.51.100.7", "198.51.100.7"),
        # The client sent its own X-Forwarded-For; nginx appended the real address after it.
        (1, "10.0.0.2", "6.6.6.6, 198.51.100.7", "198.51.100.7"),
        (1, "10.0.0.2", "1.1.1.1, 2.2.2.2, 198.51.100.7", "198.51.100.7"),
        # Two proxies (load balancer, then nginx): the second entry from the right.
        (2, "10.0.0.2", "6.6.6.6, 198.51.100.8, 10.0.0.1", "198.51.100.8"),
        # A forged garbage entry where the proxy's should be: the connecting address is used.
        (1, "10.0.0.2", "198.51.100.7, not-an-ip", "10.0.0.2"),
    ],
)
def test_client_address_through_trusted_proxies(
    client, officer, settings, proxies, remote, forwarded, expected
):
    settings.FAZHI_TRUSTED_PROXIES = proxies
    attempt(
        client,
        "/accounts/login/",
        officer.police_number,
        "wrong",
        REMOTE_ADDR=remote,
        HTTP_X_FORWARDED_FOR=forwarded,
    )
    assert recorded_addresses() == {expected}


def test_spoofed_headers_do_not_escape_the_address_limit(client, make_user, settings):
    """An attacker behind one proxy invents a new X-Forwarded-For on every request: the address
    counted is still the one the proxy saw, so the address limit is reached."""
    settings.FAZHI_TRUSTED_PROXIES = 1
    victims = [make_user("officer") for _ in range(13)]
    last = None
    for n in range(50):
        victim = victims[n // 4]  # four guesses per account: never an account lock
        last = attempt(
            client,
            "/accounts/login/",
            victim.police_number,
            "wrong",
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR=f"10.9.{n}.1, 198.51.100.66",
        )
    assert recorded_addresses() == {"198.51.100.66"}
    assert last.status_code == 429
    assert "来自您所在网络地址的登录失败次数过多" in last.content.decode()


def test_right_password_passes_behind_a_busy_nat(client, make_user, settings):
    """Exam start: 500 officers behind one station NAT, many typos. Once the address has
    reached its limit, further typos get the lockout page, but every officer whose own account
    is not locked gets in with the right password; an account that is locked stays locked."""
    settings.FAZHI_TRUSTED_PROXIES = 1
    nat = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "172.16.5.1"}
    officers = [make_user("officer") for _ in range(15)]
    for n in range(52):
        attempt(client, "/accounts/login/", officers[n // 4].police_number, "typo", **nat)
    clumsy = make_user("officer")
    for _ in range(5):
        attempt(client, "/accounts/login/", clumsy.police_number, "typo", **nat)

    careful = make_user("officer")
    response = attempt(client, "/accounts/login/", careful.police_number, PASSWORD, **nat)
    assert response.status_code == 302 and signed_in(client)
    client.logout()
    # Officers who made typos earlier (but fewer than five) get in too.
    response = attempt(client, "/admin/login/", officers[0].police_number, PASSWORD, **nat)
    assert response.status_code == 302 and signed_in(client)
    client.logout()

    # A typo from the address now shows the lockout page, and still counts for the account.
    fresh = make_user("officer")
    response = attempt(client, "/accounts/login/", fresh.police_number, "typo", **nat)
    assert response.status_code == 429
    assert AccessAttempt.objects.get(username=fresh.police_number).failures_since_start == 1

    # The account that reached its own limit stays locked, right password or not.
    response = attempt(client, "/accounts/login/", clumsy.police_number, PASSWORD, **nat)
    assert response.status_code == 429 and not signed_in(client)
    # An officer elsewhere is not affected by that address at all.
    response = attempt(
        client,
        "/accounts/login/",
        officers[1].police_number,
        PASSWORD,
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="172.16.9.9",
    )
    assert response.status_code == 302


# --- Other routes and flows ------------------------------------------------------------------


def test_django_admin_is_gone(client, site_admin):
    assert client.get("/django-admin/login/").status_code == 404
    client.force_login(site_admin)
    assert client.get("/django-admin/").status_code == 404


def test_api_accepts_no_password(client, officer):
    """The API authenticates by session only: HTTP Basic credentials are not a way around the
    throttle (nor a way in)."""
    import base64

    token = base64.b64encode(f"{officer.police_number}:{PASSWORD}".encode()).decode()
    response = client.get("/api/laws/laws/", HTTP_AUTHORIZATION=f"Basic {token}")
    assert response.status_code in (401, 403)
    assert not signed_in(client)


def test_admin_login_then_forced_password_change(client, legal_staff):
    legal_staff.must_change_password = True
    legal_staff.save()
    response = attempt(client, "/admin/login/", legal_staff.police_number, PASSWORD)
    assert response.status_code == 302 and signed_in(client)
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"] == reverse(
        "accounts:password_change"
    )


def test_page_privacy_login_is_the_site_login(client):
    html = client.get("/_util/login/").content.decode()
    assert "登录法制在线" in html


def test_wrong_old_passwords_on_the_password_page_count_in_the_throttle(client, officer, settings):
    """A borrowed signed-in session cannot be used to guess the password without limit."""
    client.force_login(officer)
    url = reverse("accounts:password_change")
    data = {
        "old_password": "wrong",
        "new_password1": "Xy7-new-pass-word",
        "new_password2": "Xy7-new-pass-word",
    }
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(url, data)
        if attempt < settings.AXES_FAILURE_LIMIT - 1:
            assert response.status_code == 200 and "form" in response.content.decode()
    right = dict(data, old_password="pass-1234-word")
    locked = client.post(url, right)
    assert locked.status_code == 429  # the lockout page, even with the right old password
    officer.refresh_from_db()
    assert officer.check_password("pass-1234-word")  # unchanged
    client.logout()
    login = client.post(
        reverse("accounts:login"), {"username": officer.username, "password": "pass-1234-word"}
    )
    assert login.status_code == 429


def test_shared_page_password_form_does_not_exist(client):
    assert client.get("/_util/authenticate_with_password/1/2/").status_code == 404
    assert (
        client.post("/_util/authenticate_with_password/1/2/", {"password": "x"}).status_code == 404
    )
