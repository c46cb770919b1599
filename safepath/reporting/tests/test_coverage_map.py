"""The coverage map: drawn from configured boundaries, hidden rates hatched, missing boundaries
listed, and shown on the dashboard (SVG) and in the committee paper (PNG)."""

from __future__ import annotations

import io
import pickle
import re
from datetime import date

import pytest
from django.urls import reverse

from safepath.core.roles import OrganisationType, Role
from safepath.reporting.maps import MapArea, band_of, choropleth, class_bands
from safepath.reporting.metrics.scope import Scope
from safepath.reporting.periods import Period
from safepath.reporting.report import build_report
from safepath.reporting.sections import coverage_map
from safepath.reporting.tests import factories as f
from safepath.testing import make_member

Q2 = Period(date(2025, 4, 1), date(2025, 6, 30))


def _square(x: float, y: float, size: float = 1000) -> dict:
    ring = [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]
    return {"type": "Polygon", "coordinates": [ring]}


@pytest.fixture
def county(db):
    """A county of three towns: two with boundaries (British National Grid), one without."""
    county = f.area(name="Kentshire", boundary=_square(570000, 160000, 5000))
    towns = {
        "busy": f.area(
            parent=county, name="Busytown", boundary=_square(570000, 160000), adult_women=5000, adult_men=5000
        ),
        "quiet": f.area(parent=county, name="Quietville", boundary=_square(571000, 160000)),
        "unmapped": f.area(parent=county, name="Nomapham"),
        # The next smallest count: hidden too (secondary suppression), so Busytown's can be shown.
        "small": f.area(parent=county, name="Smallburgh", boundary=_square(572000, 160000)),
    }
    hub = f.hub()
    for town, n in (("busy", 25), ("quiet", 3), ("unmapped", 30), ("small", 12)):
        for i in range(n):
            f.referral(hub=hub, person=f.person(), received=f.at(date(2025, 4, 2) + f.days(i % 60)), area=towns[town])
    return county, towns


def _report(county, suppress=True):
    return build_report(Scope.for_areas(Q2, [county.pk]), area=None, suppress=suppress)


def test_it_keeps_each_area_of_the_coverage_table_with_its_rate_and_boundary(county):
    report = _report(county[0])
    built = {a["area"]: a for a in report.sections["coverage_map"]["areas"]}
    by_area = {row["area"]: row for row in report.coverage["by_area"]}
    assert set(built) == set(by_area)  # the county has no referrals of its own: reported through its parts
    assert built["Busytown"]["rate"] == by_area["Busytown"]["referrals_per_1000"] == 2.5  # 25 per 10,000 adults
    assert built["Quietville"]["rate"] is None  # 3 referrals: hidden
    assert built["Nomapham"]["boundary"] is None
    assert built["Busytown"]["boundary"] == _square(570000, 160000)


def test_the_map_hatches_hidden_rates_and_lists_areas_without_a_boundary(county):
    context = coverage_map.SECTION.context(_report(county[0]))
    svg = str(context["svg"])
    assert svg.startswith('<svg role="img" aria-label="Map of referrals per 1,000 adults"')
    assert "<pattern" in svg  # the hatch of the hidden area
    assert "Not shown: a hidden figure" in svg and "Busytown" in svg and "Quietville" in svg
    assert "Nomapham" not in svg
    assert context["hidden"] is True
    assert context["missing"] == ["Nomapham"]
    # The dashboard caches a closed period's context: it must survive pickling unchanged.
    assert pickle.loads(pickle.dumps(context)) == context  # noqa: S301 - our own data


def test_without_suppression_every_rate_is_shaded(county):
    report = _report(county[0], suppress=False)
    rates = {a["area"]: a["rate"] for a in report.sections["coverage_map"]["areas"]}
    assert rates["Quietville"] == round(3 * 1000 / 98_000, 2)
    context = coverage_map.SECTION.context(report)
    assert context["hidden"] is False and "<pattern" not in str(context["svg"])


def test_an_area_made_of_others_is_not_drawn_its_parts_are(county):
    hub = f.hub()
    for i in range(12):  # recorded against the county itself
        f.referral(hub=hub, person=f.person(), received=f.at(date(2025, 5, 1 + i)), area=county[0])
    report = _report(county[0])
    context = coverage_map.SECTION.context(report)
    assert context["parts"] == ["Kentshire"]
    assert "Kentshire" not in str(context["svg"])


