"""Commissioners see figures, never a person: a record's page is "not found" to them, and the
refusal is still audited."""

from safepath.core.models import AuditEvent
from safepath.core.roles import OrganisationType, Role
from safepath.referrals.tests.url_table_triage import make_referral
from safepath.testing import OrganisationFactory, make_member


def test_it_answers_a_commissioner_asking_for_a_referral_with_not_found(client, login, db):
    referral = make_referral(OrganisationFactory(type=OrganisationType.HUB))
    login(make_member(Role.COMMISSIONER))
    response = client.get(f"/referrals/triage/{referral.pk}/")
    assert response.status_code == 404
    assert "Jane" not in response.content.decode()
    assert AuditEvent.objects.filter(action=AuditEvent.Action.PERMISSION_DENIED).exists()


def test_it_still_answers_other_roles_without_the_permission_with_forbidden(client, login, db):
    referral = make_referral(OrganisationFactory(type=OrganisationType.HUB))
    login(make_member(Role.VOLUNTEER))
    assert client.get(f"/referrals/triage/{referral.pk}/").status_code == 403


def test_it_leaves_a_commissioner_forbidden_on_pages_that_are_not_about_a_person(client, login, db):
    login(make_member(Role.COMMISSIONER))
    assert client.get("/admin/users/").status_code == 403
