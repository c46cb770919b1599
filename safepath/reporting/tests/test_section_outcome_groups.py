"""Outcomes by pathway and provider: every figure against counts worked out here from the records
made, disclosure control across the two breakdowns, the outputs, and a constant query count."""

from __future__ import annotations

import io
import pickle
import random
from collections import Counter
from datetime import date, datetime
from fractions import Fraction

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document

from safepath.core.roles import OrganisationType, Role
from safepath.outcomes.models import Measure, Recording
from safepath.reporting.exports import report_bytes, report_rows
from safepath.reporting.metrics.outcomes import ABUSE_REDUCED_AT_LEAST
from safepath.reporting.metrics.scope import Scope
from safepath.reporting.periods import Period
from safepath.reporting.presenters import dashboard_context
from safepath.reporting.report import _Rules, build_report, to_json
from safepath.reporting.sections import outcome_groups
from safepath.reporting.tests import factories as f
from safepath.testing import make_member

PERIOD = Period(date(2025, 4, 1), date(2025, 6, 30))
RISK = {"standard": 0, "medium": 1, "high": 2}
_tokens = iter(range(10**9))


def _inside(moment: datetime | None) -> bool:
    return moment is not None and PERIOD.start <= moment < PERIOD.end


def _answer(case, measure, moment, value, when):
    Recording.objects.create(
        case=case,
        measure=measure,
        moment=moment,
        value=value,
        skip_reason="" if value is not None else "declined",
        recorded_at=when,
        token=f"t{next(_tokens)}",
    )


@pytest.fixture
def measures(db):
    safety = Measure.objects.get(framework__code="medway", code="safety")
    # A question where a lower answer is better, to test the direction.
    worry = Measure.objects.create(
        framework=safety.framework,
        code="worry",
        question="How worried are you?",
        scale=safety.scale,
        higher_is_better=False,
    )
    abuse = Measure.objects.get(framework__code="abuse-change", code="overall")
    return safety, worry, abuse


def _closed_case(hub, provider, code, closed, *, rng, measures, area=None, from_referral=True):
    """One closed case with random answers; returns what it should count for, worked out here."""
    safety, worry, abuse = measures
    opened = f.at(date(2025, 1, 10))
    someone = f.person()
    start = rng.choice(["standard", "medium", "high"])
    end = rng.choice(["standard", "medium", "high"])
    referral = (
        f.referral(hub=hub, person=someone, received=opened, risk_level=start, area=area) if from_referral else None
    )
    if not from_referral and area is not None:
        someone.area = area
        someone.save()
    case = f.case(
        provider=provider,
        referral=referral,
        person=someone,
        code=code,
        opened=opened,
        risk_level=end,
        status="closed",
        closed_at=closed,
        closure_reason="support_complete",
    )
    compared = improved = False
    for measure in (safety, worry):
        intake = [rng.choice([None, 1, 2, 3, 4, 5]) for _ in range(rng.randrange(0, 3))]
        exits = [rng.choice([None, 1, 2, 3, 4, 5]) for _ in range(rng.randrange(0, 3))]
        for k, v in enumerate(intake):
            _answer(case, measure, "intake", v, opened + f.days(k))
        for k, v in enumerate(exits):
            _answer(case, measure, "exit", v, closed - f.days(3 - k))
        first = next((v for v in intake if v is not None), None)
        last = next((v for v in reversed(exits) if v is not None), None)
        if first is not None and last is not None:
            compared = True
            improved |= last > first if measure.higher_is_better else last < first
    said = rng.choice([None, None, 1, 2, 3, 4, 4])
    if said is not None or rng.random() < 0.5:
        _answer(case, abuse, "exit", said, closed)
    return {
        "closed": 1,
        "compared": int(compared),
        "improved": int(improved),
        "answered": int(said is not None),
        "reduced": int(said is not None and said >= ABUSE_REDUCED_AT_LEAST),
        "risk_cases": int(referral is not None),
        "lower": int(referral is not None and RISK[end] < RISK[start]),
    }


