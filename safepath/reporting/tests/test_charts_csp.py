"""Charts on the dashboard draw under the site's Content-Security-Policy (`style-src 'self'`):
inline `style` attributes and `<style>` elements would be refused by the browser, leaving every
shape filled black, so none may reach the page."""

from __future__ import annotations

import re
from datetime import date

from safepath.core.roles import OrganisationType, Role
from safepath.reporting import charts
from safepath.reporting.tests import factories as f
from safepath.reporting.tests.test_dashboard import URL, _grow, _query
from safepath.testing import make_member


def test_the_dashboard_charts_use_no_inline_styles(db, login):
    charts.clear_cache()
    county = f.area(name="Kentshire")
    town = f.area(parent=county, name="Hoo Peninsula")
    org = f.OrganisationFactory(type=OrganisationType.COMMISSIONER)
    org.areas.add(county)
    _grow(f.hub(), town, 30)
    page = login(make_member(Role.COMMISSIONER, org)).get(URL, _query(date(2025, 4, 1), date(2025, 6, 30))).content
    svgs = re.findall(r"<svg.*?</svg>", page.decode(), re.S)
    assert len(svgs) >= 3
    for svg in svgs:
        assert "style=" not in svg and "<style" not in svg
    # the colours are still there, as attributes the policy allows
    assert any(re.search(r'<path [^>]*fill="#[0-9a-f]{6}"', svg) for svg in svgs)


def test_each_declaration_becomes_an_attribute() -> None:
    svg = '<svg x="1"><defs><style type="text/css">*{stroke-linecap: butt}</style></defs><path style="fill: #d2e2f1; stroke-width: 0.6"/></svg>'
    out = charts._without_inline_styles(svg)
    assert out == (
        '<svg stroke-linejoin="round" stroke-linecap="butt" x="1"><defs></defs>'
        '<path fill="#d2e2f1" stroke-width="0.6"/></svg>'
    )
