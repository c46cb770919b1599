"""The contract's rules hold for imported referrals (INTERFACES.md, default configuration):
risk level, police incidents, MARAC criteria and repeats, known-person linking, area and hub."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from safepath.core.models import AuditEvent
from safepath.core.roles import OrganisationType
from safepath.people.models import Person
from safepath.referrals.models import Referral
from safepath.referrals.services import Incoming, referral_receive
from safepath.referrals.tests.test_import_support import area, frozen, hub, row, run_import  # noqa: F401
from safepath.testing import AreaFactory, OrganisationFactory

LONDON = ZoneInfo("Europe/London")


def imported(**values: str) -> Referral:
    result = run_import([row(**values)])
    assert result.imported == 1, [r.reason for r in result.rejects]
    return Referral.objects.order_by("-pk").first()


@pytest.mark.parametrize(
    ("values", "level", "criteria"),
    [
        ({}, "standard", []),
        ({"dash_score": "9"}, "standard", []),
        ({"dash_score": "10"}, "medium", []),
        ({"dash_score": "13"}, "medium", []),
        ({"dash_score": "14"}, "high", ["visible_high_risk"]),
        ({"dash_score": "24"}, "high", ["visible_high_risk"]),
        ({"professional_judgement_high": "yes"}, "high", ["professional_judgement"]),
        ({"professional_judgement_high": "no", "dash_score": "3"}, "standard", []),
        ({"police_callouts_12m": "2", "source": "health"}, "standard", []),
        ({"police_callouts_12m": "3", "source": "health"}, "high", ["potential_escalation"]),
        ({"risk_level": "medium"}, "medium", []),
        ({"risk_level": "high"}, "high", ["professional_judgement"]),
        ({"risk_level": "standard", "dash_score": "12"}, "medium", []),  # the highest of the two
    ],
)
def test_it_sets_the_risk_level_and_marac_criteria(hub, frozen, values, level, criteria):  # noqa: F811
    referral = imported(**values)
    assert referral.risk_level == level
    assert referral.marac_criteria == criteria
    assert referral.is_marac_case == (level == "high") and not referral.is_repeat


def test_it_counts_police_referrals_for_the_same_person_in_the_12_months_up_to_this_one(hub, frozen):  # noqa: F811
    result = run_import(
        [
            row(received_at="2025-03-09", source_ref="P0"),  # more than 12 months before the last: not counted
            row(received_at="2025-04-01", source_ref="P1"),
            row(received_at="2025-09-01", source_ref="H1", source="health"),  # not a police referral
            row(received_at="2025-12-01", source_ref="P2", police_callouts_12m="1"),
            row(received_at="2026-03-10", source_ref="P3"),
        ]
    )
    assert result.imported == 5 and Person.objects.filter(kind="victim").count() == 1
    by_ref = {r.source_ref: r for r in Referral.objects.all()}
    assert [by_ref[ref].police_incidents for ref in ("P0", "P1", "P2", "P3")] == [1, 2, 3, 3]
    assert by_ref["P2"].risk_level == "high" and "potential_escalation" in by_ref["P2"].marac_criteria
    assert by_ref["P3"].police_incidents == 3  # P1 (2025-04-01) is within 12 months of 2026-03-10


def test_it_takes_the_larger_of_the_sent_callouts_and_the_counted_referrals(hub, frozen):  # noqa: F811
    run_import(
        [
            row(received_at="2026-01-01", source_ref="P1"),
            row(received_at="2026-02-01", source_ref="P2", police_callouts_12m="5"),
        ]
    )
    assert Referral.objects.get(source_ref="P2").police_incidents == 5


def test_it_flags_a_repeat_within_12_months_of_a_marac_referral_across_rows(hub, frozen):  # noqa: F811
    run_import(
        [
            # In the file's order the later referrals come first: the import still sees the MARAC referral first.
            row(received_at="2026-03-10T08:00", source_ref="R1", source="gp", dash_score="2"),
            row(received_at="2026-03-10T10:00", source_ref="R2", source="gp", dash_score="2"),
            row(received_at="2025-03-10T09:00", source_ref="M", source="gp", dash_score="16"),
        ]
    )
    marac, within, after = (Referral.objects.get(source_ref=ref) for ref in ("M", "R1", "R2"))
    assert marac.is_marac_case and not marac.is_repeat
    assert within.person == marac.person
    assert within.is_repeat and within.is_marac_case and within.risk_level == "standard"
    assert within.marac_criteria == ["repeat"]
    # R1 is itself a MARAC case (a repeat), so R2, two hours later, is a repeat of R1.
    assert after.is_repeat


def test_it_does_not_flag_a_repeat_more_than_12_months_after(hub, frozen):  # noqa: F811
    run_import(
        [
            row(received_at="2025-03-10T09:00", source_ref="M", source="gp", dash_score="16"),
            row(received_at="2026-03-10T10:00", source_ref="L", source="gp", dash_score="2"),
        ]
    )
    late = Referral.objects.get(source_ref="L")
    assert not late.is_repeat and not late.is_marac_case and late.risk_level == "standard"


def test_it_sees_a_marac_referral_received_before_the_import(hub, frozen):  # noqa: F811
    earlier = referral_receive(
        incoming=Incoming(
            channel="professional", source="gp", received_at=datetime(2026, 1, 5, 10, tzinfo=LONDON), first_name="Jane",
            last_name="Smith", date_of_birth=date(1990, 4, 7), postcode="ME4 4AB", dash_score=18,
        ),
        hub=hub,
    )  # fmt: skip
    referral = imported(first_name="Jayne", received_at="2026-06-01", source="health")
    assert referral.person == earlier.person and referral.match_status == "auto_linked"
    assert referral.is_repeat and referral.is_marac_case


def test_it_links_the_same_person_across_rows_despite_recording_errors(hub, frozen):  # noqa: F811
    result = run_import(
        [
            row(received_at="2026-01-01"),
            row(received_at="2026-01-02", first_name="Jayne"),  # misspelt
            row(received_at="2026-01-03", first_name="Smith", last_name="Jane"),  # swapped
            row(received_at="2026-01-04", date_of_birth="1990-07-04"),  # day and month swapped
            row(received_at="2026-01-05", postcode="me44ab"),  # spacing and case
            row(
                received_at="2026-01-06", first_name="Jane", last_name="Smith", date_of_birth="1972-11-30"
            ),  # someone else
        ]
    )
    assert result.imported == 6
    people = [r.person_id for r in Referral.objects.order_by("received_at")]
    assert len(set(people[:5])) == 1 and people[5] != people[0]
    statuses = list(Referral.objects.order_by("received_at").values_list("match_status", flat=True))
    assert statuses[0] == "new_person" and set(statuses[1:5]) == {"auto_linked"}
    assert statuses[5] != "auto_linked"


def test_it_links_to_a_person_already_known(hub, frozen):  # noqa: F811
    known = referral_receive(
        incoming=Incoming(channel="self", source="self", received_at=datetime(2025, 1, 5, tzinfo=LONDON), first_name="Rebecca",
                          last_name="Okafor", date_of_birth=date(1988, 2, 3), postcode="ME5 7XY"),
        hub=hub,
    )  # fmt: skip
    referral = imported(first_name="Becky", last_name="Okafor", date_of_birth="1988-02-03", postcode="ME57XY")
    assert referral.person == known.person and referral.match_status == "auto_linked"


def test_it_records_the_person_causing_harm_and_what_was_sent(hub, frozen):  # noqa: F811
    referral = imported(
        perpetrator_first_name="Mark", perpetrator_last_name="Jones", perpetrator_date_of_birth="1985-01-02", relationship="ex_partner",
        abuse_types="stalking;physical", children_in_household="2", consent="no", sex="female",
    )  # fmt: skip
    assert (referral.perpetrator.first_name, referral.perpetrator.kind) == ("Mark", "person_causing_harm")
    assert referral.person.relationships.get().other == referral.perpetrator
    assert referral.abuse_types == ["physical", "stalking"] and referral.children_in_household == 2
    assert (referral.consent, referral.relationship, referral.person.sex) == ("no", "ex_partner", "female")
    assert (referral.channel, referral.status) == ("import", "received")


def test_it_takes_the_area_by_name_or_from_the_postcode(hub, frozen, area):  # noqa: F811
    other = AreaFactory(name="Hoo Peninsula", postcode_districts="ME3")
    by_name = imported(area="hoo peninsula", postcode="ME4 4AB")
    by_postcode = imported(postcode="ME4 4AB", first_name="Ann")
    unassigned = imported(postcode="SW1A 1AA", first_name="Bea")
    no_postcode = imported(postcode="", first_name="Cat")
    assert (by_name.area, by_postcode.area, unassigned.area, no_postcode.area) == (other, area, None, None)
    assert by_postcode.person.postcode == "ME4 4AB"


def test_it_sends_each_referral_to_the_hub_serving_its_area(hub, frozen, area):  # noqa: F811
    first_hub = OrganisationFactory(type=OrganisationType.HUB, name="A first hub")  # serves nowhere in particular
    kent = AreaFactory(name="Kent", postcode_districts="CT1")
    kent_hub = OrganisationFactory(type=OrganisationType.HUB, name="Kent Hub")
    kent_hub.areas.add(kent)
    result = run_import(
        [row(postcode="ME4 4AB"), row(postcode="CT1 1AA", first_name="Ann"), row(postcode="", first_name="Bea")]
    )
    assert result.imported == 3
    hubs = [r.hub for r in Referral.objects.order_by("pk")]
    assert hubs[:2] == [hub, kent_hub]
    assert hubs[2] == min((hub, first_hub, kent_hub), key=lambda h: h.pk)  # no area: the first hub


def test_it_audits_each_referral_and_the_run(hub, frozen):  # noqa: F811
    result = run_import([row(), row(first_name="Ann"), row(source="")])
    referral_ids = {str(pk) for pk in Referral.objects.values_list("pk", flat=True)}
    created = AuditEvent.objects.filter(action="create", object_type="referrals.referral")
    assert set(created.values_list("object_id", flat=True)) == referral_ids and created.count() == 2
    assert AuditEvent.objects.filter(
        action="create", object_type="referrals.importrun", object_id=str(result.run.pk)
    ).exists()
    assert result.run.rejects == [{"line": 4, "reason": "source is missing", "row": result.run.rejects[0]["row"]}]
    assert result.run.rejects[0]["row"]["first_name"] == "Jane"
