"""The Part 4 return: its figures equal counts made independently from the records, for a
period and a council (its localities included), and it is suppressed for commissioners."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from safepath.accommodation.choices import ServiceType
from safepath.accommodation.exports import part4_figures, part4_return
from safepath.accommodation.models import Bedspace, Placement, UnmetNeed
from safepath.accommodation.selectors import area_and_descendants
from safepath.accommodation.tests import factories as f
from safepath.core.roles import OrganisationType
from safepath.testing import OrganisationFactory

pytestmark = pytest.mark.django_db
FROM, TO = date(2025, 4, 1), date(2026, 3, 31)
PEOPLE = [
    # (first name, person fields)
    ("Ada", {"sex": "female", "ethnicity": "black_african"}),
    ("Bea", {"sex": "female", "disability": "yes"}),
    ("Cal", {"sex": "male", "sexual_orientation": "gay_lesbian"}),
    ("Dee", {"sex": "male", "gender_identity": "trans_woman"}),
    ("Eve", {"sex": "unknown", "no_recourse_to_public_funds": "yes"}),
    ("Fay", {"sex": "female", "interpreter_needed": True}),
    ("Gus", {"sex": "female"}),
]


@pytest.fixture
def records():
    with time_machine.travel(timezone.datetime(2026, 6, 1, 12, 0, tzinfo=timezone.get_current_timezone()), tick=False):
        kent, (medway, swale) = f.council("Kent", "Medway", "Swale")
        leics, (city,) = f.council("Leicestershire", "Leicester City")
        hub = OrganisationFactory(type=OrganisationType.HUB)
        org = f.provider()
        refuge = f.make_service(org, medway, "Medway Refuge", spaces=4, accepts_men=True)
        dispersed = f.make_service(org, swale, "Swale Dispersed", type=ServiceType.DISPERSED, spaces=3)
        sanctuary = f.make_service(org, kent, "Kent Sanctuary", type=ServiceType.SANCTUARY)
        away = f.make_service(f.provider(), city, "City Refuge", spaces=3, accepts_men=True)
        cases = {name: f.make_case(hub, org, name, "Test", area=medway, **fields) for name, fields in PEOPLE}
        girl, boy = f.matching.Child(4, "girl"), f.matching.Child(9, "boy")
        # In the period, in Kent.
        ada = f.place(cases["Ada"], refuge, date(2025, 5, 1), children=[girl, boy])
        f.move_on(ada, date(2025, 9, 1))
        f.place(cases["Ada"], dispersed, date(2025, 9, 2), children=[girl])  # Ada twice: counted once
        f.place(cases["Bea"], refuge, date(2025, 3, 1))  # began before, still in support
        cal = f.place(cases["Cal"], refuge, date(2025, 6, 1))
        f.move_on(cal, date(2026, 1, 10), "left_unplanned", "family_friends")
        f.place(cases["Dee"], sanctuary, date(2025, 12, 1))
        f.place(cases["Eve"], refuge, date(2026, 3, 31), children=[boy])
        # Outside the period.
        old = f.place(cases["Fay"], dispersed, date(2024, 5, 1))
        f.move_on(old, date(2025, 3, 31))
        # Another council.
        f.place(cases["Gus"], away, date(2025, 7, 1), out_of_area_reason="safety")
        # Declines: Fay twice (latest reason counts), Gus once, one outside the period, one elsewhere.
        f.decline(cases["Fay"], refuge, "no_capacity", on=date(2025, 6, 1))
        f.decline(cases["Fay"], dispersed, "needs_not_met", on=date(2025, 7, 1))
        f.decline(cases["Gus"], refuge, "no_capacity", on=date(2025, 8, 1))
        f.decline(cases["Cal"], refuge, "no_capacity", on=date(2025, 3, 1))
        f.decline(cases["Bea"], away, "no_capacity", on=date(2025, 8, 1), out_of_area_reason="safety")
        # Recorded as not supported without a referral: Ada in Kent (counts), Eve in Leicestershire.
        f.unmet(cases["Ada"], medway, "no_capacity", date(2025, 10, 1))
        f.unmet(cases["Eve"], city, "no_capacity", date(2025, 10, 1))
        return {"kent": kent, "medway": medway, "leics": leics}


def independent(area_ids):
    """The return's definitions, counted by hand from every record."""
    from safepath.accommodation.choices import ServiceType as T

    rows = [p for p in Placement.objects.select_related("case__person", "service") if p.service.area_id in area_ids]
    supported = sorted(
        (
            p
            for p in rows
            if p.status in ("in_support", "ended")
            and p.moved_in_on <= TO
            and (p.ended_on is None or p.ended_on >= FROM)
        ),
        key=lambda p: (p.moved_in_on, p.pk),
    )
    latest = {}
    for p in supported:
        latest[p.case.person_id] = p
    people = [p.case.person for p in latest.values()]
    trans = [x for x in people if x.gender_identity in ("trans_woman", "trans_man")]
    declined = sorted(
        (p for p in rows if p.status == "declined" and FROM <= timezone.localdate(p.decided_at) <= TO),
        key=lambda p: (p.decided_at, p.pk),
    )
    unmet = [u for u in UnmetNeed.objects.select_related("case") if u.area_id in area_ids]
    events = [(p.decided_at, p.pk, p.case.person_id, p.decline_reason) for p in declined] + [
        (u.recorded_at, u.pk, u.case.person_id, u.reason)
        for u in unmet
        if FROM <= timezone.localdate(u.recorded_at) <= TO
    ]
    last_decline = {}
    for _at, _pk, person_id, reason in sorted(events):
        last_decline[person_id] = reason
    ended = [p for p in rows if p.status == "ended" and FROM <= p.ended_on <= TO]
    spaces = [b for b in Bedspace.objects.select_related("service") if b.service.area_id in area_ids]
    return {
        "women": sum(1 for x in people if x.sex == "female" and x not in trans),
        "men": sum(1 for x in people if x.sex == "male" and x not in trans),
        "trans_adults": len(trans),
        "other_or_not_known": sum(1 for x in people if x.sex not in ("female", "male") and x not in trans),
        "children": sum(p.children_count for p in latest.values()),
        "households": len(latest),
        "refuge_households": len({p.case.person_id for p in supported if p.service.type == T.REFUGE}),
        "sanctuary_households": len({p.case.person_id for p in supported if p.service.type == T.SANCTUARY}),
        "black_minoritised": sum(
            1 for x in people if x.ethnicity not in ("white_british", "unknown", "prefer_not_to_say")
        ),
        "disabled": sum(1 for x in people if x.disability == "yes"),
        "lgbt": sum(1 for x in people if x.sexual_orientation in ("gay_lesbian", "bisexual", "other") or x in trans),
        "no_capacity": sum(1 for r in last_decline.values() if r == "no_capacity"),
        "needs_not_met": sum(1 for r in last_decline.values() if r == "needs_not_met"),
        "planned_move_on": sum(1 for p in ended if p.end_reason == "planned_move_on"),
        "left_unplanned": sum(1 for p in ended if p.end_reason == "left_unplanned"),
        "family_friends": sum(1 for p in ended if p.destination == "family_friends"),
        "refuge_bedspaces": sum(1 for b in spaces if b.service.type == T.REFUGE),
        "dispersed_bedspaces": sum(1 for b in spaces if b.service.type == T.DISPERSED),
    }


