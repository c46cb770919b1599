"""The report's drop-in contacts section against counts worked out here, in Python, from the
visits the test made; its suppression; and that it reaches every output (JSON, CSV, DOCX, the
commissioner's dashboard)."""

from __future__ import annotations

import io
import json
import random
from collections import Counter
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from docx import Document

from safepath.core.roles import OrganisationType, Role
from safepath.dropins.tests import factories as d
from safepath.reporting import exports, paper
from safepath.reporting.metrics.scope import Scope
from safepath.reporting.periods import Period
from safepath.reporting.report import build_report, to_json
from safepath.reporting.tests import factories as f
from safepath.reporting.tests.test_disclosure import _determined, _equations
from safepath.testing import make_member

PERIOD = Period(date(2025, 4, 1), date(2025, 6, 30))
CODES = ["information_advice", "safety_planning", "referral_to_hub", "signposted"]


@pytest.fixture
def world(db):
    rng = random.Random(11)  # noqa: S311 - test data, not security
    county = f.area(name="Kentshire")
    town = f.area(parent=county, name="Chatham")
    village = f.area(parent=town, name="Hoo")
    elsewhere = f.area(name="Westmoor")
    a, b = d.provider(), d.provider()
    venues = [
        d.venue(a, town, "Chatham One Stop Shop"),
        d.venue(a, village, "Hoo Village Hall"),
        d.venue(b, town, "Gillingham Library"),
        d.venue(b, elsewhere, "Westmoor Drop-in"),
    ]
    case = f.case(provider=a, referral=None, person=f.person(), code="outreach", opened=timezone.now())
    specs = []
    for i in range(700):
        venue = rng.choice(venues)
        on = date(2025, 3, 25) + timedelta(days=rng.randrange(112))  # 25 March to 14 July
        if i < 4:
            on = [date(2025, 3, 31), date(2025, 4, 1), date(2025, 6, 30), date(2025, 7, 1)][i]
        visitor = "new" if rng.random() < 0.55 else "returning"
        outcomes = [c for c in CODES if rng.random() < 0.35] or ["information_advice"]
        linked = venue.provider_id == a.pk and visitor == "returning" and rng.random() < 0.1
        d.visit(venue, on, visitor, outcomes, case=case if linked else None)
        specs.append({"venue": venue, "on": on, "visitor": visitor, "outcomes": outcomes, "linked": linked})
    # A venue with only a handful of visits in the period: small numbers to hide.
    small = d.venue(a, town, "Strood Pop-up")
    for i in range(3):
        d.visit(small, date(2025, 5, 10 + i), "new", ["referral_to_hub"])
        specs.append(
            {
                "venue": small,
                "on": date(2025, 5, 10 + i),
                "visitor": "new",
                "outcomes": ["referral_to_hub"],
                "linked": False,
            }
        )
    return {"county": county, "town": town, "specs": specs}


def _expected(specs, areas=None) -> dict:
    inside = [
        s for s in specs if PERIOD.first <= s["on"] <= PERIOD.last and (areas is None or s["venue"].area.name in areas)
    ]
    by_venue: dict[str, Counter] = {}
    by_month: dict[str, Counter] = {m.isoformat(): Counter() for m in PERIOD.months()}
    for s in inside:
        by_venue.setdefault(s["venue"].name, Counter())[s["visitor"]] += 1
        by_month[s["on"].replace(day=1).isoformat()][s["visitor"]] += 1
    return {
        "total": len(inside),
        "new": sum(s["visitor"] == "new" for s in inside),
        "returning": sum(s["visitor"] == "returning" for s in inside),
        "referrals_to_hub": sum("referral_to_hub" in s["outcomes"] for s in inside),
        "linked_to_case": sum(s["linked"] for s in inside),
        "outcomes": {c: sum(c in s["outcomes"] for s in inside) for c in CODES},
        "by_venue": {k: (v["new"], v["returning"], v["new"] + v["returning"]) for k, v in by_venue.items()},
        "by_month": {k: (v["new"], v["returning"], v["new"] + v["returning"]) for k, v in by_month.items()},
    }


def _contacts(scope: Scope, suppress: bool = False) -> dict:
    return to_json(build_report(scope, suppress=suppress))["contacts"]


