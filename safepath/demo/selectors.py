"""Reads for the demo: which scenario the database holds."""

from __future__ import annotations

from safepath.demo.models import LoadedScenario
from safepath.demo.scenarios import SCENARIOS, Scenario


def loaded_scenario() -> Scenario | None:
    """The scenario `safepath demo` loaded into this database, or None (a real installation)."""
    row = LoadedScenario.objects.order_by("-loaded_at").first()
    return SCENARIOS.get(row.name) if row else None