def figures_as_counts(fig):
    return {
        **fig.adults,
        "children": fig.children,
        "households": fig.households,
        "refuge_households": fig.households_by_type["refuge"],
        "sanctuary_households": fig.households_by_type["sanctuary"],
        "black_minoritised": fig.characteristics["black_minoritised"],
        "disabled": fig.characteristics["disabled"],
        "lgbt": fig.characteristics["lgbt"],
        "no_capacity": fig.not_supported["no_capacity"],
        "needs_not_met": fig.not_supported["needs_not_met"],
        "planned_move_on": fig.ended["planned_move_on"],
        "left_unplanned": fig.ended["left_unplanned"],
        "family_friends": fig.destinations["family_friends"],
        "refuge_bedspaces": fig.bedspaces["refuge"],
        "dispersed_bedspaces": fig.bedspaces["dispersed"],
    }


def test_it_equals_independent_counts_for_a_council_and_its_localities(records):
    ids = area_and_descendants(records["kent"])
    expected = independent(ids)
    assert figures_as_counts(part4_figures(date_from=FROM, date_to=TO, area=records["kent"])) == expected
    # And the figures are what this data set says, so the independent count is not vacuous.
    assert (expected["households"], expected["women"], expected["trans_adults"], expected["children"]) == (5, 2, 1, 2)
    assert (expected["no_capacity"], expected["needs_not_met"]) == (2, 1)


def test_it_equals_independent_counts_for_every_area(records):
    from safepath.areas.models import Area

    expected = independent(set(Area.objects.values_list("pk", flat=True)))
    assert figures_as_counts(part4_figures(date_from=FROM, date_to=TO, area=None)) == expected


def test_it_writes_the_same_figures_to_the_table_unsuppressed(records):
    table = part4_return(date_from=FROM, date_to=TO, area=records["kent"], suppress=False)
    values = {(row[0], row[2]): row[3] for row in table.rows}
    expected = independent(area_and_descendants(records["kent"]))
    assert values[("people supported", "women")] == expected["women"]
    assert values[("people supported", "children")] == expected["children"]
    assert values[("households not supported", "no_capacity")] == expected["no_capacity"]
    assert values[("bedspaces by type", "refuge")] == expected["refuge_bedspaces"]


def test_it_suppresses_small_counts_but_not_bedspaces(records):
    table = part4_return(date_from=FROM, date_to=TO, area=records["kent"])
    values = {(row[0], row[2]): row[3] for row in table.rows}
    assert values[("people supported", "women")] == "<10"
    assert values[("households supported", "households")] == "<10"
    assert values[("bedspaces by type", "refuge")] == 4
    assert all(v == 0 or v == "<10" or row[0] == "bedspaces by type" for row in table.rows for v in [row[3]])


def test_it_exports_through_the_command(records, tmp_path):
    out = tmp_path / "part4.csv"
    call_command("export", "part4-return", "--from", str(FROM), "--to", str(TO), "--area", "Kent", "--output", str(out))
    rows = list(csv.reader(io.StringIO(out.read_text())))
    assert rows[0] == ["section", "measure", "code", "value"]
    assert ["people supported", "Women", "women", "<10"] in rows
    assert f.MARKER not in out.read_text()
    xlsx = tmp_path / "part4.xlsx"
    call_command(
        "export", "part4-return", "--from", str(FROM), "--to", str(TO), "--format", "xlsx", "--output", str(xlsx)
    )
    assert xlsx.read_bytes()[:2] == b"PK"
