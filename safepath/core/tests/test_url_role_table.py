"""Every URL × every role gives the expected status. Grows with every new view.

Each row: a URL name, how to build its arguments from the `world` fixture, the
method, and the expected status per role (`default` for roles not listed,
`anonymous` for a signed-out visitor).
"""

from __future__ import annotations

import copy
import importlib
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from django.urls import reverse

from safepath.core.middleware import PERSONAL_NAMESPACES
from safepath.core.roles import OrganisationType, Role
from safepath.testing import LOGIN, AreaFactory, OrganisationFactory, Row, make_member

R = Role


ADMIN_ONLY = {R.ADMINISTRATOR: 200}
ADMIN_READS_MANAGER_READS = {R.ADMINISTRATOR: 200, R.TEAM_MANAGER: 200}
ADMIN_WRITES_MANAGER_403 = {R.ADMINISTRATOR: 200, R.TEAM_MANAGER: 403}

TABLE = [
    Row("home", {}, default=200),
    Row("glossary", {}, default=200, anonymous=200),
    Row("healthz", {}, default=200, anonymous=200),
    Row("account_settings", {}, default=200),
    Row("users:list", ADMIN_READS_MANAGER_READS, default=403),
    Row("users:create", ADMIN_ONLY, default=403),
    # A user in the team manager's own organisation: managers read, cannot change.
    Row("users:detail", ADMIN_READS_MANAGER_READS, default=403, args=lambda w: [w["colleague"].pk]),
    Row("users:update", ADMIN_WRITES_MANAGER_403, default=403, args=lambda w: [w["colleague"].pk]),
    Row("users:membership_add", ADMIN_WRITES_MANAGER_403, default=403, args=lambda w: [w["colleague"].pk]),
    Row(
        "users:password_link",
        {R.ADMINISTRATOR: 302, R.TEAM_MANAGER: 403},
        default=403,
        method="post",
        args=lambda w: [w["colleague"].pk],
    ),
    Row(
        "users:membership_end",
        {R.ADMINISTRATOR: 302, R.TEAM_MANAGER: 403},
        default=403,
        method="post",
        args=lambda w: [w["colleague"].pk, w["colleague"].memberships.get().pk],
    ),
    # A user in another organisation: outside a team manager's scope, so 404.
    Row("users:detail", {R.ADMINISTRATOR: 200, R.TEAM_MANAGER: 404}, default=403, args=lambda w: [w["outsider"].pk]),
    Row("users:update", {R.ADMINISTRATOR: 200, R.TEAM_MANAGER: 404}, default=403, args=lambda w: [w["outsider"].pk]),
    Row("users:detail", {R.ADMINISTRATOR: 404, R.TEAM_MANAGER: 404}, default=403, args=lambda w: [999_999]),
    Row("organisations:list", {R.ADMINISTRATOR: 200, R.COMMISSIONER: 200}, default=403),
    Row("organisations:create", ADMIN_ONLY | {R.COMMISSIONER: 403}, default=403),
    Row(
        "organisations:update",
        {R.ADMINISTRATOR: 200, R.COMMISSIONER: 404},
        default=403,
        args=lambda w: [w["other_org"].pk],
    ),
    Row(
        "organisations:update",
        {R.ADMINISTRATOR: 200, R.COMMISSIONER: 403},
        default=403,
        args=lambda w: [w["orgs"][R.COMMISSIONER].pk],
    ),
    Row("areas:list", {R.ADMINISTRATOR: 200, R.COMMISSIONER: 200}, default=403),
    Row("areas:create", {R.ADMINISTRATOR: 200, R.COMMISSIONER: 403}, default=403),
    Row("areas:update", {R.ADMINISTRATOR: 200, R.COMMISSIONER: 403}, default=403, args=lambda w: [w["area"].pk]),
    Row("areas:update", {R.ADMINISTRATOR: 404, R.COMMISSIONER: 404}, default=403, args=lambda w: [999_999]),
    Row("audit:list", ADMIN_ONLY, default=403),
    # Switching to someone else's membership is outside everyone's scope.
    Row(
        "switch_membership",
        {},
        default=404,
        method="post",
        data=lambda w: {"membership": w["outsider"].memberships.get().pk},
    ),
    Row("sign_out_everywhere", {}, default=302, method="post"),
]


