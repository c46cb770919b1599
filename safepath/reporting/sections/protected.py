"""Protected characteristics against the MARAC national profile (issue 7). Owned by one helper this session; see sections/__init__.py for the protocol."""

from __future__ import annotations

from safepath.reporting.sections import Section


class _Section(Section):
    key = "protected"
    title = "Protected characteristics against the MARAC national profile"
    after = "demand"


SECTION = _Section()
