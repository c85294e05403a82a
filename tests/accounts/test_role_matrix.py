"""Each role × each protected foundation URL: allowed or refused, decided on the server."""

import pytest

from django.urls import reverse

ROLES = ["anonymous", "officer", "unit_leader", "legal_staff", "site_admin"]

# url name → roles that get a 200; everyone else is refused (redirect to login or 403).
MATRIX = {
    "accounts:profile": {"officer", "unit_leader", "legal_staff", "site_admin"},
    "accounts:password_change": {"officer", "unit_leader", "legal_staff", "site_admin"},
    "accounts:unit_records": {"unit_leader", "legal_staff", "site_admin"},
    "accounts:roster_import": {"legal_staff", "site_admin"},
    "accounts:roster_template": {"legal_staff", "site_admin"},
    "wagtailadmin_home": {"legal_staff", "site_admin"},
    "laws_import": {"legal_staff", "site_admin"},
    "questions_import": {"legal_staff", "site_admin"},
    "cases_import": {"legal_staff", "site_admin"},
}


@pytest.fixture
def user_for(officer, unit_leader, legal_staff, site_admin):
    return {
        "anonymous": None,
        "officer": officer,
        "unit_leader": unit_leader,
        "legal_staff": legal_staff,
        "site_admin": site_admin,
    }


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url_name", sorted(MATRIX))
def test_role_matrix(client, user_for, role, url_name):
    user = user_for[role]
    if user:
        client.force_login(user)
    response = client.get(reverse(url_name))
    if role in MATRIX[url_name]:
        assert response.status_code == 200
    else:
        assert response.status_code in (302, 403)
        if response.status_code == 302:
            assert "login" in response["Location"]


def test_unit_leader_sees_only_own_subtree(client, make_user, units, unit_leader):
    inside = make_user("officer", unit=units["patrol"])  # under 治安大队, the leader's unit
    outside = make_user("officer", unit=units["station"])
    client.force_login(unit_leader)
    assert client.get(reverse("accounts:officer_record", args=[inside.pk])).status_code == 200
    assert client.get(reverse("accounts:officer_record", args=[outside.pk])).status_code == 403
    listing = client.get(reverse("accounts:unit_records")).content.decode()
    assert inside.full_name in listing
    assert outside.full_name not in listing


def test_officer_sees_only_own_record(client, make_user, officer):
    other = make_user("officer")
    client.force_login(officer)
    assert client.get(reverse("accounts:officer_record", args=[officer.pk])).status_code == 200
    assert client.get(reverse("accounts:officer_record", args=[other.pk])).status_code == 403


def test_legal_staff_sees_every_officer(client, make_user, units, legal_staff):
    far = make_user("officer", unit=units["station"])
    client.force_login(legal_staff)
    assert client.get(reverse("accounts:officer_record", args=[far.pk])).status_code == 200


def test_groups_hold_the_declared_permissions(db):
    from django.contrib.auth.models import Group

    from accounts.roles import GROUP_NAMES, Role, role_permission_names

    wanted = role_permission_names()
    for role in Role:
        group = Group.objects.get(name=GROUP_NAMES[role])
        held = {
            f"{p.content_type.app_label}.{p.codename}"
            for p in group.permissions.select_related("content_type")
        }
        assert held == wanted[role.value]
