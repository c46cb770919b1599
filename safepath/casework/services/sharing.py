"""Consent to share, and the record of information shared (or a request to share it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from safepath.accounts.models import Membership, Organisation, User
from safepath.cases.models import Case
from safepath.casework import selectors
from safepath.casework.models import Consent, SharingRecord
from safepath.casework.services.common import (
    audit_change,
    by_user,
    check_token,
    done_with_token,
    locked_case,
)
from safepath.casework.sharing import Recipient, Verdict, judge
from safepath.core.roles import OrganisationType, Role

# --- consent ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ConsentInput:
    recipient: str
    scopes: list[str]
    given_on: date | None
    organisation: Organisation | None = None
    agency_name: str = ""


def _check_recipient(case: Case, organisation: Organisation | None, agency_name: str, field: str) -> dict[str, str]:
    if organisation is not None:
        if organisation.pk == case.provider_id:
            return {field: _("Choose another organisation: you do not need consent to share within your own.")}
        if not organisation.is_active or organisation.type == OrganisationType.COMMISSIONER:
            return {field: _("Choose an active organisation. Commissioners never receive a person's information.")}
        return {}
    if not agency_name.strip():
        return {"agency_name": _("Enter the name of the agency.")}
    return {}


def _check_consent(case: Case, data: ConsentInput) -> None:
    errors: dict[str, str] = {}
    if data.recipient == Consent.Recipient.ORGANISATION:
        errors |= (
            _check_recipient(case, data.organisation, "", "organisation")
            if data.organisation
            else {"organisation": _("Choose the organisation.")}
        )
    elif data.recipient == Consent.Recipient.AGENCY:
        errors |= _check_recipient(case, None, data.agency_name, "agency_name")
    elif data.recipient != Consent.Recipient.CONSORTIUM:
        errors["recipient"] = _("Choose who the person agreed their information can be shared with.")
    if not data.scopes or set(data.scopes) - set(dict(selectors.sharing_scopes())):
        errors["scopes"] = _("Choose what information the person agreed can be shared.")
    if data.given_on is None:
        errors["given_on"] = _("Enter the date the person gave consent.")
    elif data.given_on > timezone.localdate():
        errors["given_on"] = _("The date consent was given must not be in the future.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def consent_record(
    *, request: HttpRequest | None, case: Case, token: str, data: ConsentInput, by: User | None = None
) -> Consent:
    """Record the person's consent to share information from this case with one recipient."""
    check_token(token)
    user = by_user(request, by)
    current = locked_case(case)
    done = done_with_token(current, token, "consent")
    if done is not None:
        return Consent.objects.get(pk=done, case=current)
    _check_consent(current, data)
    consent = Consent.objects.create(
        case=current,
        recipient=data.recipient,
        organisation=data.organisation if data.recipient == Consent.Recipient.ORGANISATION else None,
        agency_name=" ".join(data.agency_name.split()) if data.recipient == Consent.Recipient.AGENCY else "",
        given_on=data.given_on,
        recorded_at=timezone.now(),
        recorded_by=user,
    )
    consent.scopes.set(selectors.scope_terms(data.scopes))
    audit_change(request, current, "consent", consent.pk, token)
    return consent


@transaction.atomic
def consent_withdraw(
    *, request: HttpRequest | None, case: Case, consent: Consent, withdrawn_on: date | None, by: User | None = None
) -> Consent:
    """Record that the person withdrew a consent. From that day it allows nothing; sharing
    already done under it stays recorded. A consent already withdrawn is left as it is."""
    user = by_user(request, by)
    current = locked_case(case)
    locked = Consent.objects.select_for_update().get(pk=consent.pk, case=current)
    if locked.withdrawn_on is not None:
        return locked
    if withdrawn_on is None:
        raise ValidationError({"withdrawn_on": _("Enter the date the person withdrew consent.")})
    if withdrawn_on > timezone.localdate():
        raise ValidationError({"withdrawn_on": _("The date consent was withdrawn must not be in the future.")})
    if withdrawn_on < locked.given_on:
        raise ValidationError({"withdrawn_on": _("Consent cannot be withdrawn before the date it was given.")})
    locked.withdrawn_on = withdrawn_on
    locked.withdrawal_recorded_by = user
    locked.save(update_fields=["withdrawn_on", "withdrawal_recorded_by"])
    audit_change(request, current, "consent withdrawn", locked.pk)
    return locked


# --- sharing ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SharingInput:
    scope: str
    what: str
    basis: str
    organisation: Organisation | None = None
    agency_name: str = ""
    safeguarding_reason: str = ""
    at: datetime | None = None


def _consent_refusal(verdict: Verdict, facts: object, scope_label: str) -> str:
    if verdict == Verdict.SCOPE:
        return _("The person's consent to share with this agency does not cover %(scope)s.") % {"scope": scope_label}
    if verdict == Verdict.WITHDRAWN:
        return _("The person withdrew their consent to share with this agency on %(day)s.") % {
            "day": facts.withdrawn_on.strftime("%-d %B %Y")  # type: ignore[attr-defined]
        }
    if verdict == Verdict.NOT_YET:
        return _("The person's consent to share with this agency was given on %(day)s, after this sharing.") % {
            "day": facts.given_on.strftime("%-d %B %Y")  # type: ignore[attr-defined]
        }
    return _(
        "There is no record of the person's consent to share with this agency. Record their consent first, or "
        "share without consent only to keep someone safe, giving the safeguarding reason."
    )


