"""This app's URL × role rows on their own (the full table in core/tests runs every app's rows
against one world; this runs ours against a world of just what they need)."""

from __future__ import annotations

from typing import Any

import pytest

from safepath.core.roles import Role
from safepath.core.tests.test_url_role_table import _about_a_person, _status
from safepath.dropins.tests import url_table_dropins
from safepath.testing import make_member


@pytest.fixture
def world(db) -> dict[str, Any]:
    users = {role: make_member(role) for role in Role}
    world = {"users": users, "orgs": {role: u.memberships.get().organisation for role, u in users.items()}}
    url_table_dropins.extend_world(world)
    return world


@pytest.mark.parametrize("role", [*Role, None], ids=[*(r.value for r in Role), "anonymous"])
def test_each_role_gets_the_expected_status(client, world, role):
    if role is not None:
        client.force_login(world["users"][role], backend="allauth.account.auth_backends.AuthenticationBackend")
    wrong = []
    for row in url_table_dropins.ROWS:
        expected = row.anonymous if role is None else row.expected.get(role, row.default)
        if role == Role.COMMISSIONER and expected == 403 and _about_a_person(row):
            expected = 404
        status = _status(client, world, row)
        if status != expected:
            wrong.append(f"{row.method.upper()} {row.name}: expected {expected}, got {status}")
    assert not wrong, "\n".join(wrong)
