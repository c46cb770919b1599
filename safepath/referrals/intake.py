"""Referrals made through the web forms: by a professional, or by the person themself.

Each submission is one transaction: the referral (matching, rules, status, audit), the
safe-contact rules, the children and, for a professional, the risk checklist. A second
submission of the same form (a double click, a resend) returns the first referral: the
form's one-time key is kept as the referral's `source_ref`, which the database holds
unique per source, so not even two requests racing each other can create it twice.
"""

from __future__ import annotations

import secrets
from datetime import date
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from safepath.core.audit import Action, audit_event, client_ip
from safepath.people.choices import PersonKind
from safepath.people.models import ChildDetails, Person, Relationship, SafeContact
from safepath.people.services import person_create
from safepath.referrals.choices import Channel, Consent, Source
from safepath.referrals.forms_intake import DASH_PREFIX
from safepath.referrals.models import Referral
from safepath.referrals.services import Incoming, default_hub, referral_receive
from safepath.risk import rules
from safepath.risk.models import Instrument
from safepath.risk.services import assessment_record

FORM_REF_PREFIX = "form-"
TRI_STATE = {"yes": True, "no": False, "unknown": None}
# Self-referral: the ways a person may tick as safe, and the SafeContact flag each sets.
SAFE_WAY_FLAGS = {
    "call": "phone_safe",
    "voicemail": "voicemail_safe",
    "text": "text_safe",
    "email": "email_safe",
    "letter": "letters_safe",
}


def new_form_key() -> str:
    """A one-time key for a form: sent in a hidden field, stored with the referral it made."""
    return secrets.token_urlsafe(24)


def _form_ref(key: str) -> str:
    return FORM_REF_PREFIX + key


def _no_hub_error() -> ValidationError:
    return ValidationError(_("The service cannot receive referrals yet: no single point of access is set up."))


def _expired_error() -> ValidationError:
    return ValidationError({"form_token": _("This form has expired. Check your answers and send it again.")})


def _receive_once(*, incoming: Incoming, existing: Any, **kwargs: Any) -> tuple[Referral, bool]:
    """referral_receive, unless the form's key was used already: then (the first referral, False)."""
    found = existing.first()
    if found is not None:
        return found, False
    if default_hub(None) is None:
        raise _no_hub_error()
    try:
        with transaction.atomic():
            return referral_receive(incoming=incoming, **kwargs), True
    except IntegrityError:
        found = existing.first()  # another request with the same key committed first
        if found is None:
            raise _expired_error() from None
        return found, False