@pytest.fixture
def world(db: Any) -> dict[str, Any]:
    orgs = {}
    users = {}
    for role in Role:
        users[role] = make_member(role)
        orgs[role] = users[role].memberships.get().organisation
    colleague = make_member(R.CASEWORKER, organisation=orgs[R.TEAM_MANAGER])
    other_org = OrganisationFactory(type=OrganisationType.PROVIDER)
    outsider = make_member(R.CASEWORKER, organisation=other_org)
    world = {
        "users": users,
        "orgs": orgs,
        "colleague": colleague,
        "outsider": outsider,
        "other_org": other_org,
        "area": AreaFactory(),
    }
    for module in APP_TABLES:
        module.extend_world(world)
    return world


def _app_tables() -> list[Any]:
    """Each app adds its rows in `safepath/<app>/tests/url_table*.py` (ROWS, and extend_world(world))."""
    root = Path(__file__).resolve().parents[2]
    modules = sorted(p.relative_to(root.parent).with_suffix("") for p in root.glob("*/tests/url_table*.py"))
    return [importlib.import_module(".".join(m.parts)) for m in modules]


APP_TABLES = _app_tables()
TABLE = TABLE + [row for module in APP_TABLES for row in module.ROWS]


class _Rollback(Exception):
    """Undo one row's writes so every row sees the same world."""


def _status(client: Any, world: dict[str, Any], row: Row) -> int:
    data = row.data(world) if callable(row.data) else row.data
    cookies = copy.deepcopy(client.cookies)  # a sign-out row must not sign out the next row
    status = 0
    try:
        with transaction.atomic():
            response = getattr(client, row.method)(row.url(world), data)
            status = response.status_code
            if status == LOGIN and row.anonymous == LOGIN and not client.session.get("_auth_user_id"):
                assert response["Location"].startswith(reverse("account_login"))
            raise _Rollback
    except _Rollback:
        pass
    client.cookies = cookies
    return status


def _about_a_person(row: Row) -> bool:
    return bool(row.args) and row.name.split(":")[0] in PERSONAL_NAMESPACES


@pytest.mark.parametrize("role", [*Role, None], ids=[*(r.value for r in Role), "anonymous"])
def test_it_gives_each_role_the_expected_status(client: Any, world: dict[str, Any], role: str | None) -> None:
    """One world per role; each row runs in a savepoint that is rolled back afterwards."""
    if role is not None:
        client.force_login(world["users"][role], backend="allauth.account.auth_backends.AuthenticationBackend")
    wrong = []
    for index, row in enumerate(TABLE):
        expected = row.anonymous if role is None else row.expected.get(role, row.default)
        if role == R.COMMISSIONER and expected == 403 and _about_a_person(row):
            expected = 404  # commissioners are told a person's record does not exist
        status = _status(client, world, row)
        if status != expected:
            wrong.append(f"row {index} {row.method.upper()} {row.name}: expected {expected}, got {status}")
    assert not wrong, f"as {role or 'anonymous'}:\n" + "\n".join(wrong)


def test_it_covers_every_named_url() -> None:
    """A new view must be added to the table (allauth's own URLs are tested elsewhere)."""
    from django.urls import get_resolver

    def names(resolver: Any, namespace: str = "") -> set[str]:
        found = set()
        for pattern in resolver.url_patterns:
            if hasattr(pattern, "url_patterns"):
                if pattern.namespace or not str(pattern.pattern).startswith("account/"):
                    ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                    found |= names(pattern, ns)
            elif pattern.name:
                found.add(namespace + pattern.name)
        return found

    ours = {n for n in names(get_resolver()) if not n.startswith(("account_", "mfa_", "usersessions_"))}
    tested = {row.name for row in TABLE}
    assert ours <= tested, f"add these URLs to the table: {sorted(ours - tested)}"