def _check(out: dict, want: dict) -> None:
    for key in ("total", "new", "returning", "referrals_to_hub", "linked_to_case"):
        assert out[key] == want[key], key
    assert {c: o["contacts"] for c, o in out["outcomes"].items()} == want["outcomes"]
    assert {v["venue"]: (v["new"], v["returning"], v["total"]) for v in out["by_venue"]} == want["by_venue"]
    assert {m["month"]: (m["new"], m["returning"], m["total"]) for m in out["by_month"]} == want["by_month"]
    assert out["new_rate"] == round(want["new"] / want["total"], 3)
    assert out["referral_rate"] == round(want["referrals_to_hub"] / want["total"], 3)


def test_it_counts_every_visit_in_the_period_whatever_its_area(world):
    want = _expected(world["specs"])
    assert 500 < want["total"] < 700 and want["linked_to_case"] > 0
    _check(_contacts(Scope(PERIOD)), want)


def test_it_counts_visits_in_the_area_of_their_venue_and_the_areas_inside_it(world):
    _check(_contacts(Scope.for_areas(PERIOD, [world["county"].pk])), _expected(world["specs"], {"Chatham", "Hoo"}))
    _check(_contacts(Scope.for_areas(PERIOD, [world["town"].pk])), _expected(world["specs"], {"Chatham", "Hoo"}))


def test_it_hides_small_counts_so_that_none_can_be_worked_out(world):
    out = _contacts(Scope(PERIOD), suppress=True)
    want = _expected(world["specs"])
    venues = {v["venue"]: v for v in out["by_venue"]}
    assert venues["Strood Pop-up"]["new"] == "<10" and venues["Strood Pop-up"]["total"] == "<10"
    # Every figure shown is true.
    for v in out["by_venue"]:
        for i, part in enumerate(("new", "returning", "total")):
            assert v[part] == "<10" or v[part] == want["by_venue"][v["venue"]][i]
    # The venue table as shown (cells, venue totals, new and returning totals, grand total):
    # no hidden value is fixed by the sums.
    rows = out["by_venue"]
    shown = [v[p] for v in rows for p in ("new", "returning")] + [v["total"] for v in rows]
    shown += [out["new"], out["returning"], out["total"]]
    hidden = [k for k, value in enumerate(shown) if value == "<10"]
    assert hidden, "the test needs a hidden cell"
    assert not _determined(_equations(len(rows), 2, True, True), hidden)


def test_it_hides_rates_on_a_small_base(db):
    venue = d.venue(d.provider(), f.area(), "Tiny Drop-in")
    for i in range(6):
        d.visit(venue, date(2025, 5, 1 + i), "new" if i % 2 else "returning", ["referral_to_hub"])
    out = _contacts(Scope(PERIOD), suppress=True)
    assert out["total"] == "<10" and out["new_rate"] is None and out["referral_rate"] is None
    assert out["referrals_to_hub"] == "<10"


def test_it_is_in_safepath_report_and_every_export(world, capsys):
    call_command("report", "--from", "2025-04-01", "--to", "2025-06-30", "--area", "Kentshire", "--no-suppress")
    out = json.loads(capsys.readouterr().out)
    assert out["contacts"]["total"] == _expected(world["specs"], {"Chatham", "Hoo"})["total"]
    report = build_report(Scope(PERIOD), suppress=False)
    rows = list(exports.report_rows(report))
    assert ("contacts", "total", "", _expected(world["specs"])["total"]) in [r[:4] for r in rows]
    assert any(r[1] == "by_venue.total" and r[2] == "Hoo Village Hall (Hoo)" for r in rows)
    doc = Document(io.BytesIO(paper.report_docx(report)))
    assert "One-stop-shop and drop-in contacts" in [p.text for p in doc.paragraphs]
    cells = {c.text for t in doc.tables for row in t.rows for c in row.cells}
    assert {"Drop-in contacts", "Chatham One Stop Shop", "Drop-in contacts by month"} <= cells | {
        p.text.split(":")[0] for p in doc.paragraphs
    }


def test_a_commissioner_sees_the_section_on_the_dashboard_without_any_case(world, login):
    org = f.OrganisationFactory(type=OrganisationType.COMMISSIONER)
    org.areas.add(world["county"])
    client = login(make_member(Role.COMMISSIONER, org))
    query = {
        "from_day": "1",
        "from_month": "4",
        "from_year": "2025",
        "to_day": "30",
        "to_month": "6",
        "to_year": "2025",
        "area": "",
    }
    page = client.get(reverse("reporting:dashboard"), query).content.decode()
    assert 'id="contacts"' in page
    assert "Chatham One Stop Shop" in page and "Westmoor Drop-in" not in page
    assert "Zephyrine" not in page  # the linked case's person
