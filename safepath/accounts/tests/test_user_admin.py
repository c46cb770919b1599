from django.core import mail

from safepath.accounts.models import Membership, User
from safepath.core.models import AuditEvent
from safepath.core.roles import OrganisationType, Role
from safepath.testing import OrganisationFactory, make_member


def _create(client, **overrides):
    provider = overrides.pop("organisation", None) or OrganisationFactory(type=OrganisationType.PROVIDER)
    data = {"full_name": "Jo Bloggs", "email": "Jo.Bloggs@Provider.test", "organisation": provider.pk, "role": Role.CASEWORKER}
    return client.post("/admin/users/new/", data | overrides), provider


def test_it_creates_a_user_with_a_role_and_emails_a_password_link(db, admin_user, login):
    response, provider = _create(login(admin_user))
    user = User.objects.get(email="jo.bloggs@provider.test")
    assert response.status_code == 302 and response["Location"] == f"/admin/users/{user.pk}/"
    assert not user.has_usable_password()
    assert Membership.objects.get(user=user).organisation == provider
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["jo.bloggs@provider.test"]
    assert AuditEvent.objects.filter(action="create", object_type="accounts.user", object_id=str(user.pk)).exists()


def test_it_creates_nothing_twice_on_double_submission(db, admin_user, login):
    client = login(admin_user)
    provider = OrganisationFactory(type=OrganisationType.PROVIDER)
    _create(client, organisation=provider)
    again, _ = _create(client, organisation=provider)
    assert again.status_code == 200
    assert "An account with this email address already exists." in again.content.decode()
    assert User.objects.filter(email="jo.bloggs@provider.test").count() == 1


def test_it_refuses_a_role_the_organisation_cannot_hold_and_keeps_the_input(db, admin_user, login):
    commissioner_org = OrganisationFactory(type=OrganisationType.COMMISSIONER)
    response, _ = _create(login(admin_user), organisation=commissioner_org, role=Role.CASEWORKER)
    page = response.content.decode()
    assert response.status_code == 200
    assert "A commissioner cannot have a caseworker." in page
    assert 'value="Jo Bloggs"' in page
    assert "There is a problem" in page
    assert not User.objects.filter(email="jo.bloggs@provider.test").exists()


def test_it_explains_missing_fields(db, admin_user, login):
    response = login(admin_user).post("/admin/users/new/", {})
    page = response.content.decode()
    assert page.count("This field is required.") >= 4
    assert 'href="#id_email"' in page


def test_it_deactivates_a_user_and_ends_their_sessions(db, admin_user, login, client):
    from django.test import Client

    subject = make_member(Role.CASEWORKER)
    theirs = Client()
    theirs.force_login(subject, backend="allauth.account.auth_backends.AuthenticationBackend")
    theirs.get("/")
    login(admin_user).post(f"/admin/users/{subject.pk}/edit/", {"full_name": subject.full_name})
    subject.refresh_from_db()
    assert not subject.is_active
    assert theirs.get("/").status_code == 302


def test_it_adds_and_ends_a_role(db, admin_user, login):
    subject = make_member(Role.CASEWORKER)
    hub = OrganisationFactory(type=OrganisationType.HUB)
    client = login(admin_user)
    client.post(f"/admin/users/{subject.pk}/roles/new/", {"organisation": hub.pk, "role": Role.TRIAGE_WORKER})
    membership = Membership.objects.get(user=subject, organisation=hub)
    client.post(f"/admin/users/{subject.pk}/roles/{membership.pk}/end/")
    membership.refresh_from_db()
    assert not membership.is_active


def test_it_shows_a_team_manager_only_their_own_team(db, login):
    manager = make_member(Role.TEAM_MANAGER)
    colleague = make_member(Role.CASEWORKER, organisation=manager.memberships.get().organisation, full_name="Colleague Person")
    make_member(Role.CASEWORKER, full_name="Stranger Person")
    page = login(manager).get("/admin/users/").content.decode()
    assert colleague.full_name in page
    assert "Stranger Person" not in page
    assert "Add a user" not in page


def test_it_keeps_the_user_list_query_count_constant(db, admin_user, login):
    from safepath.testing import assert_constant_queries

    assert_constant_queries(login(admin_user), "/admin/users/", lambda n: [make_member(Role.CASEWORKER) for _ in range(n)])
