"""One-stop-shop and drop-in contacts (issue 7). Owned by one helper this session; see sections/__init__.py for the protocol."""

from __future__ import annotations

from safepath.reporting.sections import Section


class _Section(Section):
    key = "contacts"
    title = "One-stop-shop and drop-in contacts"
    after = "activity"


SECTION = _Section()