def _world(measures, n_pathways, n_providers, per_cell, seed=5, area=None, prefix="Provider"):
    """Cases closed inside and outside the period on each pathway with each provider; the counts
    each pathway and provider should show, added up here case by case."""
    rng = random.Random(seed)  # noqa: S311 - test data, not security
    hub = f.hub()
    codes = ["idva", "outreach", "children", "health-advocacy", "group-programme"][:n_pathways]
    providers = [f.OrganisationFactory(name=f"{prefix} {chr(65 + i)}") for i in range(n_providers)]
    expected = {"pathway": {}, "provider": {}}
    for code in codes:
        for provider in providers:
            for i in range(per_cell):
                closed = f.at(date(2025, 5, 1) + f.days(rng.randrange(40))) if i % 5 else f.at(date(2025, 8, 2))
                got = _closed_case(
                    hub, provider, code, closed, rng=rng, measures=measures, area=area, from_referral=i % 7 != 3
                )
                if _inside(closed):
                    expected["pathway"].setdefault(code, Counter()).update(got)
                    expected["provider"].setdefault(provider.name, Counter()).update(got)
    return expected


KEYS = ("closed", "compared", "improved", "answered", "reduced", "risk_cases", "lower")


def test_it_counts_every_figure_per_pathway_and_provider(measures):
    expected = _world(measures, 3, 2, 12)
    report = build_report(Scope(PERIOD), suppress=False)
    built = report.sections["outcome_groups"]
    by_pathway = {row["code"]: row for row in built["by_pathway"]}
    by_provider = {row["name"]: row for row in built["by_provider"]}
    assert set(by_pathway) == set(expected["pathway"]) and set(by_provider) == set(expected["provider"])
    for rows, wanted in ((by_pathway, expected["pathway"]), (by_provider, expected["provider"])):
        for name, counts in wanted.items():
            assert {k: rows[name][k].value for k in KEYS} == {k: counts[k] for k in KEYS}, name
            for part, base, rate in (
                ("improved", "compared", "improved_rate"),
                ("reduced", "answered", "reduced_rate"),
                ("lower", "risk_cases", "lower_rate"),
            ):
                share = round(counts[part] / counts[base], 3) if counts[base] else None
                assert rows[name][rate] == share


def test_it_limits_the_groups_to_the_area(measures):
    mine, other = f.area(), f.area()
    expected = _world(measures, 2, 2, 6, seed=8, area=mine)
    _world(measures, 2, 2, 6, seed=9, area=other, prefix="Elsewhere")
    built = build_report(Scope.for_areas(PERIOD, [mine.pk]), suppress=False).sections["outcome_groups"]
    assert {r["code"]: r["closed"].value for r in built["by_pathway"]} == {
        code: c["closed"] for code, c in expected["pathway"].items()
    }
    assert {r["name"]: r["compared"].value for r in built["by_provider"]} == {
        name: c["compared"] for name, c in expected["provider"].items()
    }


def _determined(target: list[int], equations: list[list[int]]) -> bool:
    """Whether the sum `target` of unknowns is fixed by the shown sums `equations`: it is exactly
    when it lies in their span (rational arithmetic, independent of the code under test)."""

    def rank(rows: list[list[Fraction]]) -> int:
        rows = [r[:] for r in rows]
        r = 0
        for c in range(len(rows[0]) if rows else 0):
            pivot = next((i for i in range(r, len(rows)) if rows[i][c] != 0), None)
            if pivot is None:
                continue
            rows[r], rows[pivot] = rows[pivot], rows[r]
            for i in range(len(rows)):
                if i != r and rows[i][c] != 0:
                    factor = rows[i][c] / rows[r][c]
                    rows[i] = [a - factor * b for a, b in zip(rows[i], rows[r], strict=True)]
            r += 1
        return r

    shown = [[Fraction(x) for x in eq] for eq in equations]
    return rank([*shown, [Fraction(x) for x in target]]) == rank(shown) if shown else False


def _small_world(measures):
    """Pathway idva: 27 cases with provider A, 3 with provider B; pathway outreach: 20 with A.
    B's 3 cases are small: hiding B alone would leave it as idva's total less A's share of it..."""
    rng = random.Random(2)  # noqa: S311 - test data, not security
    hub = f.hub()
    a, b = f.OrganisationFactory(name="Provider A"), f.OrganisationFactory(name="Provider B")
    closed = f.at(date(2025, 5, 5))
    for provider, code, n in ((a, "idva", 27), (b, "idva", 3), (a, "outreach", 20)):
        for _ in range(n):
            _closed_case(hub, provider, code, closed, rng=rng, measures=measures)
    return ["idva", "outreach"], ["Provider A", "Provider B"], {(0, 0): 27, (0, 1): 3, (1, 0): 20}