def _check_sharing(case: Case, data: SharingInput, at: datetime) -> dict[str, str]:
    errors: dict[str, str] = {}
    if data.organisation is None and not data.agency_name.strip():
        errors["organisation"] = _("Choose the organisation, or enter the name of an agency outside safepath.")
    elif data.organisation is not None and data.agency_name.strip():
        errors["agency_name"] = _("Choose an organisation or enter an agency's name, not both.")
    else:
        errors |= _check_recipient(case, data.organisation, data.agency_name, "organisation")
    scopes = dict(selectors.sharing_scopes())
    if data.scope not in scopes:
        errors["scope"] = _("Choose what kind of information is shared.")
    if not data.what.strip():
        errors["what"] = _("Describe what is shared.")
    if data.basis not in SharingRecord.Basis.values:
        errors["basis"] = _("Choose the lawful basis for sharing.")
    elif data.basis == SharingRecord.Basis.SAFEGUARDING and not data.safeguarding_reason.strip():
        errors["safeguarding_reason"] = _("Without consent, record the safeguarding reason for sharing.")
    if at > timezone.now():
        errors["at"] = _("The date and time of sharing must not be in the future.")
    return errors


@transaction.atomic
def sharing_record(
    *, request: HttpRequest | None, case: Case, token: str, data: SharingInput, by: User | None = None
) -> SharingRecord:
    """Record information shared from the case, or a request to share it.

    With consent: an in-force consent must name this recipient (or the consortium, for a
    partner in it) and cover this kind of information on the day of sharing. Without consent:
    a safeguarding reason is required; inside the consortium that is enough, outside it the
    record is a request that a team manager must approve before anything is shared.
    """
    check_token(token)
    user = by_user(request, by)
    current = locked_case(case)
    done = done_with_token(current, token, "sharing")
    if done is not None:
        return SharingRecord.objects.get(pk=done, case=current)
    now = timezone.now()
    at = data.at or now
    errors = _check_sharing(current, data, at)
    if errors:
        raise ValidationError(errors)
    consortium = selectors.consortium_of(current.provider_id)
    within = data.organisation is not None and data.organisation.pk in consortium
    consent_id = None
    if data.basis == SharingRecord.Basis.CONSENT:
        recipient = Recipient(data.organisation.pk if data.organisation else None, data.agency_name)
        verdict, facts = judge(
            selectors.consent_facts(current), recipient, data.scope, timezone.localdate(at), consortium
        )
        if verdict != Verdict.ALLOWED:
            label = dict(selectors.sharing_scopes())[data.scope].lower()
            raise ValidationError({"basis": _consent_refusal(verdict, facts, label)})
        consent_id = facts.id  # type: ignore[union-attr]
    needs_approval = data.basis == SharingRecord.Basis.SAFEGUARDING and not within
    record = SharingRecord.objects.create(
        case=current,
        organisation=data.organisation,
        agency_name="" if data.organisation else " ".join(data.agency_name.split()),
        scope=data.scope,
        what=data.what.strip(),
        basis=data.basis,
        consent_id=consent_id,
        safeguarding_reason=data.safeguarding_reason.strip() if data.basis == SharingRecord.Basis.SAFEGUARDING else "",
        within_consortium=within,
        status=SharingRecord.Status.PENDING if needs_approval else SharingRecord.Status.SHARED,
        shared_at=None if needs_approval else at,
        requested_at=now,
        requested_by=user,
    )
    audit_change(request, current, "sharing request" if needs_approval else "sharing", record.pk, token)
    return record


def _manager_of(user: User, provider_id: int) -> bool:
    return (
        user.is_active
        and Membership.objects.filter(
            user=user,
            organisation_id=provider_id,
            organisation__type=OrganisationType.PROVIDER,
            role=Role.TEAM_MANAGER,
            is_active=True,
        ).exists()
    )


@transaction.atomic
def sharing_decide(
    *,
    request: HttpRequest | None,
    record: SharingRecord,
    approve: bool,
    refusal_reason: str = "",
    by: User | None = None,
) -> SharingRecord:
    """A team manager at the case's provider approves or refuses a request to share without
    consent outside the consortium. The person who asked cannot decide their own request."""
    user = by_user(request, by)
    case = locked_case(record.case)
    locked = SharingRecord.objects.select_for_update().get(pk=record.pk, case=case)
    if locked.status != SharingRecord.Status.PENDING:
        raise ValidationError(
            _("This request was already decided: it is “%(status)s”.") % {"status": locked.get_status_display()},
            code="decided",
        )
    if not _manager_of(user, case.provider_id):
        raise ValidationError(_("Only a team manager at the case's provider can decide this request."), code="manager")
    if locked.requested_by_id == user.pk:
        raise ValidationError(
            _("You asked to share this information, so another team manager must decide the request."), code="own"
        )
    if not approve and not refusal_reason.strip():
        raise ValidationError({"refusal_reason": _("Explain why the request is refused.")})
    locked.status = SharingRecord.Status.APPROVED if approve else SharingRecord.Status.REFUSED
    locked.decided_at = timezone.now()
    locked.decided_by = user
    locked.refusal_reason = "" if approve else refusal_reason.strip()
    locked.save(update_fields=["status", "decided_at", "decided_by", "refusal_reason"])
    audit_change(request, case, "sharing approved" if approve else "sharing refused", locked.pk)
    for field in ("status", "decided_at", "decided_by_id", "refusal_reason"):
        setattr(record, field, getattr(locked, field))
    return record
