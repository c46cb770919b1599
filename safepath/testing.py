"""Factories and role fixtures shared by every app's tests (a pytest plugin)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import factory
import pytest
from allauth.mfa.models import Authenticator

from safepath.accounts.models import Membership, Organisation, User
from safepath.areas.models import Area, RuralUrbanClass
from safepath.core.roles import ROLES_BY_ORGANISATION_TYPE, OrganisationType, Role

LOGIN = 302


@dataclass
class Row:
    name: str
    expected: dict[str, int]
    default: int
    anonymous: int = LOGIN
    args: Any = None  # callable(world) -> list
    method: str = "get"
    data: Any = field(default_factory=dict)  # dict, or callable(world) -> dict

    def url(self, world: dict[str, Any]) -> str:
        from django.urls import reverse

        return reverse(self.name, args=self.args(world) if self.args else None)



PASSWORD = "correct-horse-battery-staple"  # noqa: S105 - test accounts only

# The organisation type each role is given in tests.
HOME_TYPE = {
    Role.TRIAGE_WORKER: OrganisationType.HUB,
    Role.CASEWORKER: OrganisationType.PROVIDER,
    Role.TEAM_MANAGER: OrganisationType.PROVIDER,
    Role.VOLUNTEER: OrganisationType.PROVIDER,
    Role.MARAC_COORDINATOR: OrganisationType.MARAC,
    Role.MARAC_REPRESENTATIVE: OrganisationType.MARAC,
    Role.REFERRING_PROFESSIONAL: OrganisationType.REFERRING_AGENCY,
    Role.COMMISSIONER: OrganisationType.COMMISSIONER,
    Role.ADMINISTRATOR: OrganisationType.HUB,
}
assert all(role in ROLES_BY_ORGANISATION_TYPE[t] for role, t in HOME_TYPE.items())


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area

    name = factory.Sequence(lambda n: f"Area {n}")
    rural_urban_class = RuralUrbanClass.URBAN_CITY_TOWN
    adult_women = 50_000
    adult_men = 48_000


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    type = OrganisationType.PROVIDER


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.test")
    full_name = factory.Sequence(lambda n: f"Staff Member {n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def with_mfa(obj: User, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted is not False:
            Authenticator.objects.create(user=obj, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"})
        obj.save()


def make_member(role: str, organisation: Organisation | None = None, **user_kwargs: Any) -> User:
    organisation = organisation or OrganisationFactory(type=HOME_TYPE[role])
    user = UserFactory(**user_kwargs)
    Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


@pytest.fixture
def member() -> Callable[..., User]:
    """`member(role, organisation=None)` creates a user holding that role, with MFA set up."""
    return make_member


@pytest.fixture
def login(client: Any) -> Callable[[User], Any]:
    """Sign a user in (MFA already satisfied) and return the test client."""

    def _login(user: User) -> Any:
        client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
        return client

    return _login


@pytest.fixture
def admin_user(db: Any) -> User:
    return make_member(Role.ADMINISTRATOR)


def count_queries(client: Any, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return len(captured)


def assert_constant_queries(client: Any, url: str, grow: Callable[[int], None]) -> None:
    """The page's query count must not change as its data grows tenfold."""
    grow(5)
    client.get(url)  # warm per-session caches
    small = count_queries(client, url)
    grow(50)
    large = count_queries(client, url)
    assert small == large, f"{url}: {small} queries with little data, {large} with more"


def refused(role: str, url: str) -> int:
    """The status a role without the permission gets: 403, except a commissioner asking for a page
    about a record in the case-work parts of the system, who is told it does not exist (404)."""
    from django.urls import resolve

    from safepath.core.middleware import PERSONAL_NAMESPACES

    match = resolve(url.split("?")[0])
    about_a_record = bool(match.kwargs or match.args) and bool(PERSONAL_NAMESPACES.intersection(match.namespaces))
    return 404 if role == Role.COMMISSIONER and about_a_record else 403
