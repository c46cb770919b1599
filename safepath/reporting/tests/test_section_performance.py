"""Performance against the contract and the funding flow (issue 7): RAG as a pure function,
actuals from the report (counted here independently from the factory data), hand-recorded
actuals, disclosure control, which contracts a report takes, and the section in the JSON, CSV,
HTML and DOCX outputs."""

from __future__ import annotations

import io
import json
from datetime import date
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from docx import Document
from hypothesis import given
from hypothesis import strategies as st

from safepath.commissioning import services
from safepath.commissioning.choices import Polarity, TargetKind
from safepath.commissioning.tests.factories import make_contract, make_funding
from safepath.core.roles import OrganisationType
from safepath.reporting import rag
from safepath.reporting.exports import report_rows
from safepath.reporting.metrics.scope import Scope
from safepath.reporting.paper import report_docx
from safepath.reporting.periods import Period
from safepath.reporting.presenters import dashboard_context
from safepath.reporting.report import _Rules, build_report, to_json
from safepath.reporting.sections import performance
from safepath.reporting.tests import factories as f
from safepath.testing import OrganisationFactory

QUARTER = Period(date(2025, 7, 1), date(2025, 9, 30))
TOKENS = iter(f"{n:032x}" for n in range(1, 10_000))


# --- RAG: a pure function ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actual", "target", "polarity", "expected"),
    [
        (100, 100, rag.HIGHER, rag.Status.GREEN),
        (120, 100, rag.HIGHER, rag.Status.GREEN),
        (Decimal("99.99"), 100, rag.HIGHER, rag.Status.AMBER),
        (90, 100, rag.HIGHER, rag.Status.AMBER),  # exactly 10% short: amber
        (Decimal("89.99"), 100, rag.HIGHER, rag.Status.RED),
        (100, 100, rag.LOWER, rag.Status.GREEN),
        (80, 100, rag.LOWER, rag.Status.GREEN),
        (110, 100, rag.LOWER, rag.Status.AMBER),
        (Decimal("110.01"), 100, rag.LOWER, rag.Status.RED),
        (0.25, Decimal("28"), rag.LOWER, rag.Status.GREEN),
        (1, 0, rag.LOWER, rag.Status.RED),  # a zero target leaves no amber band
        (0, 0, rag.LOWER, rag.Status.GREEN),
    ],
)
def test_rag_boundaries(actual, target, polarity, expected, settings):
    settings.SAFEPATH_RAG_AMBER_TOLERANCE = 10
    assert rag.rate(actual, target, polarity).status == expected


def test_rag_tolerance_is_a_setting(settings):
    settings.SAFEPATH_RAG_AMBER_TOLERANCE = 0
    assert rag.rate(Decimal("99.99"), 100, rag.HIGHER).status == rag.Status.RED
    settings.SAFEPATH_RAG_AMBER_TOLERANCE = 25
    assert rag.rate(75, 100, rag.HIGHER).status == rag.Status.AMBER
    assert rag.rate(125, 100, rag.LOWER).status == rag.Status.AMBER
    assert rag.rate(74, 100, rag.HIGHER, tolerance=Decimal("0.25")).status == rag.Status.RED


def test_rag_not_rated_says_why_in_words():
    rating = rag.rate(None, 100, rag.HIGHER, reason="hidden by disclosure control")
    assert rating.status == rag.Status.NOT_RATED
    assert rating.words == "Not rated: hidden by disclosure control"
    assert rag.rate(None, 100, rag.HIGHER).words == "Not rated: no actual for this period"
    assert rag.rate(100, 100, rag.HIGHER).words == "Green: target met"
    with pytest.raises(ValueError):
        rag.rate(1, 1, "sideways")


numbers = st.decimals(min_value=-10_000, max_value=10_000, places=2, allow_nan=False, allow_infinity=False)
tolerances = st.decimals(min_value=0, max_value=1, places=2)


