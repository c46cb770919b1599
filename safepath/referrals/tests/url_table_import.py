"""URL × role rows for the bulk import pages (collected by core/tests/test_url_role_table.py)."""

from __future__ import annotations

from typing import Any

from safepath.core.roles import OrganisationType, Role
from safepath.referrals.models import ImportRun
from safepath.testing import OrganisationFactory, Row, make_member

R = Role
HUB_STAFF = {R.TRIAGE_WORKER: 200}  # the team manager in the table works for a provider: 403 like the rest


def extend_world(world: dict[str, Any]) -> None:
    hub = world["orgs"][R.TRIAGE_WORKER]
    colleague = make_member(R.TRIAGE_WORKER, organisation=hub)
    other_hub = OrganisationFactory(type=OrganisationType.HUB)
    outsider = make_member(R.TRIAGE_WORKER, organisation=other_hub)
    reject = {"line": 2, "reason": "source is missing", "row": {"source": "", "first_name": "Jane"}}
    world["import_own"] = ImportRun.objects.create(
        by=world["users"][R.TRIAGE_WORKER], hub=hub, rejected=1, rejects=[reject]
    )
    world["import_colleague"] = ImportRun.objects.create(by=colleague, hub=hub, rejected=1, rejects=[reject])
    world["import_other_hub"] = ImportRun.objects.create(by=outsider, hub=other_hub, rejected=1, rejects=[reject])


ROWS = [
    Row("referrals:import", HUB_STAFF, default=403),
    # Posting no file shows the form again with an error.
    Row("referrals:import", HUB_STAFF, default=403, method="post"),
    Row("referrals:import_run", HUB_STAFF, default=403, args=lambda w: [w["import_own"].pk]),
    # A colleague's import at the same hub: its summary (line and reason only) is shared.
    Row("referrals:import_run", HUB_STAFF, default=403, args=lambda w: [w["import_colleague"].pk]),
    Row("referrals:import_run", {R.TRIAGE_WORKER: 404}, default=403, args=lambda w: [w["import_other_hub"].pk]),
    Row("referrals:import_run", {R.TRIAGE_WORKER: 404}, default=403, args=lambda w: [999_999]),
    Row("referrals:import_rejects", HUB_STAFF, default=403, args=lambda w: [w["import_own"].pk]),
    # The rejected rows themselves (names, dates of birth) only for the person who ran the import.
    Row("referrals:import_rejects", {R.TRIAGE_WORKER: 404}, default=403, args=lambda w: [w["import_colleague"].pk]),
    Row("referrals:import_rejects", {R.TRIAGE_WORKER: 404}, default=403, args=lambda w: [w["import_other_hub"].pk]),
]
