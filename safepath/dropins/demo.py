"""Demo drop-in visits: a year of weekly one-stop-shop sessions at two Medway venues (and one in
Leicestershire), recorded visit by visit.

Medway's document: "Medway's One Stop Shop received 624 referrals during the year 2017", about
12 a week. The demo runs the Chatham shop on Tuesdays (about 7 visitors a session) and the
Gillingham one on Thursdays (about 5), so a year comes to about 624 visits; quieter over
Christmas, busier in January (as services report after the holidays). Just over half the
visitors are new; some returning visitors have a case with the provider and are linked to it.
What happened at each visit is drawn per visit (information and advice at most, a referral to
the hub at about a quarter, more often for new visitors). Every figure in the report is counted
from these records. Runs once per scenario (APP_DEMOS in safepath.demo.services).
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from safepath.accounts.models import Organisation, User
from safepath.areas.models import Area
from safepath.cases.choices import OPEN_STATUSES
from safepath.cases.models import Case
from safepath.core.roles import Role
from safepath.dropins import services
from safepath.dropins.models import Venue, Visit, Visitor

# scenario -> (venue, area, weekday (Monday 0), mean visitors a session)
VENUES: dict[str, list[tuple[str, str, int, float]]] = {
    "medway": [
        ("Chatham One Stop Shop", "Chatham", 1, 7.0),
        ("Gillingham One Stop Shop", "Gillingham and Rainham", 3, 5.0),
    ],
    "leicestershire": [("Loughborough Drop-in", "Charnwood", 2, 6.0)],
}
NEW_SHARE = 0.55
LINKED_SHARE = 0.15  # of returning visitors: those with an open case at the provider


def _month_factor(day: date) -> float:
    if day.month == 12 and day.day >= 20:
        return 0.5
    if day.month == 1:
        return 1.2
    return 1.0


def _visitors(rng: random.Random, mean: float) -> int:
    """A session's visitors: binomial around the mean (never negative, sometimes a quiet day)."""
    trials = int(mean * 2)
    return sum(rng.random() < 0.5 for _ in range(trials))


def _outcomes(rng: random.Random, visitor: str) -> list[str]:
    chosen = [
        code
        for code, chance in (
            ("information_advice", 0.75),
            ("safety_planning", 0.35),
            ("referral_to_hub", 0.32 if visitor == Visitor.NEW else 0.12),
            ("signposted", 0.3),
        )
        if rng.random() < chance
    ]
    return chosen or ["information_advice"]


def _sessions(first: date, last: date, weekday: int) -> list[date]:
    day = first + timedelta(days=(weekday - first.weekday()) % 7)
    out = []
    while day <= last:
        out.append(day)
        day += timedelta(days=7)
    return out


def demo_load(*, scenario: Any, organisations: dict[str, Organisation], end: datetime) -> None:
    specs = VENUES.get(scenario.name)
    provider = organisations.get("provider")
    if not specs or provider is None or Venue.objects.filter(provider=provider).exists():
        return  # no drop-ins in this scenario, or loaded before
    rng = random.Random(f"dropins-{scenario.name}")  # noqa: S311 - synthetic data, repeatable
    last = timezone.localdate(end)
    first = last - timedelta(days=364)
    recorder = (
        User.objects.filter(memberships__organisation=provider, memberships__role=Role.CASEWORKER)
        .order_by("pk")
        .first()
    )
    cases = list(
        Case.objects.filter(provider=provider, status__in=OPEN_STATUSES)
        .order_by("pk")
        .values_list("pk", "opened_at")[:300]
    )
    tz = timezone.get_current_timezone()
    visits: list[Visit] = []
    for name, area_name, weekday, mean in specs:
        area = Area.objects.filter(name=area_name).first()
        if area is None:
            continue
        venue = services.venue_create(request=None, provider=provider, name=name, area=area)
        for day in _sessions(first, last, weekday):
            for _ in range(_visitors(rng, mean * _month_factor(day))):
                visitor = Visitor.NEW if rng.random() < NEW_SHARE else Visitor.RETURNING
                case_id = None
                if visitor == Visitor.RETURNING and cases and rng.random() < LINKED_SHARE:
                    pk, opened = rng.choice(cases)
                    case_id = pk if timezone.localdate(opened) <= day else None
                visits.append(
                    Visit(
                        provider=provider,
                        venue=venue,
                        on=day,
                        visitor=visitor,
                        outcomes=_outcomes(rng, visitor),
                        case_id=case_id,
                        recorded_by=recorder,
                        recorded_at=datetime.combine(day, time(16, 30), tzinfo=tz),
                    )
                )
    Visit.objects.bulk_create(visits, batch_size=1000)
