"""Performance against the contract (issue 7). Owned by one helper this session; see sections/__init__.py for the protocol."""

from __future__ import annotations

from safepath.reporting.sections import Section


class _Section(Section):
    key = "performance"
    title = "Performance against the contract"
    after = None


SECTION = _Section()
