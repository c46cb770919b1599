from safepath.accounts.models import Organisation
from safepath.core.roles import OrganisationType, Role
from safepath.testing import AreaFactory, make_member


def test_it_creates_an_organisation_serving_areas(db, admin_user, login):
    area = AreaFactory()
    response = login(admin_user).post(
        "/admin/organisations/new/", {"name": "Refuge Trust", "type": OrganisationType.PROVIDER, "areas": [area.pk], "is_active": "on"}
    )
    assert response.status_code == 302
    organisation = Organisation.objects.get(name="Refuge Trust")
    assert list(organisation.areas.all()) == [area]


def test_it_refuses_a_duplicate_name(db, admin_user, login):
    client = login(admin_user)
    client.post("/admin/organisations/new/", {"name": "Refuge Trust", "type": OrganisationType.PROVIDER})
    response = client.post("/admin/organisations/new/", {"name": "refuge trust", "type": OrganisationType.HUB})
    assert "An organisation with this name already exists." in response.content.decode()
    assert Organisation.objects.filter(name__iexact="refuge trust").count() == 1


def test_it_refuses_a_type_change_that_would_strand_members(db, admin_user, login):
    caseworker = make_member(Role.CASEWORKER)
    organisation = caseworker.memberships.get().organisation
    response = login(admin_user).post(
        f"/admin/organisations/{organisation.pk}/edit/", {"name": organisation.name, "type": OrganisationType.COMMISSIONER}
    )
    assert "End those memberships first" in response.content.decode()
    organisation.refresh_from_db()
    assert organisation.type == OrganisationType.PROVIDER