def test_it_hides_a_small_provider_so_that_no_total_shown_gives_it_away(measures):
    pathways, providers, cells = _small_world(measures)
    built = build_report(Scope(PERIOD)).sections["outcome_groups"]
    by_pathway = {r["code"]: r["closed"] for r in built["by_pathway"]}
    by_provider = {r["name"]: r["closed"] for r in built["by_provider"]}
    assert by_provider["Provider B"].suppressed and by_provider["Provider B"].value is None
    # Unknowns: the cases of each (pathway, provider); each shown figure is a sum of some of them.
    grid = [(i, j) for i in range(len(pathways)) for j in range(len(providers))]
    equations = []
    for i, code in enumerate(pathways):
        if not by_pathway[code].suppressed:
            equations.append([1 if cell[0] == i else 0 for cell in grid])
    for j, name in enumerate(providers):
        if not by_provider[name].suppressed:
            equations.append([1 if cell[1] == j else 0 for cell in grid])
    # Cells known to be empty are known too (outreach with provider B).
    for k, cell in enumerate(grid):
        if cells.get(cell, 0) == 0:
            equations.append([1 if m == k else 0 for m in range(len(grid))])
    b_total = [1 if cell[1] == 1 else 0 for cell in grid]
    assert not _determined(b_total, equations)
    # The shown figures are right.
    shown = {**{c: fig.value for c, fig in by_pathway.items()}, **{n: fig.value for n, fig in by_provider.items()}}
    truth = {"idva": 30, "outreach": 20, "Provider A": 47, "Provider B": 3}
    assert all(truth[k] == v for k, v in shown.items() if v is not None)


def test_it_hides_a_base_when_the_rest_of_it_is_small(measures):
    """20 cases answered the abuse question on a pathway and 18 said it reduced: the 2 it did not
    must not be worked out, so the base and the share are hidden (the 18 can stay)."""
    provider = f.OrganisationFactory(name="Provider A")
    _safety, _worry, abuse = measures
    closed = f.at(date(2025, 5, 5))
    for code, said in [("idva", 4)] * 18 + [("idva", 1)] * 2 + [("outreach", 4)] * 15 + [("outreach", 2)] * 15:
        someone = f.person()
        case = f.case(
            provider=provider,
            referral=None,
            person=someone,
            code=code,
            opened=f.at(date(2025, 1, 5)),
            status="closed",
            closed_at=closed,
            closure_reason="support_complete",
        )
        _answer(case, abuse, "exit", said, closed)
    report = build_report(Scope(PERIOD))
    # The outcomes section hides the area's "stopped or reduced" only when its own rest is small: not here.
    assert not report.outcomes["abuse_stopped_or_reduced"]["stopped_or_reduced"].suppressed
    idva = next(r for r in report.sections["outcome_groups"]["by_pathway"] if r["code"] == "idva")
    assert idva["answered"].suppressed or idva["reduced"].suppressed
    assert idva["reduced_rate"] is None
    outreach = next(r for r in report.sections["outcome_groups"]["by_pathway"] if r["code"] == "outreach")
    unsuppressed = build_report(Scope(PERIOD), suppress=False).sections["outcome_groups"]["by_pathway"]
    assert next(r for r in unsuppressed if r["code"] == "idva")["answered"].value == 20
    if not outreach["answered"].suppressed:
        assert (outreach["answered"].value, outreach["reduced"].value) == (30, 15)


def test_it_hides_an_outcome_for_every_group_when_the_outcomes_section_hides_the_area_figure(measures):
    """25 answered, 22 reduced: the outcomes section hides "stopped or reduced" (3 did not); the
    groups' figures would add up to it, so they are hidden too."""
    provider = f.OrganisationFactory(name="Provider A")
    abuse = measures[2]
    closed = f.at(date(2025, 5, 5))
    for code, said in [("idva", 4)] * 12 + [("outreach", 3)] * 10 + [("idva", 1)] * 3:
        case = f.case(
            provider=provider,
            referral=None,
            person=f.person(),
            code=code,
            opened=f.at(date(2025, 1, 5)),
            status="closed",
            closed_at=closed,
            closure_reason="support_complete",
        )
        _answer(case, abuse, "exit", said, closed)
    report = build_report(Scope(PERIOD))
    assert report.outcomes["abuse_stopped_or_reduced"]["stopped_or_reduced"].suppressed
    for grouping in ("by_pathway", "by_provider"):
        for row in report.sections["outcome_groups"][grouping]:
            assert row["reduced"].suppressed and row["reduced_rate"] is None
            assert not row["closed"].suppressed  # other figures stay