@given(actual=numbers, target=numbers, tolerance=tolerances)
def test_flipping_polarity_mirrors_the_rating(actual, target, tolerance):
    higher = rag.rate(actual, target, rag.HIGHER, tolerance=tolerance)
    lower = rag.rate(-actual, -target, rag.LOWER, tolerance=tolerance)
    assert higher == lower


@given(a=numbers, b=numbers, target=numbers, tolerance=tolerances, polarity=st.sampled_from([rag.HIGHER, rag.LOWER]))
def test_a_better_actual_never_gets_a_worse_rating(a, b, target, tolerance, polarity):
    worse, better = sorted((a, b)) if polarity == rag.HIGHER else sorted((a, b), reverse=True)
    rank = rag.ORDER.index
    assert rank(rag.rate(better, target, polarity, tolerance=tolerance).status) <= rank(
        rag.rate(worse, target, polarity, tolerance=tolerance).status
    )


# --- the section from factory data -------------------------------------------------------------


def _target(contract, name, value, *, metric="", unit="%", polarity=Polarity.HIGHER_IS_BETTER, period=QUARTER):
    return services.target_create(
        request=None,
        contract=contract,
        name=name,
        kind=TargetKind.OUTCOME,
        polarity=polarity,
        value=Decimal(value),
        unit=unit,
        period_start=period.first,
        period_end=period.last,
        metric=metric,
    )


def _update(target, narrative, actual=None, period=QUARTER):
    return services.target_update_record(
        request=None,
        target=target,
        token=next(TOKENS),
        period_start=period.first,
        period_end=period.last,
        narrative=narrative,
        actual=None if actual is None else Decimal(actual),
    )


@pytest.fixture
def world(db):
    hub = f.hub()
    county = f.area(name="Northshire")
    town = f.area(parent=county, name="Eastwick")
    other = f.area(name="Westmoor")
    ours = OrganisationFactory(type=OrganisationType.COMMISSIONER)
    ours.areas.add(county)
    theirs = OrganisationFactory(type=OrganisationType.COMMISSIONER)
    theirs.areas.add(other)
    # Referrals: (day, area, MARAC case, repeat). Counted below without the report's queries.
    made = []
    for i in range(37):
        made.append((date(2025, 7, 1) + f.days(i * 2), town, i < 30, i < 4))
    made += [(date(2025, 6, 30), town, True, True), (date(2025, 10, 1), town, False, False)]  # outside the quarter
    made += [(date(2025, 8, 1), other, True, False)] * 3  # another area
    for day, where, marac, repeat in made:
        f.referral(hub=hub, person=f.person(), received=f.at(day), area=where, is_marac_case=marac, is_repeat=repeat)
    contract = make_contract(ours, title="Integrated domestic abuse service")
    elsewhere = make_contract(theirs, title="Westmoor outreach")
    year = Period(date(2025, 4, 1), date(2026, 3, 31))
    t = {
        "referrals": _target(contract, "Referrals received", "40", metric="referrals.total", unit=""),
        "repeats": _target(
            contract, "MARAC repeat rate", "28", metric="marac.repeat_rate", polarity=Polarity.LOWER_IS_BETTER
        ),
        "safer": _target(contract, "Clients feeling safer at exit", "80"),
        "rural": _target(contract, "People supported from rural districts", "900", unit="people", period=year),
        "few": _target(contract, "Perpetrators completing the programme", "12", unit="people"),
        "silent": _target(contract, "Volunteers trained", "20", unit="people"),
        "last_year": _target(
            contract, "Old target", "1", period=Period(date(2024, 4, 1), date(2025, 3, 31)), unit="people"
        ),
        "elsewhere": _target(elsewhere, "Westmoor referrals", "10", metric="referrals.total", unit=""),
    }
    _update(t["safer"], "Exit questionnaires returned by most clients.", "78")
    _update(t["rural"], "Outreach in the villages started.", "230")
    _update(t["few"], "A small group this quarter.", "5")
    _update(t["rural"], "Earlier note for the whole year.", period=Period(date(2025, 4, 1), date(2025, 12, 31)))
    in_scope = [m for m in made if QUARTER.first <= m[0] <= QUARTER.last and m[1] in (county, town)]
    return {
        "county": county,
        "ours": ours,
        "contract": contract,
        "targets": t,
        "referrals": len(in_scope),
        "marac": sum(1 for m in in_scope if m[2]),
        "repeats": sum(1 for m in in_scope if m[2] and m[3]),
    }


