"""Consent and information sharing: consent rules, the consortium, safeguarding approval by a
manager, shared notes. Frozen clock: today is 12 March 2026."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.core.exceptions import ValidationError

from safepath.casework.models import CaseNote, Consent, SharingRecord
from safepath.casework.selectors import consortium_of, partner_shared_notes
from safepath.casework.services import (
    ConsentInput,
    SharingInput,
    consent_record,
    consent_withdraw,
    note_add,
    sharing_decide,
    sharing_record,
)
from safepath.casework.tests.conftest import LONDON
from safepath.casework.tests.url_table_casework import open_case, token
from safepath.core.models import AuditEvent
from safepath.core.roles import OrganisationType, Role
from safepath.testing import AreaFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def council(db):
    return AreaFactory()


@pytest.fixture
def partner(provider, council):
    """The provider serves a locality of the council; the partner serves the whole council."""
    provider.areas.add(AreaFactory(parent=council))
    partner = OrganisationFactory(type=OrganisationType.PROVIDER)
    partner.areas.add(council)
    return partner


@pytest.fixture
def stranger(db):
    """A provider in another council area: outside the consortium."""
    org = OrganisationFactory(type=OrganisationType.PROVIDER)
    org.areas.add(AreaFactory())
    return org


def consent(case, worker, *, scopes=("risk_information",), given_on=date(2026, 1, 5), **who):
    recipient = "organisation" if "organisation" in who else "agency" if "agency_name" in who else "consortium"
    data = ConsentInput(recipient=recipient, scopes=list(scopes), given_on=given_on, **who)
    return consent_record(request=None, case=case, token=token(), data=data, by=worker)


def share(case, worker, *, scope="risk_information", basis="consent", at=None, reason="", **who):
    data = SharingInput(scope=scope, what="The risk assessment", basis=basis, safeguarding_reason=reason, at=at, **who)
    return sharing_record(request=None, case=case, token=token(), data=data, by=worker)


def refused(case, worker, field="basis", **kwargs) -> str:
    with pytest.raises(ValidationError) as caught:
        share(case, worker, **kwargs)
    return " ".join(caught.value.message_dict[field])


# --- the consortium ----------------------------------------------------------------------------


def test_it_defines_the_consortium_as_providers_in_the_same_council_area(provider, partner, stranger, council):
    sibling = OrganisationFactory(type=OrganisationType.PROVIDER)
    sibling.areas.add(AreaFactory(parent=council))
    hub = OrganisationFactory(type=OrganisationType.HUB)
    hub.areas.add(council)
    closed = OrganisationFactory(type=OrganisationType.PROVIDER, is_active=False)
    closed.areas.add(council)
    assert consortium_of(provider.pk) == {provider.pk, partner.pk, sibling.pk}
    assert consortium_of(partner.pk) == {provider.pk, partner.pk, sibling.pk}


def test_it_gives_a_provider_serving_no_area_no_partners(provider, stranger):
    assert consortium_of(provider.pk) == {provider.pk}


# --- sharing with consent ----------------------------------------------------------------------


def test_it_records_sharing_under_a_consent_in_force(case, worker):
    given = consent(case, worker, agency_name="Victim Support")
    record = share(case, worker, agency_name="victim  support")
    assert record.status == SharingRecord.Status.SHARED and record.consent == given
    assert record.agency_name == "victim support" and not record.within_consortium


def test_it_refuses_sharing_after_consent_was_withdrawn(case, worker):
    given = consent(case, worker, agency_name="Victim Support")
    consent_withdraw(request=None, case=case, consent=given, withdrawn_on=date(2026, 3, 1), by=worker)
    message = refused(case, worker, agency_name="Victim Support")
    assert message == "The person withdrew their consent to share with this agency on 1 March 2026."
    assert not SharingRecord.objects.exists()


def test_it_allows_sharing_done_before_the_withdrawal(case, worker):
    given = consent(case, worker, agency_name="Victim Support")
    consent_withdraw(request=None, case=case, consent=given, withdrawn_on=date(2026, 3, 1), by=worker)
    record = share(case, worker, agency_name="Victim Support", at=datetime(2026, 2, 28, 15, tzinfo=LONDON))
    assert record.consent == given


def test_it_refuses_a_kind_of_information_the_consent_does_not_cover(case, worker):
    consent(case, worker, agency_name="Victim Support", scopes=["risk_information"])
    message = refused(case, worker, agency_name="Victim Support", scope="safety_plan")
    assert message == "The person's consent to share with this agency does not cover safety plan."


def test_it_takes_full_case_consent_to_cover_every_kind(case, worker):
    consent(case, worker, agency_name="Victim Support", scopes=["full_case"])
    for scope in ("risk_information", "safety_plan", "contact_details", "full_case"):
        assert share(case, worker, agency_name="Victim Support", scope=scope).status == "shared"


def test_it_refuses_sharing_before_consent_was_given(case, worker):
    consent(case, worker, agency_name="Victim Support", given_on=date(2026, 3, 10))
    message = refused(case, worker, agency_name="Victim Support", at=datetime(2026, 3, 9, 12, tzinfo=LONDON))
    assert message == "The person's consent to share with this agency was given on 10 March 2026, after this sharing."


def test_it_refuses_sharing_with_an_agency_the_person_did_not_agree_to(case, worker):
    consent(case, worker, agency_name="Victim Support")
    message = refused(case, worker, agency_name="Housing options")
    assert message.startswith("There is no record of the person's consent to share with this agency.")


def test_it_matches_consent_to_an_organisation_in_safepath(case, worker, stranger):
    given = consent(case, worker, organisation=stranger)
    assert share(case, worker, organisation=stranger).consent == given


def test_it_lets_consortium_consent_cover_partners_only(case, worker, partner, stranger):
    consent(case, worker)  # every partner in the consortium
    record = share(case, worker, organisation=partner)
    assert record.within_consortium and record.status == "shared"
    assert "no record" in refused(case, worker, organisation=stranger)
    assert "no record" in refused(case, worker, agency_name="Victim Support")


def test_it_never_shares_with_a_commissioner_or_the_provider_itself(case, worker, provider):
    commissioner = OrganisationFactory(type=OrganisationType.COMMISSIONER)
    assert "Commissioners never receive" in refused(case, worker, field="organisation", organisation=commissioner)
    assert "your own" in refused(case, worker, field="organisation", organisation=provider)


def test_it_refuses_sharing_dated_in_the_future(case, worker):
    consent(case, worker, agency_name="Victim Support")
    message = refused(
        case, worker, field="at", agency_name="Victim Support", at=datetime(2026, 3, 12, 10, 1, tzinfo=LONDON)
    )
    assert message == "The date and time of sharing must not be in the future."


# --- without consent ----------------------------------------------------------------------------


def test_it_needs_a_safeguarding_reason_without_consent(case, worker, partner):
    message = refused(case, worker, field="safeguarding_reason", organisation=partner, basis="safeguarding")
    assert message == "Without consent, record the safeguarding reason for sharing."


def test_it_records_safeguarding_sharing_inside_the_consortium_without_approval(case, worker, partner):
    record = share(case, worker, organisation=partner, basis="safeguarding", reason="Threat to kill made last night")
    assert record.status == SharingRecord.Status.SHARED and record.within_consortium and record.shared_at


def test_it_makes_safeguarding_sharing_outside_the_consortium_a_request(case, worker, stranger):
    record = share(case, worker, organisation=stranger, basis="safeguarding", reason="Children at risk")
    assert record.status == SharingRecord.Status.PENDING and record.shared_at is None
    assert AuditEvent.objects.filter(
        object_id=str(case.pk), reason__startswith=f"sharing request {record.pk}; form "
    ).exists()


@pytest.fixture
def pending(case, worker):
    return share(case, worker, agency_name="Housing options", basis="safeguarding", reason="Children at risk")


def test_it_lets_a_team_manager_at_the_provider_approve(pending, manager):
    sharing_decide(request=None, record=pending, approve=True, by=manager)
    fresh = SharingRecord.objects.get(pk=pending.pk)
    assert fresh.status == SharingRecord.Status.APPROVED and fresh.decided_by == manager
    assert AuditEvent.objects.filter(reason=f"sharing approved {pending.pk}").exists()


def test_it_needs_a_reason_to_refuse(pending, manager):
    with pytest.raises(ValidationError) as caught:
        sharing_decide(request=None, record=pending, approve=False, by=manager)
    assert caught.value.message_dict == {"refusal_reason": ["Explain why the request is refused."]}
    sharing_decide(request=None, record=pending, approve=False, refusal_reason="Not proportionate", by=manager)
    assert SharingRecord.objects.get(pk=pending.pk).status == SharingRecord.Status.REFUSED


def test_it_refuses_approval_by_anyone_but_a_manager_at_the_provider(pending, member, provider):
    others = [
        member(Role.CASEWORKER, provider),
        member(Role.VOLUNTEER, provider),
        member(Role.TEAM_MANAGER),  # at another provider
        member(Role.TEAM_MANAGER, OrganisationFactory(type=OrganisationType.HUB)),
        member(Role.COMMISSIONER),
    ]
    for user in others:
        with pytest.raises(ValidationError, match="Only a team manager at the case's provider"):
            sharing_decide(request=None, record=pending, approve=True, by=user)
    assert SharingRecord.objects.get(pk=pending.pk).status == SharingRecord.Status.PENDING


def test_it_refuses_a_manager_deciding_their_own_request(case, manager):
    own = share(case, manager, agency_name="Housing options", basis="safeguarding", reason="Children at risk")
    with pytest.raises(ValidationError, match="another team manager must decide"):
        sharing_decide(request=None, record=own, approve=True, by=manager)


def test_it_decides_a_request_once(pending, manager, member, provider):
    sharing_decide(request=None, record=pending, approve=True, by=manager)
    with pytest.raises(ValidationError, match="already decided"):
        sharing_decide(
            request=None, record=pending, approve=False, refusal_reason="No", by=member(Role.TEAM_MANAGER, provider)
        )


# --- consent records ------------------------------------------------------------------------------


def test_it_refuses_consent_dated_in_the_future_or_without_a_scope(case, worker):
    with pytest.raises(ValidationError) as caught:
        consent(case, worker, agency_name="Victim Support", scopes=[], given_on=date(2026, 3, 13))
    assert set(caught.value.message_dict) == {"scopes", "given_on"}


def test_it_refuses_a_withdrawal_before_consent_was_given(case, worker):
    given = consent(case, worker, agency_name="Victim Support")
    with pytest.raises(ValidationError, match="before the date it was given"):
        consent_withdraw(request=None, case=case, consent=given, withdrawn_on=date(2026, 1, 4), by=worker)


def test_it_keeps_the_first_withdrawal(case, worker):
    given = consent(case, worker, agency_name="Victim Support")
    consent_withdraw(request=None, case=case, consent=given, withdrawn_on=date(2026, 3, 1), by=worker)
    consent_withdraw(request=None, case=case, consent=given, withdrawn_on=date(2026, 3, 2), by=worker)
    assert Consent.objects.get(pk=given.pk).withdrawn_on == date(2026, 3, 1)


# --- shared notes --------------------------------------------------------------------------------


def note(case, worker, shared=True):
    return note_add(request=None, case=case, token=token(), text="Moved to her sister's", shared=shared, by=worker)


def test_it_refuses_a_shared_note_without_consent_to_share_the_full_case_with_the_consortium(case, worker):
    consent(case, worker, scopes=["risk_information"])  # consortium, but not the full case
    with pytest.raises(ValidationError) as caught:
        note(case, worker)
    assert "This note cannot be shared" in caught.value.message_dict["shared"][0]
    assert not CaseNote.objects.exists()
    assert note(case, worker, shared=False).pk


def test_it_shows_a_shared_note_to_partners_working_with_the_same_person_while_consent_lasts(
    case, worker, partner, stranger, hub, member
):
    given = consent(case, worker, scopes=["full_case"])
    shared = note(case, worker)
    note(case, worker, shared=False)
    partner_case = open_case(hub, partner)
    partner_case.person = case.person
    partner_case.save()
    stranger_case = open_case(hub, stranger)
    stranger_case.person = case.person
    stranger_case.save()
    other_person_case = open_case(hub, partner, "Someone", "Else")
    assert list(partner_shared_notes(partner_case)) == [shared]
    assert list(partner_shared_notes(stranger_case)) == []
    assert list(partner_shared_notes(other_person_case)) == []
    assert list(partner_shared_notes(case)) == []  # its own notes are not "shared by partners"
    consent_withdraw(request=None, case=case, consent=given, withdrawn_on=date(2026, 3, 12), by=worker)
    assert list(partner_shared_notes(partner_case)) == []
