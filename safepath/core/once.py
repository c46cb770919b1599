"""One-time form tokens: a double submission creates nothing twice.

A form carries a fresh token (`new_token()`); the service that saves it writes the token into
the audit row of the change ("<what> <id>; form <token>"). A second submission with the same
token finds that row and returns the id saved the first time instead of saving again.
"""

from __future__ import annotations

import re
import secrets

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from safepath.core.models import AuditEvent

TOKEN_RE = re.compile(r"^[0-9a-f]{32}$")


def new_token() -> str:
    return secrets.token_hex(16)


def check_token(token: str) -> None:
    """Refuse a missing or malformed token (an old or forged form) in plain words."""
    if not TOKEN_RE.match(token or ""):
        raise ValidationError(_("This form has expired. Check your answers and submit it again."), code="token")


def done_with_token(obj: models.Model, token: str, what: str = "") -> int | None:
    """The id recorded on `obj`'s audit trail when this form was already submitted, if it was.
    `what` narrows it to changes whose audit reason starts with that word."""
    rows = AuditEvent.objects.filter(
        object_type=obj._meta.label_lower, object_id=str(obj.pk), reason__endswith=f"; form {token}"
    )
    if what:
        rows = rows.filter(reason__startswith=f"{what} ")
    found = re.search(r"(\d+); form ", rows.values_list("reason", flat=True).first() or "")
    return int(found.group(1)) if found else None
