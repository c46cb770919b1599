from __future__ import annotations

from types import SimpleNamespace

import pytest

from safepath.core.roles import OrganisationType, Role
from safepath.outcomes.tests.url_table_outcomes import make_case
from safepath.testing import OrganisationFactory


@pytest.fixture
def setup(db, member):
    """A provider with a caseworker and an IDVA case (physical abuse and stalking recorded)."""
    hub = OrganisationFactory(type=OrganisationType.HUB)
    provider = OrganisationFactory(type=OrganisationType.PROVIDER)
    worker = member(Role.CASEWORKER, provider)
    case = make_case(hub, provider, abuse_types=("physical", "stalking"))
    return SimpleNamespace(hub=hub, provider=provider, worker=worker, case=case)
