"""Access helpers shared by every app: role predicates and per-entity lookups.

Outsiders get 404 (a record's existence is itself sensitive); people who may read
but not change a record get 403 (STYLE.md points 8-10).
"""

from __future__ import annotations

from typing import Any, TypeVar

import rules
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest

M = TypeVar("M", bound=Model)


def has_role(*roles: str) -> rules.Predicate:
    """True when the membership the user is acting in holds one of `roles`."""

    @rules.predicate(name=f"has_role({','.join(roles)})")
    def _has_role(user: Any) -> bool:
        membership = getattr(user, "current_membership", None)
        return bool(membership and membership.role in roles)

    return _has_role


def require_perm(request: HttpRequest, perm: str, obj: Any = None) -> None:
    """Raise 403 unless the user holds `perm` (the denial is audited by middleware)."""
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def get_scoped_or_404(scoped: QuerySet[M], **lookup: Any) -> M:
    """Fetch one record from a scoped selector's queryset; anything outside it is a 404."""
    try:
        return scoped.get(**lookup)
    except (scoped.model.DoesNotExist, ValueError):
        raise Http404 from None


def acting_at(org_type: str, *roles: str) -> rules.Predicate:
    """True when the current membership holds one of `roles` at an organisation of `org_type`."""

    @rules.predicate(name=f"acting_at({org_type}:{','.join(roles)})")
    def _acting_at(user: Any) -> bool:
        membership = getattr(user, "current_membership", None)
        return bool(membership and membership.role in roles and membership.organisation.type == org_type)

    return _acting_at
