"""Reads for accounts. Views reach users and organisations only through these."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from safepath.accounts.models import Membership, Organisation, User
from safepath.core.roles import Role


def current_membership(user: User, membership_id: int | None) -> Membership | None:
    """The membership the user is acting in: the chosen one if still valid, else their first."""
    memberships = (
        Membership.objects.filter(user=user, is_active=True, organisation__is_active=True)
        .select_related("organisation")
        .order_by("organisation__name", "role")
    )
    chosen = [m for m in memberships if m.pk == membership_id] if membership_id else []
    return chosen[0] if chosen else memberships.first()


def memberships_of(user: User) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user, is_active=True, organisation__is_active=True).select_related(
        "organisation"
    )


def _role(user: User) -> str | None:
    membership = getattr(user, "current_membership", None)
    return membership.role if membership else None


def users_for(user: User) -> QuerySet[User]:
    """Administrators see every account; team managers see their own organisation's."""
    role = _role(user)
    users = User.objects.prefetch_related(
        Prefetch("memberships", queryset=Membership.objects.select_related("organisation"))
    )
    if role == Role.ADMINISTRATOR:
        return users.all()
    if role == Role.TEAM_MANAGER:
        org_id = user.current_membership.organisation_id  # type: ignore[attr-defined]
        return users.filter(memberships__organisation_id=org_id, memberships__is_active=True).distinct()
    return users.none()


def organisations_for(user: User) -> QuerySet[Organisation]:
    role = _role(user)
    organisations = Organisation.objects.prefetch_related("areas")
    if role == Role.ADMINISTRATOR:
        return organisations.all()
    if role is None:
        return organisations.none()
    return organisations.filter(pk=user.current_membership.organisation_id)  # type: ignore[attr-defined]
