"""Outcomes by pathway and provider (issue 7). Owned by one helper this session; see sections/__init__.py for the protocol."""

from __future__ import annotations

from safepath.reporting.sections import Section


class _Section(Section):
    key = "outcome_groups"
    title = "Outcomes by pathway and provider"
    after = "outcomes"


SECTION = _Section()