def _report(world, *, suppress=True, everywhere=False):
    scope = Scope(QUARTER) if everywhere else Scope.for_areas(QUARTER, [world["county"].pk])
    return build_report(scope, area=None if everywhere else "Northshire", suppress=suppress)


def _rows(report):
    return {row["target"]: row for row in report.sections["performance"]}


def test_a_measured_target_takes_the_reports_own_figure(world):
    report = _report(world)
    row = _rows(report)["Referrals received"]
    assert world["referrals"] == 37
    assert row["actual"] == world["referrals"] == report.referrals["total"].value
    assert row["target_for_period"] == 40 and not row["pro_rata"]
    assert row["rag"] == "amber"  # 37 is within 10% of 40
    assert row["rag_words"] == "Amber: just short of the target"
    assert row["polarity_words"] == "Higher is better"
    assert row["narrative"] is None and row["narrative_text"] == "No narrative written for this period"


def test_a_hidden_rate_is_not_rated_and_says_why(world):
    report = _report(world)
    row = _rows(report)["MARAC repeat rate"]
    assert world["repeats"] == 4  # fewer than 10: hidden, and so is its rate
    assert row["rag"] == "not_rated" and row["actual"] is None
    assert "hidden by disclosure control" in row["rag_words"]
    shown = _rows(_report(world, suppress=False))["MARAC repeat rate"]
    expected = (Decimal(world["repeats"]) / world["marac"] * 100).quantize(Decimal("0.1"))
    assert Decimal(str(shown["actual"])) == expected  # 4 of 30: 13.3%
    assert shown["rag"] == "green"  # lower is better: 13.3% against 28%
    assert shown["polarity_words"] == "Lower is better"


def test_hand_recorded_actuals_rate_against_the_target(world):
    rows = _rows(_report(world))
    safer = rows["Clients feeling safer at exit"]
    assert safer["actual"] == 78.0 and safer["rag"] == "amber" and safer["actual_source"] == "recorded"
    assert safer["narrative_text"] == "Exit questionnaires returned by most clients."
    # A year's count target is compared pro rata for the quarter: 900 × 92 / 365 = 226.8 → 227.
    rural = rows["People supported from rural districts"]
    assert rural["pro_rata"] and rural["target_for_period"] == 227.0
    assert rural["actual"] == 230 and rural["rag"] == "green"
    assert "227 people pro rata" in rural["target_text"]
    # The narrative for exactly the report's period wins over a longer overlapping one.
    assert rural["narrative_text"] == "Outreach in the villages started."


def test_a_small_hand_recorded_count_is_hidden(world):
    row = _rows(_report(world))["Perpetrators completing the programme"]
    assert row["actual"] == "<10" and row["actual_text"] == "<10" and row["rag"] == "not_rated"
    assert "hidden by disclosure control" in row["rag_words"]
    assert _rows(_report(world, suppress=False))["Perpetrators completing the programme"]["rag"] == "red"


def test_no_actual_and_no_narrative_are_said_in_words(world):
    row = _rows(_report(world))["Volunteers trained"]
    assert row["rag_words"] == "Not rated: no actual recorded for this period"
    assert row["narrative_text"] == "No narrative written for this period"


