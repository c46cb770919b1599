"""Helpers shared by the import tests (this module has no tests of its own)."""

from __future__ import annotations

import io
import itertools
from datetime import UTC, datetime
from typing import Any

import pytest

from safepath.core.roles import OrganisationType
from safepath.referrals.importing import import_file
from safepath.testing import AreaFactory, OrganisationFactory

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
HEADER = [
    "source", "source_ref", "received_at", "first_name", "last_name", "date_of_birth", "sex", "postcode", "area",
    "risk_level", "dash_score", "professional_judgement_high", "police_callouts_12m", "children_in_household",
    "abuse_types", "perpetrator_first_name", "perpetrator_last_name", "perpetrator_date_of_birth", "relationship", "consent",
]  # fmt: skip
_refs = itertools.count(1)


def row(**values: Any) -> dict[str, str]:
    """A good row (police, about Jane Smith, in Chatham); keyword arguments replace values."""
    base = {
        "source": "police",
        "source_ref": f"REF-{next(_refs)}",
        "received_at": "2026-03-10T09:00",
        "first_name": "Jane",
        "last_name": "Smith",
        "date_of_birth": "1990-04-07",
        "postcode": "ME4 4AB",
        "consent": "yes",
    }
    return {name: str(value) for name, value in (base | values).items()}


def csv_bytes(rows: list[dict[str, str]], header: list[str] | None = None, *, bom: bool = False) -> bytes:
    """Rows as an RFC 4180 file (values quoted where needed)."""
    import csv

    header = header or HEADER
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(header)
    for values in rows:
        writer.writerow([values.get(name, "") for name in header])
    return (b"\xef\xbb\xbf" if bom else b"") + out.getvalue().encode()


def run_import(rows: list[dict[str, str]], **kwargs: Any) -> Any:
    return import_file(io.BytesIO(csv_bytes(rows)), filename="referrals.csv", **kwargs)


@pytest.fixture
def frozen(time_machine: Any) -> datetime:
    time_machine.move_to(NOW, tick=False)
    return NOW


@pytest.fixture
def area(db: Any) -> Any:
    return AreaFactory(name="Chatham", postcode_districts="ME4 ME5")


@pytest.fixture
def hub(db: Any, area: Any) -> Any:
    hub = OrganisationFactory(type=OrganisationType.HUB, name="Medway Hub")
    hub.areas.add(area)
    return hub
