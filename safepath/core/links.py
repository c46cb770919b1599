"""Links in messages that leave the site (notice emails): the service's own address and a path.

A notice must say where to go; the link only points at a page that asks the reader to sign in.
It never carries anything about a person (paths hold record numbers at most).
"""

from __future__ import annotations

from django.conf import settings


def absolute_url(path: str) -> str:
    """`path` on the service's address (`SAFEPATH_BASE_URL`); the path alone where none is set."""
    return f"{settings.BASE_URL}{path}" if settings.BASE_URL else path
