"""Writes for users, organisations and memberships. Each validates, writes and audits."""

from __future__ import annotations

from collections.abc import Iterable

from allauth.usersessions.models import UserSession
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from safepath.accounts.models import Membership, Organisation, User
from safepath.core.audit import Action, audit_event
from safepath.core.roles import Role, role_allowed


def _check_role(organisation: Organisation, role: str) -> None:
    if not role_allowed(organisation.type, role):
        raise ValidationError(
            {"role": _("A %(org_type)s cannot have a %(role)s.")
             % {"org_type": organisation.get_type_display().lower(), "role": Role(role).label.lower()}}
        )


@transaction.atomic
def user_create(
    *, request: HttpRequest | None, email: str, full_name: str, organisation: Organisation, role: str
) -> User:
    """Create an account with no password; the person sets one from an emailed link."""
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": _("An account with this email address already exists.")})
    _check_role(organisation, role)
    user = User.objects.create_user(email=email, password=None, full_name=full_name.strip())
    Membership.objects.create(user=user, organisation=organisation, role=role)
    audit_event(action=Action.CREATE, request=request, obj=user)
    return user


def user_send_password_link(*, request: HttpRequest, user: User) -> None:
    """Email a set-your-password link (allauth's reset flow)."""
    from allauth.account.forms import ResetPasswordForm

    form = ResetPasswordForm(data={"email": user.email})
    if form.is_valid():
        form.save(request)


@transaction.atomic
def user_update(*, request: HttpRequest | None, user: User, full_name: str, is_active: bool) -> User:
    user.full_name = full_name.strip()
    was_active = user.is_active
    user.is_active = is_active
    user.save(update_fields=["full_name", "is_active"])
    if was_active and not is_active:
        user_end_sessions(user=user)
    audit_event(action=Action.UPDATE, request=request, obj=user)
    return user


def user_end_sessions(*, user: User, keep_session_key: str | None = None) -> int:
    """Sign a user out everywhere (optionally keeping one session). Returns sessions ended."""
    ended = 0
    for session in UserSession.objects.purge_and_list(user):
        if keep_session_key and session.session_key == keep_session_key:
            continue
        session.end()
        ended += 1
    return ended


@transaction.atomic
def membership_add(*, request: HttpRequest | None, user: User, organisation: Organisation, role: str) -> Membership:
    _check_role(organisation, role)
    membership, created = Membership.objects.get_or_create(user=user, organisation=organisation, role=role)
    if not created and not membership.is_active:
        membership.is_active = True
        membership.save(update_fields=["is_active"])
    audit_event(action=Action.CREATE if created else Action.UPDATE, request=request, obj=membership)
    return membership


@transaction.atomic
def membership_end(*, request: HttpRequest | None, membership: Membership) -> Membership:
    membership.is_active = False
    membership.save(update_fields=["is_active"])
    audit_event(action=Action.UPDATE, request=request, obj=membership, reason="membership ended")
    return membership


@transaction.atomic
def organisation_save(
    *,
    request: HttpRequest | None,
    organisation: Organisation | None,
    name: str,
    type: str,
    areas: Iterable[object],
    is_active: bool,
) -> Organisation:
    creating = organisation is None
    organisation = organisation or Organisation()
    duplicate = Organisation.objects.filter(name__iexact=name.strip()).exclude(pk=organisation.pk)
    if duplicate.exists():
        raise ValidationError({"name": _("An organisation with this name already exists.")})
    if not creating and type != organisation.type:
        bad = [m for m in organisation.memberships.filter(is_active=True) if not role_allowed(type, m.role)]
        if bad:
            raise ValidationError({"type": _("Some members hold roles this type of organisation cannot have. End those memberships first.")})
    organisation.name = name.strip()
    organisation.type = type
    organisation.is_active = is_active
    organisation.save()
    organisation.areas.set(areas)
    audit_event(action=Action.CREATE if creating else Action.UPDATE, request=request, obj=organisation)
    return organisation
