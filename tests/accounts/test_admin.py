"""Site administrators manage officers' fields and the unit tree in the Wagtail admin."""

from django.urls import reverse

from accounts.models import QualificationLevel, Unit, User


def test_admin_edits_officer_fields(client, site_admin, officer, units):
    client.force_login(site_admin)
    url = reverse("wagtailusers_users:edit", args=[officer.pk])
    page = client.get(url)
    assert page.status_code == 200 and "警号" in page.content.decode()
    response = client.post(
        url,
        {
            "username": officer.username,
            "email": "",
            "first_name": "",
            "last_name": "",
            "police_number": officer.police_number,
            "full_name": "改名后",
            "unit": units["station"].pk,
            "position": "副所长",
            "qualification_level": QualificationLevel.INTERMEDIATE,
            "is_active": "on",
            "groups": [g.pk for g in officer.groups.all()],
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    officer.refresh_from_db()
    assert officer.full_name == "改名后" and officer.unit == units["station"]
    assert officer.qualification_level == QualificationLevel.INTERMEDIATE


def test_admin_adds_and_moves_units(client, site_admin, units):
    client.force_login(site_admin)
    response = client.post(
        reverse("units:add"),
        {"name": "新建派出所", "code": "B09", "kind": "station", "parent": units["bureau"].pk},
    )
    assert response.status_code == 302
    new = Unit.objects.get(code="B09")
    assert new.get_parent() == units["bureau"]
    response = client.post(
        reverse("units:edit", args=[new.pk]),
        {
            "name": "新建派出所",
            "code": "B09",
            "kind": "station",
            "parent": units["public_order"].pk,
        },
    )
    assert response.status_code == 302
    new.refresh_from_db()
    assert new.get_parent().code == "B02"
    assert new in units["public_order"].subtree()


def test_officer_cannot_reach_user_or_unit_admin(client, officer):
    client.force_login(officer)
    for url in (reverse("wagtailusers_users:index"), reverse("units:index")):
        assert client.get(url).status_code in (302, 403)
    assert User.objects.count() >= 1
