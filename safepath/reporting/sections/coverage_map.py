"""Map of referrals per 1,000 adults (issue 7). Owned by one helper this session; see sections/__init__.py for the protocol."""

from __future__ import annotations

from safepath.reporting.sections import Section


class _Section(Section):
    key = "coverage_map"
    title = "Map of referrals per 1,000 adults"
    after = "coverage"


SECTION = _Section()