def test_it_puts_the_groups_in_every_output(measures):
    expected = _world(measures, 2, 2, 15, seed=3)
    report = build_report(Scope(PERIOD))
    data = to_json(report)["outcome_groups"]
    assert set(data) == {"by_pathway", "by_provider"}
    keys = {"name", "closed", "compared", "improved", "improved_rate", "answered", "reduced", "reduced_rate"}
    keys |= {"risk_cases", "lower", "lower_rate"}
    assert all(set(row) == keys | {"code"} for row in data["by_pathway"])
    assert all(set(row) == keys for row in data["by_provider"])
    assert all(isinstance(row["closed"], int) or row["closed"] == "<10" for row in data["by_pathway"])
    rows = [r for r in report_rows(report) if r[0] == "outcome_groups"]
    closed = {r[2]: r[3] for r in rows if r[1] == "closed"}
    for code, counts in expected["pathway"].items():
        assert closed[f"pathway:{code}"] == counts["closed"]  # 12 per pathway and provider, so none hidden
    assert all(len(r) == 6 and r[5] for r in rows)

    html = report_bytes(report, "html").decode()
    assert 'id="outcome_groups"' in html and "Outcomes of cases closed in the period, by provider" in html
    assert "Provider A" in html and "Zephyrine" not in html
    context = dashboard_context(report)
    shown = context["sections"]["outcome_groups"]
    assert pickle.loads(pickle.dumps(shown)) == shown  # noqa: S301 - our own bytes

    doc = Document(io.BytesIO(report_bytes(report, "docx")))
    texts = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert "Improved on at least one measure" in texts and "Provider B" in texts


def test_it_says_so_when_no_case_closed(db):
    report = build_report(Scope(PERIOD))
    assert to_json(report)["outcome_groups"] == {"by_pathway": [], "by_provider": []}
    assert outcome_groups.SECTION.context(report)["tables"] == []
    assert "No case closed in the period." in report_bytes(report, "html").decode()


@pytest.mark.parametrize("suppress", [True, False])
def test_it_runs_three_queries_whatever_the_number_of_groups(measures, django_assert_num_queries, suppress):
    counts = []
    for n_pathways, n_providers in ((1, 1), (4, 3)):
        _world(measures, n_pathways, n_providers, 3, seed=n_pathways, prefix=f"Size {n_pathways}")
        report = build_report(Scope(PERIOD), suppress=suppress)
        with django_assert_num_queries(3):
            outcome_groups.SECTION.build(report, _Rules(suppress))
        with CaptureQueriesContext(connection) as queries:
            build_report(Scope(PERIOD), suppress=suppress)
        counts.append(len(queries))
    assert counts[0] == counts[1], f"build_report: {counts[0]} queries with 1 group, {counts[1]} with 12"


def test_it_shows_a_commissioner_the_groups_with_no_more_queries_for_more_groups(
    measures, login, django_assert_max_num_queries
):
    county = f.area(name="Kentshire")
    org = f.OrganisationFactory(type=OrganisationType.COMMISSIONER)
    org.areas.add(county)
    client = login(make_member(Role.COMMISSIONER, org))
    query = {"from_day": "1", "from_month": "4", "from_year": "2025", "to_day": "30", "to_month": "6"}
    query |= {"to_year": "2025", "area": str(county.pk)}
    url = reverse("reporting:dashboard")
    _world(measures, 1, 1, 12, seed=1, area=county, prefix="Small")
    client.get(url, query)  # warm per-session caches
    with CaptureQueriesContext(connection) as small:
        page = client.get(url, query).content.decode()
    assert 'id="outcome_groups"' in page and "Small A" in page and "Zephyrine" not in page
    _world(measures, 4, 3, 12, seed=2, area=county, prefix="Large")
    with django_assert_max_num_queries(len(small)):
        page = client.get(url, query).content.decode()
    assert all(f"Large {c}" in page for c in "ABC")
