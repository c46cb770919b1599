from safepath.accounts.models import Membership
from safepath.core.roles import OrganisationType, Role
from safepath.testing import OrganisationFactory, make_member


def test_it_acts_in_the_chosen_membership(db, login):
    user = make_member(Role.CASEWORKER)
    hub = OrganisationFactory(name="Second Hub", type=OrganisationType.HUB)
    second = Membership.objects.create(user=user, organisation=hub, role=Role.TRIAGE_WORKER)
    client = login(user)
    response = client.post("/settings/switch-organisation/", {"membership": second.pk}, follow=True)
    assert b"Second Hub" in response.content
    assert b"Triage worker" in response.content


def test_it_ignores_an_ended_membership(db, login):
    user = make_member(Role.CASEWORKER)
    hub = OrganisationFactory(type=OrganisationType.HUB)
    ended = Membership.objects.create(user=user, organisation=hub, role=Role.ADMINISTRATOR, is_active=False)
    client = login(user)
    assert client.post("/settings/switch-organisation/", {"membership": ended.pk}).status_code == 404
    assert client.get("/admin/users/").status_code == 403