def _jsonable(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


# --- Professional referral -------------------------------------------------------------


def dash_answers(cleaned: dict[str, Any]) -> dict[str, str]:
    return {name.removeprefix(DASH_PREFIX): value for name, value in cleaned.items() if name.startswith(DASH_PREFIX)}


def _professional_incoming(cleaned: dict[str, Any], children: list[dict[str, Any]], received_at: Any) -> Incoming:
    answers = dash_answers(cleaned)
    answered = any(a != rules.Answer.NOT_KNOWN for a in answers.values())
    children_count = cleaned.get("children_in_household")
    return Incoming(
        channel=Channel.PROFESSIONAL,
        source=cleaned["source"],
        received_at=received_at,
        first_name=cleaned["first_name"].strip(),
        last_name=cleaned["last_name"].strip(),
        date_of_birth=cleaned.get("date_of_birth"),
        sex=cleaned.get("sex") or "unknown",
        postcode=cleaned.get("postcode") or "",
        source_ref=_form_ref(cleaned["form_token"]),
        dash_score=rules.dash_score(answers) if answered else None,
        professional_judgement_high=bool(cleaned.get("judgement_high")),
        police_callouts_12m=cleaned.get("police_callouts_12m"),
        children_in_household=children_count if children_count is not None else (len(children) or None),
        abuse_types=list(cleaned.get("abuse_types") or []),
        complex_needs=list(cleaned.get("complex_needs") or []),
        accommodation_needed=cleaned.get("accommodation_needed") == "yes",
        relationship=cleaned.get("relationship") or "",
        consent=cleaned["consent"],
        person_aware=cleaned["person_aware"] == "yes",
        reason=cleaned["reason"].strip(),
        perpetrator={
            "first_name": cleaned.get("perpetrator_first_name") or "",
            "last_name": cleaned.get("perpetrator_last_name") or "",
            "date_of_birth": cleaned.get("perpetrator_date_of_birth"),
        },
        person_fields={
            "age_estimate": None if cleaned.get("date_of_birth") else cleaned.get("age"),
            "ethnicity": cleaned.get("ethnicity") or "unknown",
            "disability": cleaned.get("disability") or "unknown",
            "first_language": (cleaned.get("first_language") or "").strip(),
            "interpreter_needed": cleaned.get("interpreter_needed") == "yes",
            "address": (cleaned.get("address") or "").strip(),
        },
        submitted=_jsonable({k: v for k, v in cleaned.items() if k != "form_token"} | {"children": children}),
    )


@transaction.atomic
def professional_referral_submit(
    *, request: HttpRequest, cleaned: dict[str, Any], children: list[dict[str, Any]], instrument: Instrument | None
) -> Referral:
    """Receive a professional's referral with its safe contact, children and risk checklist."""
    user = request.user
    membership = request.membership  # type: ignore[attr-defined]
    incoming = _professional_incoming(cleaned, children, timezone.now())
    referral, created = _receive_once(
        incoming=incoming,
        existing=Referral.objects.filter(source_ref=incoming.source_ref, referrer=user),
        request=request,
        referrer=user,
        referring_organisation=membership.organisation if membership else None,
    )
    if not created:
        return referral
    person = referral.person
    _save_safe_contact(
        request=request,
        person=person,
        flags={flag: TRI_STATE[cleaned[flag]] for flag in SafeContact.FLAGS.values()},
        safe_phone=cleaned.get("safe_phone") or "",
        safe_times=cleaned.get("safe_times") or "",
        safe_email=cleaned.get("safe_email") or "",
    )
    _save_children(request=request, victim=person, children=children)
    if instrument is not None and (incoming.dash_score is not None or cleaned.get("judgement_high")):
        assessment_record(
            request=request,
            person=person,
            instrument=instrument,
            answers=dash_answers(cleaned),
            assessed_at=referral.received_at,
            judgement="high" if cleaned.get("judgement_high") else "",
            judgement_reason=cleaned.get("judgement_reason") or "",
            police_incidents=referral.police_incidents,
            referral=referral,
        )
    return referral


def _save_safe_contact(*, request: HttpRequest, person: Person, flags: dict[str, bool | None], **values: str) -> None:
    contact, _created = SafeContact.objects.get_or_create(person=person)
    for name, value in {**flags, **values}.items():
        setattr(contact, name, value)
    contact.save()
    audit_event(action=Action.UPDATE, request=request, obj=person, reason="safe contact recorded at referral")


def _save_children(*, request: HttpRequest, victim: Person, children: list[dict[str, Any]]) -> None:
    for child in children:
        person = person_create(
            audit=False, kind=PersonKind.CHILD, first_name=child["first_name"].strip(), age_estimate=child["age"]
        )
        Relationship.objects.create(victim=victim, other=person, kind=Relationship.Kind.CHILD, lives_in_household=True)
        ChildDetails.objects.create(
            person=person, school=(child.get("school") or "").strip(), social_care=child["social_care"]
        )
        audit_event(action=Action.CREATE, request=request, obj=person)


# --- Self-referral -----------------------------------------------------------------------


def _self_incoming(answers: dict[str, Any], key: str, received_at: Any) -> Incoming:
    has_children = answers.get("has_children")
    children = answers.get("number") if has_children == "yes" else 0 if has_children == "no" else None
    return Incoming(
        channel=Channel.SELF,
        source=Source.SELF,
        received_at=received_at,
        first_name=answers["first_name"].strip(),
        last_name=(answers.get("last_name") or "").strip(),
        date_of_birth=answers.get("date_of_birth"),
        postcode=answers.get("postcode") or "",
        source_ref=_form_ref(key),
        children_in_household=children,
        abuse_types=list(answers.get("abuse_types") or []),
        consent=Consent.YES,  # they asked for help themselves
        person_aware=True,
        reason=(answers.get("details") or "").strip(),
        person_fields={
            "age_estimate": None if answers.get("date_of_birth") else answers.get("age"),
            "address": (answers.get("safe_address") or "").strip(),
        },
        submitted=_jsonable(answers | {"in_danger_now": answers.get("in_danger") == "yes"}),
    )


@transaction.atomic
def self_referral_submit(*, request: HttpRequest, answers: dict[str, Any], key: str) -> Referral:
    """Receive a self-referral. Nothing is sent to the person: the reference is shown on screen only."""
    incoming = _self_incoming(answers, key, timezone.now())
    existing = Referral.objects.filter(source=Source.SELF, source_ref=incoming.source_ref)
    referral, created = _receive_once(incoming=incoming, existing=existing, request=request)
    if not created:
        return referral
    ways = set(answers.get("safe_ways") or ())
    # What they did not tick is unsafe: they were asked, and said no by leaving it.
    _save_safe_contact(
        request=request,
        person=referral.person,
        flags={flag: way in ways for way, flag in SAFE_WAY_FLAGS.items()},
        safe_phone=answers.get("safe_phone") or "",
        safe_times=answers.get("safe_times") or "",
        safe_email=answers.get("safe_email") or "",
    )
    return referral


def self_referral_rate_limited(request: HttpRequest) -> bool:
    """True once an address has sent more self-referrals this hour than the limit.

    The cache key is a keyed hash of the address, so the cache never holds the address itself.
    """
    limit = getattr(settings, "SAFEPATH_SELF_REFERRAL_LIMIT_PER_HOUR", 5)
    key = "self-referral:" + salted_hmac("self-referral-rate", client_ip(request) or "unknown").hexdigest()[:40]
    cache.add(key, 0, timeout=3600)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=3600)
        count = 1
    return count > limit


def self_referral_too_fast(started: float | None) -> bool:
    """A person cannot read and answer every step in a few seconds; a script can."""
    minimum = getattr(settings, "SAFEPATH_SELF_REFERRAL_MIN_SECONDS", 10)
    return started is None or timezone.now().timestamp() - started < minimum
