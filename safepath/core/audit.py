"""The audit service: every read and write of a person's record calls it.

Called explicitly from services and from views that show a record, so bulk writes
and reads are covered as well as single ones (ARCHITECTURE.md, "audit").
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.http import HttpRequest

from safepath.core.inserts import insert_new
from safepath.core.models import AuditEvent

Action = AuditEvent.Action


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    # REMOTE_ADDR is the TLS proxy in production; gunicorn's --forwarded-allow-ips
    # decides whether X-Forwarded-For is trusted, so we read only REMOTE_ADDR here.
    return request.META.get("REMOTE_ADDR") or None


def _organisation_id(request: HttpRequest | None) -> int | None:
    membership = getattr(request, "membership", None)
    return membership.organisation_id if membership else None


def audit_event(
    *,
    action: str,
    request: HttpRequest | None = None,
    user_id: int | None = None,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: Any = "",
    reason: str = "",
) -> AuditEvent:
    """Append one audit row. Identify the record by `obj` or by type and id."""
    if obj is not None:
        object_type = obj._meta.label_lower
        object_id = obj.pk
    if user_id is None and request is not None and request.user.is_authenticated:
        user_id = request.user.pk
    match = getattr(request, "resolver_match", None)
    return AuditEvent.objects.create(
        action=action,
        user_id=user_id,
        organisation_id=_organisation_id(request),
        object_type=object_type,
        object_id=str(object_id or ""),
        view_name=(match.view_name if match else "")[:128],
        ip_address=client_ip(request),
        reason=reason[:255],
    )


def audit_many(*, action: str, request: HttpRequest | None, objects: list[models.Model], reason: str = "") -> None:
    """Audit a list view's records in one statement (bulk reads are reads too)."""
    user_id = request.user.pk if request is not None and request.user.is_authenticated else None
    match = getattr(request, "resolver_match", None)
    # Plain INSERTs (COPY on PostgreSQL): an import audits thousands of records a chunk, a list view hundreds.
    insert_new(
        AuditEvent,
        {
            "object_id": [str(obj.pk) for obj in objects],
            "action": [action] * len(objects),
            "user_id": [user_id] * len(objects),
            "organisation_id": [_organisation_id(request)] * len(objects),
            "object_type": [obj._meta.label_lower for obj in objects],
            "view_name": [(match.view_name if match else "")[:128]] * len(objects),
            "ip_address": [client_ip(request)] * len(objects),
            "reason": [reason[:255]] * len(objects),
        },
    )


def audit_failed_sign_in(*, request: HttpRequest | None, email: str, reason: str = "") -> AuditEvent:
    """A refused sign-in: the account's id when the address belongs to one, never the address."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(email__iexact=email).only("pk").first() if email else None
    return audit_event(
        action=Action.SIGN_IN_FAILED,
        request=request,
        user_id=user.pk if user else None,
        object_type="accounts.user" if user else "",
        object_id=user.pk if user else "",
        reason=reason,
    )
