import pytest

from django.core.cache import cache
from django.urls import reverse


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def login(client, username, password):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_login_with_police_number_and_logout(client, officer):
    response = login(client, officer.police_number, "pass-1234-word")
    assert response.status_code == 302
    assert client.get(reverse("accounts:profile")).status_code == 200
    client.post(reverse("accounts:logout"))
    assert client.get(reverse("accounts:profile")).status_code == 302


def test_initial_password_must_be_changed_first(client, officer):
    officer.must_change_password = True
    officer.save()
    client.force_login(officer)
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302 and response["Location"] == reverse(
        "accounts:password_change"
    )
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": "pass-1234-word",
            "new_password1": "Brand-New-Pass-77",
            "new_password2": "Brand-New-Pass-77",
        },
    )
    assert response.status_code == 302
    officer.refresh_from_db()
    assert not officer.must_change_password
    assert client.get(reverse("accounts:profile")).status_code == 200
