"""A provider with a caseworker and a team manager, and a case there, on a frozen clock."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from safepath.casework.tests.url_table_casework import open_case
from safepath.core.roles import OrganisationType, Role
from safepath.testing import OrganisationFactory

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 3, 12, 10, 0, tzinfo=LONDON)


@pytest.fixture
def clock() -> Iterator[Any]:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def hub(db: Any) -> Any:
    return OrganisationFactory(type=OrganisationType.HUB)


@pytest.fixture
def provider(db: Any) -> Any:
    return OrganisationFactory(type=OrganisationType.PROVIDER)


@pytest.fixture
def worker(member: Any, provider: Any) -> Any:
    return member(Role.CASEWORKER, provider)


@pytest.fixture
def manager(member: Any, provider: Any) -> Any:
    return member(Role.TEAM_MANAGER, provider)


@pytest.fixture
def case(clock: Any, hub: Any, provider: Any) -> Any:
    return open_case(hub, provider)


def set_safe(case: Any, **flags: bool | None) -> None:
    """Mark channels safe (True), unsafe (False) or unknown (None) on the case's person."""
    contact = case.person.safe_contact
    for channel, value in flags.items():
        setattr(contact, contact.FLAGS[channel], value)
    contact.save()
