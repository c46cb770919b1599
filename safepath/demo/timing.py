"""Times for synthetic records: people work Monday to Friday, in the day, in London."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")
DAY_STARTS, DAY_ENDS = 9, 17


def working(rng: random.Random, at: datetime) -> datetime:
    """`at`, or the next working moment after it (never earlier): weekends and evenings move
    to a morning of the next working day."""
    local = at.astimezone(LONDON)
    if local.hour >= DAY_ENDS:
        local = (local + timedelta(days=1)).replace(hour=DAY_STARTS, minute=rng.randrange(60))
    elif local.hour < DAY_STARTS:
        local = local.replace(hour=DAY_STARTS, minute=rng.randrange(60))
    while local.weekday() >= 5:
        local += timedelta(days=1)
    return local


def token(rng: random.Random) -> str:
    """A one-time form token (safepath.core.once.new_token's shape), drawn from the seeded generator."""
    return f"{rng.getrandbits(128):032x}"
