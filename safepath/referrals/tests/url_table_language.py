"""URL × role row for the language switch on the public pages (ADR 15).

Everyone, signed in or not, may choose a language: the switch redirects to the `next` page.
The row sends `next` to the sign-in page because the table reads a signed-out visitor's 302 as
a redirect to sign in; test_welsh.py shows a signed-out visitor is sent back to the page they
were on, with the cookie set.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from safepath.testing import Row


def extend_world(world: dict[str, Any]) -> None:
    return None


ROWS: list[Row] = [
    Row(
        "set_language",
        {},
        default=302,
        method="post",
        data=lambda w: {"language": "cy", "next": reverse("account_login")},
    ),
]
