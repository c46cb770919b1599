"""A referrer sees their own referrals only: reference, date, status and what they sent."""

from __future__ import annotations

import html
from typing import Any

import pytest
from django.urls import reverse

from safepath.core.models import AuditEvent
from safepath.core.roles import OrganisationType, Role
from safepath.referrals.models import ReferralStatusChange
from safepath.referrals.tests.url_table_intake import make_referral
from safepath.testing import OrganisationFactory, assert_constant_queries, make_member

LIST = "/referrals/mine/"


@pytest.fixture
def hub(db: Any) -> Any:
    return OrganisationFactory(type=OrganisationType.HUB)


@pytest.fixture
def agency(db: Any) -> Any:
    return OrganisationFactory(type=OrganisationType.REFERRING_AGENCY)


@pytest.fixture
def referrer(agency: Any) -> Any:
    return make_member(Role.REFERRING_PROFESSIONAL, organisation=agency)


def text(response: Any) -> str:
    return html.unescape(response.content.decode())


def test_it_lists_only_the_referrers_own_referrals(login: Any, referrer: Any, agency: Any, hub: Any) -> None:
    own = make_referral(referrer, agency, hub=hub)
    colleague = make_member(Role.REFERRING_PROFESSIONAL, organisation=agency)
    theirs = make_referral(colleague, agency, hub=hub)
    stranger = make_member(Role.REFERRING_PROFESSIONAL)
    elsewhere = make_referral(stranger, stranger.memberships.get().organisation, hub=hub)
    page = text(login(referrer).get(LIST))
    assert own.reference in page
    assert theirs.reference not in page and elsewhere.reference not in page
    assert "Received" in page  # the status


def test_it_shows_the_status_and_what_was_sent_but_not_the_hubs_assessment(
    login: Any, referrer: Any, agency: Any, hub: Any
) -> None:
    referral = make_referral(referrer, agency, hub=hub, dash_score=16)
    ReferralStatusChange.objects.create(referral=referral, from_status="received", to_status="in_triage")
    referral.status = "in_triage"
    referral.save(update_fields=["status"])
    page = text(login(referrer).get(reverse("referrals:mine_detail", args=[referral.pk])))
    assert referral.reference in page and "In triage" in page and "Received" in page
    assert "Alex Example" in page and "1 May 1988" in page
    assert "MARAC" not in page and "High" not in page


def test_it_shows_what_the_referrer_sent_even_after_the_person_is_linked_to_another_record(
    login: Any, referrer: Any, agency: Any, hub: Any
) -> None:
    referral = make_referral(referrer, agency, hub=hub)
    other = make_referral(
        make_member(Role.REFERRING_PROFESSIONAL), agency, hub=hub, first_name="Robin", last_name="Known", submitted={}
    )
    referral.person = other.person
    referral.save(update_fields=["person"])
    page = text(login(referrer).get(reverse("referrals:mine_detail", args=[referral.pk])))
    assert "Alex Example" in page and "Robin" not in page


@pytest.mark.parametrize("whose", ["colleague", "stranger"])
def test_it_hides_anyone_elses_referral(login: Any, referrer: Any, agency: Any, hub: Any, whose: str) -> None:
    maker = make_member(Role.REFERRING_PROFESSIONAL, organisation=agency if whose == "colleague" else None)
    referral = make_referral(maker, maker.memberships.get().organisation, hub=hub)
    client = login(referrer)
    assert client.get(reverse("referrals:mine_detail", args=[referral.pk])).status_code == 404
    assert client.get(reverse("referrals:new_done", args=[referral.pk])).status_code == 404


def test_it_hides_referrals_made_for_another_organisation(login: Any, referrer: Any, agency: Any, hub: Any) -> None:
    """Acting for a second organisation, a referrer does not carry the first one's referrals along."""
    referral = make_referral(referrer, agency, hub=hub)
    second = OrganisationFactory(type=OrganisationType.REFERRING_AGENCY)
    referrer.memberships.update(organisation=second)
    client = login(referrer)
    assert client.get(reverse("referrals:mine_detail", args=[referral.pk])).status_code == 404
    assert referral.reference not in text(client.get(LIST))


def test_it_refuses_roles_that_do_not_refer(login: Any, hub: Any, referrer: Any, agency: Any) -> None:
    referral = make_referral(referrer, agency, hub=hub)
    client = login(make_member(Role.TRIAGE_WORKER, organisation=hub))
    assert client.get(LIST).status_code == 403
    assert client.get(reverse("referrals:mine_detail", args=[referral.pk])).status_code == 403


def test_it_audits_every_referral_shown(login: Any, referrer: Any, agency: Any, hub: Any) -> None:
    referrals = [make_referral(referrer, agency, hub=hub) for _ in range(3)]
    client = login(referrer)
    client.get(LIST)
    viewed = AuditEvent.objects.filter(action="view", object_type="referrals.referral", view_name="referrals:mine")
    assert set(viewed.values_list("object_id", flat=True)) == {str(r.pk) for r in referrals}
    client.get(reverse("referrals:mine_detail", args=[referrals[0].pk]))
    assert AuditEvent.objects.filter(
        action="view", view_name="referrals:mine_detail", object_id=str(referrals[0].pk)
    ).exists()


def test_it_uses_the_same_number_of_queries_however_many_referrals(
    login: Any, referrer: Any, agency: Any, hub: Any
) -> None:
    def grow(count: int) -> None:
        for _ in range(count):
            make_referral(referrer, agency, hub=hub)

    assert_constant_queries(login(referrer), LIST, grow)