def test_without_any_boundary_there_is_no_map(db):
    town = f.area(name="Plainton")
    report = build_report(Scope.for_areas(Q2, [town.pk]), area=None)
    context = coverage_map.SECTION.context(report)
    assert context["svg"] is None and context["missing"] == ["Plainton"]


def test_the_section_adds_no_figure_of_its_own_to_the_json_or_table(county):
    from safepath.reporting.exports import report_rows
    from safepath.reporting.report import to_json

    report = _report(county[0])
    assert "coverage_map" not in to_json(report)
    assert not [row for row in report_rows(report) if row[0] == "coverage_map"]


# --- bands -----------------------------------------------------------------------------------


def test_bands_run_from_zero_past_the_largest_value_in_round_steps():
    bands = class_bands([0.4, 1.2, 2.5, 3.3, 4.37])
    assert bands[0][0] == 0 and bands[-1][1] >= 4.37 and len(bands) == 5
    assert bands == [(0.0, 0.88), (0.88, 1.76), (1.76, 2.64), (2.64, 3.52), (3.52, 4.4)]
    assert [band_of(v, bands) for v in (0.4, 0.88, 0.89, 4.37)] == [0, 0, 1, 4]
    assert class_bands([7.0, 7.0]) == [(0.0, 7.0)]
    assert class_bands([]) == [(0.0, 0.0)]


def test_a_shape_with_a_hole_and_lon_lat_coordinates_draws(db):
    outer = [[0.4, 51.3], [0.7, 51.3], [0.7, 51.5], [0.4, 51.5], [0.4, 51.3]]
    hole = [[0.5, 51.35], [0.6, 51.35], [0.6, 51.45], [0.5, 51.45], [0.5, 51.35]]
    multi = {
        "type": "MultiPolygon",
        "coordinates": [[outer, hole], [[[0.8, 51.3], [0.9, 51.3], [0.9, 51.4], [0.8, 51.3]]]],
    }
    png = choropleth("t", "Test", [MapArea("Holey", multi, 1.5)], unit="per 1,000", hidden_label="Not shown", fmt="png")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"


# --- dashboard and paper -----------------------------------------------------------------------


@pytest.fixture
def commissioner(county):
    org = f.OrganisationFactory(type=OrganisationType.COMMISSIONER)
    org.areas.add(county[0])
    return make_member(Role.COMMISSIONER, org)


QUERY = {"from_day": "1", "from_month": "4", "from_year": "2025", "to_day": "30", "to_month": "6", "to_year": "2025"}


def test_the_dashboard_shows_the_map_after_the_coverage_table(login, commissioner):
    page = login(commissioner).get(reverse("reporting:dashboard"), QUERY | {"area": ""}).content.decode()
    coverage = page.index('id="coverage"')
    table = page.index("Referrals and people per 1,000 adults by area</caption>")
    heading = page.index('id="coverage_map"')
    assert coverage < table < heading < page.index('id="capacity"')
    section = page[heading : page.index('id="capacity"')]
    assert re.search(r'<svg role="img" aria-label="Map of referrals per 1,000 adults"', section)
    assert "The table “Referrals and people per 1,000 adults by area” above has the same figures." in section
    assert "Hatched areas are not shown" in section
    assert "No boundary configured, so not on the map: Nomapham." in section


def test_the_committee_paper_has_the_map_as_a_picture(login, commissioner):
    from docx import Document

    response = login(commissioner).get(reverse("reporting:download", args=["docx"]), QUERY | {"area": ""})
    doc = Document(io.BytesIO(response.content))
    texts = [p.text for p in doc.paragraphs]
    at = texts.index("Map of referrals per 1,000 adults")
    assert texts.index("Coverage") < at < texts.index("Capacity")
    assert "No boundary configured: Nomapham." in texts
    pictures = [p for p in doc.paragraphs[at : texts.index("Capacity")] if p._p.xpath(".//pic:pic")]
    assert len(pictures) == 1


def test_a_long_ring_is_thinned_for_drawing_and_stays_closed():
    from safepath.reporting.maps import MAX_DRAWN_POINTS, _thinned

    ring = [[i, i % 3] for i in range(4999)] + [[0, 0]]
    thinned = _thinned(ring)
    assert len(thinned) <= MAX_DRAWN_POINTS and thinned[0] == thinned[-1] == [0, 0]
    assert _thinned(ring[:10] + [[0, 0]]) == ring[:10] + [[0, 0]]
