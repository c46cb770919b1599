"""URL × role rows for reporting.

| URL | allowed | 403 |
|---|---|---|
| dashboard, download | commissioner, administrator | everyone else |

Figures are aggregate, so there is no other organisation's record to 404 on; a commissioner
asking for an area their organisation does not serve gets a form error (test_dashboard.py).
"""

from __future__ import annotations

from typing import Any

from safepath.core.roles import Role
from safepath.testing import Row

R = Role
READERS = {R.COMMISSIONER: 200, R.ADMINISTRATOR: 200}


def extend_world(world: dict[str, Any]) -> None:
    """Nothing to add: the dashboard reads aggregates."""


ROWS: list[Row] = [
    Row("reporting:dashboard", READERS, default=403),
    Row("reporting:download", READERS, default=403, args=lambda w: ["csv"]),
]
