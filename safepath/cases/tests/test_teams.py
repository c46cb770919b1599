"""Teams at a provider: managers create them and add or remove members from their active staff."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from safepath.accounts.models import Membership
from safepath.cases.models import Team
from safepath.cases.services_config import team_create, team_update
from safepath.core.models import AuditEvent
from safepath.core.roles import OrganisationType, Role
from safepath.testing import OrganisationFactory

pytestmark = pytest.mark.django_db
TEAMS = reverse("cases:teams")
ADD = reverse("cases:team_add")


@pytest.fixture
def provider(db):
    return OrganisationFactory(type=OrganisationType.PROVIDER)


@pytest.fixture
def manager(member, provider):
    return member(Role.TEAM_MANAGER, provider, full_name="Mo Manager")


@pytest.fixture
def worker(member, provider):
    return member(Role.CASEWORKER, provider, full_name="Nia Worker")


def edit_url(team: Team) -> str:
    return reverse("cases:team_edit", args=[team.pk])


def test_it_lists_this_providers_teams(login, provider, manager, worker):
    team = team_create(request=None, organisation_id=provider.pk, name="IDVA team", members=[worker])
    Team.objects.create(organisation=OrganisationFactory(type=OrganisationType.PROVIDER), name="Elsewhere")
    html = login(manager).get(TEAMS).content.decode()
    assert "IDVA team" in html and "Nia Worker" in html and "Elsewhere" not in html
    assert f'href="{edit_url(team)}"' in html


def test_it_creates_a_team_once(login, provider, manager, worker):
    client = login(manager)
    html = client.get(ADD).content.decode()
    assert "Nia Worker" in html and "Mo Manager" in html
    data = {"name": "  IDVA   team ", "members": [worker.pk, manager.pk], "once": "token-1"}
    assert client.post(ADD, data).status_code == 302
    assert client.post(ADD, data).status_code == 302  # a double submission
    team = Team.objects.get(organisation=provider)
    assert team.name == "IDVA team" and set(team.members.all()) == {worker, manager}
    assert AuditEvent.objects.filter(action="create", object_type="cases.team", object_id=str(team.pk)).exists()


def test_it_refuses_a_duplicate_name(login, provider, manager):
    team_create(request=None, organisation_id=provider.pk, name="IDVA team")
    html = login(manager).post(ADD, {"name": "idva TEAM", "once": "token-2"}).content.decode()
    assert "Your organisation already has a team with this name." in html and "govuk-error-summary" in html
    assert Team.objects.filter(organisation=provider).count() == 1


def test_it_offers_only_active_staff_of_the_provider(login, provider, manager, member):
    outsider = member(Role.CASEWORKER, OrganisationFactory(type=OrganisationType.PROVIDER), full_name="Olu Outsider")
    left = member(Role.CASEWORKER, provider, full_name="Lou Left")
    Membership.objects.filter(user=left).update(is_active=False)
    volunteer = member(Role.VOLUNTEER, provider, full_name="Val Volunteer")
    client = login(manager)
    html = client.get(ADD).content.decode()
    assert "Val Volunteer" in html and "Olu Outsider" not in html and "Lou Left" not in html
    html = client.post(ADD, {"name": "Team", "members": [outsider.pk], "once": "token-3"}).content.decode()
    assert "Choose people who work in your organisation." in html
    assert not Team.objects.exists()
    client.post(ADD, {"name": "Team", "members": [volunteer.pk], "once": "token-4"})
    assert list(Team.objects.get().members.all()) == [volunteer]


def test_it_edits_members_and_keeps_leavers_removable(login, provider, manager, worker, member):
    leaver = member(Role.CASEWORKER, provider, full_name="Lou Left")
    team = team_create(request=None, organisation_id=provider.pk, name="IDVA", members=[worker, leaver])
    Membership.objects.filter(user=leaver).update(is_active=False)
    client = login(manager)
    html = client.get(edit_url(team)).content.decode()
    assert "Lou Left" in html  # still a member, so listed to be removed
    response = client.post(edit_url(team), {"name": "IDVA advisers", "members": [worker.pk, manager.pk]})
    assert response.status_code == 302
    team.refresh_from_db()
    assert team.name == "IDVA advisers" and not team.is_active
    assert set(team.members.all()) == {worker, manager}
    assert AuditEvent.objects.filter(action="update", object_type="cases.team", object_id=str(team.pk)).exists()


def test_it_keeps_a_leaver_who_was_already_a_member(provider, worker, member):
    leaver = member(Role.CASEWORKER, provider)
    team = team_create(request=None, organisation_id=provider.pk, name="IDVA", members=[leaver])
    Membership.objects.filter(user=leaver).update(is_active=False)
    team_update(request=None, team=team, name="IDVA", members=[leaver, worker])
    assert set(team.members.all()) == {leaver, worker}
    with pytest.raises(ValidationError):
        team_update(request=None, team=team, name="IDVA", members=[member(Role.CASEWORKER)])


def test_it_hides_another_providers_team(login, manager):
    theirs = Team.objects.create(organisation=OrganisationFactory(type=OrganisationType.PROVIDER), name="Theirs")
    assert login(manager).get(edit_url(theirs)).status_code == 404


def test_it_is_for_team_managers(login, worker):
    client = login(worker)
    assert client.get(TEAMS).status_code == 403 and client.get(ADD).status_code == 403