def test_an_actual_for_another_period_is_not_used(world):
    target = world["targets"]["safer"]
    report = build_report(Scope.for_areas(Period(date(2025, 7, 1), date(2025, 12, 31)), [world["county"].pk]))
    row = next(r for r in report.sections["performance"] if r["target"] == target.name)
    assert row["rag"] == "not_rated"
    assert "is for 1 Jul 2025 to 30 Sep 2025, not this report's period" in row["rag_words"]
    assert row["narrative_text"].startswith("For 1 Jul 2025 to 30 Sep 2025: ")


def test_it_takes_contracts_serving_the_area_and_targets_in_the_period(world):
    names = set(_rows(_report(world)))
    assert "Westmoor referrals" not in names  # another organisation's area
    assert "Old target" not in names  # ended before the period
    assert "Westmoor referrals" in set(_rows(_report(world, everywhere=True)))
    # A report for the town inside the county still takes the county's contract.
    town = Scope.for_areas(QUARTER, [world["county"].children.get().pk])
    assert "Referrals received" in {r["target"] for r in build_report(town).sections["performance"]}


def test_the_section_runs_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    report = _report(world)
    with django_assert_max_num_queries(6):
        rows = performance.SECTION.build(report, _Rules(True))
    assert len(rows) == 6
    for n in range(10):
        _target(world["contract"], f"Extra {n}", "5", unit="people")
    with django_assert_max_num_queries(6):
        assert len(performance.SECTION.build(report, _Rules(True))) == 16


# --- every output --------------------------------------------------------------------------------


def test_json_csv_html_and_docx_have_the_section(world):
    allocation_year = make_funding(world["ours"], Decimal("50000.00"), year=2025, name="Public health grant")
    services.allocation_create(
        request=None, funding_year=allocation_year, contract=world["contract"], amount=Decimal("40000.00")
    )
    report = _report(world)
    data = json.loads(json.dumps(to_json(report)))
    assert {r["target"] for r in data["performance"]} >= {"Referrals received", "Clients feeling safer at exit"}
    first = data["performance"][0]
    assert {"contract", "target", "polarity", "target_value", "actual", "rag", "rag_words", "narrative"} <= set(first)
    assert data["funding"][0]["financial_year"] == "2025/26"
    assert data["funding"][0]["total"] == 40000.0
    assert {"from": "Public health grant", "stage": 1} == {
        k: data["funding"][0]["links"][0][k] for k in ("from", "stage")
    }

    rows = list(report_rows(report))
    assert ("performance", f"{world['contract'].reference}: Referrals received", "rag") in {r[:3] for r in rows}
    assert any(
        r[0] == "performance" and r[2] == "narrative" and r[3] == "Exit questionnaires returned by most clients."
        for r in rows
    )
    assert any(r[0] == "funding" and r[3] == "40000.00" for r in rows)

    html = render_to_string("reporting/printable.html", dashboard_context(report))
    assert 'id="performance"' in html and 'id="funding"' in html
    assert "Amber" in html and "just short of the target" in html and "Higher is better" in html
    assert "No narrative written for this period" in html
    assert "Public health grant" in html

    doc = Document(io.BytesIO(report_docx(report)))
    text = "\n".join(p.text for p in doc.paragraphs) + "\n".join(
        c.text for t in doc.tables for row in t.rows for c in row.cells
    )
    assert "Performance against the contract" in text and "How the money flows" in text
    assert "Amber: just short of the target" in text and "Lower is better" in text
    assert "Public health grant" in text and "£40,000.00" in text
    assert len(doc.inline_shapes) >= 1  # the funding-flow diagram


def test_an_area_with_no_targets_or_money_says_so(world):
    empty = f.area(name="Southvale")
    report = build_report(Scope.for_areas(QUARTER, [empty.pk]), area="Southvale")
    assert report.sections["performance"] == [] and report.sections["funding"] == []
    html = render_to_string("reporting/printable.html", dashboard_context(report))
    assert "No contract target covers this period and area." in html
    assert "No money is recorded as allocated in 2025/26" in html
