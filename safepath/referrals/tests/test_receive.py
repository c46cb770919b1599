from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from safepath.core.models import AuditEvent
from safepath.core.roles import OrganisationType
from safepath.people.models import PersonMerge
from safepath.people.services import person_merge, person_unmerge
from safepath.referrals.models import Referral
from safepath.referrals.services import Incoming, referral_receive
from safepath.testing import AreaFactory, OrganisationFactory

LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def hub(db):
    return OrganisationFactory(type=OrganisationType.HUB)


def incoming(**overrides):
    values = {
        "channel": "import",
        "source": "police",
        "received_at": datetime(2026, 3, 10, 9, 0, tzinfo=LONDON),
        "first_name": "Jane",
        "last_name": "Smith",
        "date_of_birth": date(1990, 4, 7),
        "postcode": "me44ab",
    }
    return Incoming(**(values | overrides))


def test_it_creates_a_person_and_records_the_rules_outcome(hub):
    area = AreaFactory(postcode_districts="ME4")
    referral = referral_receive(incoming=incoming(dash_score=15), hub=hub)
    assert referral.person.first_name == "Jane" and referral.person.postcode == "ME4 4AB"
    assert referral.area == area
    assert referral.risk_level == "high" and referral.is_marac_case and not referral.is_repeat
    assert referral.marac_criteria == ["visible_high_risk"]
    assert referral.status_changes.get().to_status == "received"
    assert AuditEvent.objects.filter(
        action="create", object_type="referrals.referral", object_id=str(referral.pk)
    ).exists()


def test_it_links_a_known_person_automatically_only_when_asked(hub):
    first = referral_receive(incoming=incoming(), hub=hub)
    typo = incoming(first_name="Jayne", received_at=datetime(2026, 4, 1, tzinfo=LONDON))
    linked = referral_receive(incoming=typo, hub=hub, auto_link=True)
    assert linked.person == first.person and linked.match_status == "auto_linked"
    review = referral_receive(incoming=incoming(first_name="Jayne", postcode=""), hub=hub)
    assert review.person != first.person and review.match_status == "needs_review"


def test_it_flags_a_repeat_within_12_months_of_the_last_marac_referral(hub):
    referral_receive(incoming=incoming(dash_score=16), hub=hub, auto_link=True)
    later = referral_receive(
        incoming=incoming(dash_score=2, received_at=datetime(2027, 3, 10, 8, 0, tzinfo=LONDON)), hub=hub, auto_link=True
    )
    assert later.is_repeat and later.is_marac_case and later.risk_level == "standard"
    too_late = referral_receive(
        incoming=incoming(dash_score=2, received_at=datetime(2028, 3, 11, 8, 0, tzinfo=LONDON)), hub=hub, auto_link=True
    )
    assert not too_late.is_repeat


def test_it_counts_earlier_police_referrals_towards_escalation(hub):
    for days in (0, 30):
        referral_receive(
            incoming=incoming(received_at=datetime(2026, 1, 1, tzinfo=LONDON) + timedelta(days=days)),
            hub=hub,
            auto_link=True,
        )
    third = referral_receive(
        incoming=incoming(received_at=datetime(2026, 3, 1, tzinfo=LONDON)), hub=hub, auto_link=True
    )
    assert third.police_incidents == 3
    assert "potential_escalation" in third.marac_criteria and third.risk_level == "high"


def test_it_merges_and_unmerges_people(hub):
    a = referral_receive(incoming=incoming(), hub=hub)
    b = referral_receive(incoming=incoming(first_name="Jayne"), hub=hub)
    merge = person_merge(request=None, kept=a.person, merged=b.person, reason="same person")
    assert set(Referral.objects.filter(person=a.person)) == {a, b}
    person_unmerge(request=None, merge=PersonMerge.objects.get(pk=merge.pk))
    b.refresh_from_db()
    assert b.person.merged_into is None and b.person != a.person


def test_it_links_the_person_causing_harm(hub):
    referral = referral_receive(
        incoming=incoming(perpetrator={"first_name": "Mark", "last_name": "Smith"}, relationship="ex_partner"), hub=hub
    )
    relationship = referral.person.relationships.get()
    assert relationship.other == referral.perpetrator and relationship.relationship == "ex_partner"


def test_references_are_seven_random_letters_of_an_alphabet_of_32():
    from safepath.referrals.services import REFERENCE_ALPHABET, new_reference

    assert len(REFERENCE_ALPHABET) == len(set(REFERENCE_ALPHABET)) == 32  # each random byte picks one uniformly
    references = [new_reference() for _ in range(2000)]
    assert all(
        len(ref) == 10 and ref.startswith("SP-") and set(ref[3:]) <= set(REFERENCE_ALPHABET) for ref in references
    )
    assert len(set(references)) == len(references)
    assert {letter for ref in references for letter in ref[3:]} == set(REFERENCE_ALPHABET)
