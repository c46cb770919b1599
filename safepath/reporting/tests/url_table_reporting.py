"""URL × role rows for reporting.

| URL | allowed | 403 |
|---|---|---|
| dashboard, download | commissioner, administrator | everyone else |
| papers (GET, POST subscribe) | commissioner, administrator | everyone else |
| paper_unsubscribe, paper_download | the subscriber only (anyone else allowed the dashboard: 404) | everyone else |

Figures are aggregate, so there is no other organisation's record to 404 on; a commissioner
asking for an area their organisation does not serve gets a form error (test_dashboard.py).
A quarterly paper is its subscriber's alone: another commissioner, or an administrator, is told
it does not exist (test_papers.py).
"""

from __future__ import annotations

from typing import Any

from safepath.core.roles import OrganisationType, Role
from safepath.testing import OrganisationFactory, Row, make_member

R = Role
READERS = {R.COMMISSIONER: 200, R.ADMINISTRATOR: 200}
SUBSCRIBER_ONLY = {R.COMMISSIONER: 200, R.ADMINISTRATOR: 404}
NOBODY = {R.COMMISSIONER: 404, R.ADMINISTRATOR: 404}


def _paper(user: Any) -> Any:
    from safepath.reporting.models import PaperSubscription, QuarterlyPaper

    subscription = PaperSubscription.objects.create(
        user=user, membership=user.memberships.get(), area=None, format=PaperSubscription.Format.DOCX
    )
    return QuarterlyPaper.objects.create(
        subscription=subscription, period_first="2025-04-01", period_last="2025-06-30", content=b"PK paper"
    )


def extend_world(world: dict[str, Any]) -> None:
    """A quarterly paper for the world's commissioner, and one for a commissioner elsewhere."""
    world["own_paper"] = _paper(world["users"][R.COMMISSIONER])
    elsewhere = OrganisationFactory(type=OrganisationType.COMMISSIONER)
    world["other_paper"] = _paper(make_member(R.COMMISSIONER, elsewhere))


ROWS: list[Row] = [
    Row("reporting:dashboard", READERS, default=403),
    Row("reporting:download", READERS, default=403, args=lambda w: ["csv"]),
    Row("reporting:papers", READERS, default=403),
    Row(
        "reporting:papers",
        {R.COMMISSIONER: 302, R.ADMINISTRATOR: 302},
        default=403,
        method="post",
        data={"area": "", "format": "html"},
    ),
    Row(
        "reporting:paper_unsubscribe",
        {R.COMMISSIONER: 302, R.ADMINISTRATOR: 404},
        default=403,
        method="post",
        args=lambda w: [w["own_paper"].subscription_id],
    ),
    Row(
        "reporting:paper_unsubscribe",
        NOBODY,
        default=403,
        method="post",
        args=lambda w: [w["other_paper"].subscription_id],
    ),
    Row("reporting:paper_download", SUBSCRIBER_ONLY, default=403, args=lambda w: [w["own_paper"].pk]),
    Row("reporting:paper_download", NOBODY, default=403, args=lambda w: [w["other_paper"].pk]),
]
