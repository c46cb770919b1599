"""Contacts and case notes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from safepath.accounts.models import User
from safepath.cases.choices import MODE_CHANNEL, ContactMode
from safepath.cases.models import Case
from safepath.cases.services import case_contact_recorded
from safepath.casework import selectors
from safepath.casework.models import CaseNote, Contact, WithWhom
from safepath.casework.services.common import (
    audit_change,
    by_user,
    check_token,
    done_with_token,
    locked_case,
    refuse_closed,
)
from safepath.people.models import SafeContact

# --- contacts --------------------------------------------------------------------------------


def contact_refusal(safe_contact: SafeContact | None, mode: str) -> str | None:
    """Why the person must not be contacted this way, or None. Face to face and video need no
    channel of their own; every other mode needs its channel marked safe. No safe-contact
    record means nothing is safe."""
    channel = MODE_CHANNEL[mode]
    if channel is None:
        return None
    if safe_contact is None:
        return _("Nobody has recorded how this person can be contacted safely, so %(mode)s must not be used.") % {
            "mode": ContactMode(mode).label.lower()
        }
    return safe_contact.refusal(channel)


def _safe_contact_of(case: Case) -> SafeContact | None:
    person = case.person
    return SafeContact.objects.filter(person_id=person.merged_into_id or person.pk).first()


@dataclass(frozen=True)
class ContactInput:
    contact_type: str
    mode: str
    made: bool
    at: datetime
    duration_minutes: int | None = None
    with_whom: str = WithWhom.PERSON
    agency_name: str = ""
    note: str = ""


def _check_contact(case: Case, data: ContactInput) -> None:
    errors: dict[str, str] = {}
    if data.contact_type not in dict(selectors.contact_types()):
        errors["contact_type"] = _("Choose the type of contact.")
    if data.mode not in ContactMode.values:
        errors["mode"] = _("Choose how the contact happened.")
    if data.with_whom not in WithWhom.values:
        errors["with_whom"] = _("Choose who the contact was with.")
    elif data.with_whom == WithWhom.AGENCY and not data.agency_name.strip():
        errors["agency_name"] = _("Enter the name of the agency.")
    if data.duration_minutes is not None and not 0 <= data.duration_minutes <= 24 * 60:
        errors["duration_minutes"] = _("Duration must be between 0 and 1,440 minutes (24 hours).")
    if data.at > timezone.now():
        errors["at"] = _("The date and time of the contact must not be in the future.")
    elif timezone.localdate(data.at) < timezone.localdate(case.opened_at):
        errors["at"] = _("The contact must be on or after the day the case was opened.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def contact_record(
    *, request: HttpRequest | None, case: Case, token: str, data: ContactInput, by: User | None = None
) -> Contact:
    """Record a contact made or attempted. A contact with the person is refused when its mode
    needs a channel the person's safe-contact rules do not allow (attempts too: an attempted
    call can be overheard). Contacts with another agency about the person use the agency's
    channel, not the person's. The case's last contact, engagement and status follow."""
    check_token(token)
    user = by_user(request, by)
    current = locked_case(case)
    done = done_with_token(current, token, "contact")
    if done is not None:
        return Contact.objects.get(pk=done, case=current)
    refuse_closed(current, _("a contact"))
    _check_contact(current, data)
    if data.with_whom == WithWhom.PERSON and (refusal := contact_refusal(_safe_contact_of(current), data.mode)):
        raise ValidationError({"mode": refusal})
    contact = Contact.objects.create(
        case=current,
        contact_type=data.contact_type,
        mode=data.mode,
        made=data.made,
        at=data.at,
        duration_minutes=data.duration_minutes,
        with_whom=data.with_whom,
        agency_name=data.agency_name.strip() if data.with_whom == WithWhom.AGENCY else "",
        note=data.note.strip(),
        by=user,
        recorded_at=timezone.now(),
    )
    case_contact_recorded(current, at=data.at, mode=data.mode, made=data.made)
    audit_change(request, current, "contact", contact.pk, token)
    for field in ("status", "last_contact_at", "first_contact_at", "engaged_at"):
        setattr(case, field, getattr(current, field))
    return contact


# --- notes -----------------------------------------------------------------------------------


@transaction.atomic
def note_add(
    *, request: HttpRequest | None, case: Case, token: str, text: str, shared: bool = False, by: User | None = None
) -> CaseNote:
    """Add a case note. Marking it shared (readable by the consortium partners working with the
    same person) needs the person's consent, in force today, to share the full case with the
    consortium."""
    check_token(token)
    user = by_user(request, by)
    current = locked_case(case)
    done = done_with_token(current, token, "note")
    if done is not None:
        return CaseNote.objects.get(pk=done, case=current)
    if not text.strip():
        raise ValidationError({"text": _("Enter the note.")})
    if shared and not selectors.consortium_consent_in_force(current, timezone.localdate()):
        raise ValidationError(
            {
                "shared": _(
                    "This note cannot be shared: the person has not given consent, in force today, to share the full "
                    "case with the partner services in the consortium. Record that consent first, or keep the note "
                    "private to your organisation."
                )
            }
        )
    note = CaseNote.objects.create(case=current, text=text.strip(), shared=shared, author=user, at=timezone.now())
    audit_change(request, current, "note shared" if shared else "note", note.pk, token)
    return note
