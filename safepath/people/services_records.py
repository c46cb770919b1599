"""Writes for the person record: details, safe contact, other names, children, people causing harm,
risk assessments, merges and risk thresholds. Each is atomic, validates, writes and audits.

Forms that create something carry a one-time token. The token is written into the audit row
of the change (an identifier, never personal data) and looked up before writing, under a lock
on the person, so a form submitted twice creates nothing twice.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from safepath.areas.models import Area
from safepath.areas.selectors import area_for_postcode
from safepath.core.audit import Action, audit_event
from safepath.core.once import check_token, done_with_token
from safepath.people.choices import PersonKind, RelationshipType, SocialCare
from safepath.people.matching import postcode_compact
from safepath.people.models import ChildDetails, Person, PersonMerge, PersonName, Relationship, SafeContact
from safepath.people.services import format_postcode, person_create, person_merge, person_refresh_keys, person_unmerge
from safepath.risk import rules
from safepath.risk.models import Instrument, RiskAssessment, ThresholdSet
from safepath.risk.selectors import thresholds_for
from safepath.risk.services import assessment_record

PERSON_FIELDS = (
    "first_name",
    "last_name",
    "date_of_birth",
    "age_estimate",
    "sex",
    "gender_identity",
    "ethnicity",
    "disability",
    "sexual_orientation",
    "religion",
    "first_language",
    "interpreter_needed",
    "immigration_status",
    "no_recourse_to_public_funds",
    "address",
    "postcode",
    "area",
)
# A change to any of these changes who the record says the person is: matching keys are rebuilt.
IDENTITY_FIELDS = ("first_name", "last_name", "date_of_birth", "postcode")
SAFE_CONTACT_FIELDS = (
    "safe_phone",
    "safe_times",
    "phone_safe",
    "voicemail_safe",
    "text_safe",
    "letters_safe",
    "email_safe",
    "safe_email",
    "safe_word",
    "notes",
)
POSTCODE_RE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}$")
MAX_AGE = 120


def valid_postcode(postcode: str) -> bool:
    return bool(POSTCODE_RE.match(postcode_compact(postcode)))


def _locked(person: Person) -> Person:
    """The person's row, freshly read and locked until the transaction ends."""
    return Person.objects.select_for_update().get(pk=person.pk)


def _refuse_merged(person: Person) -> None:
    if person.merged_into_id:
        raise ValidationError(_("This record was merged into another. Make changes on the record it was merged into."))


def _check_identity_values(fields: dict[str, Any], *, today: date) -> None:
    errors: dict[str, str] = {}
    if "first_name" in fields and not (fields["first_name"] or "").strip():
        errors["first_name"] = _("Enter a first name, or the name the person is known by.")
    dob = fields.get("date_of_birth")
    if dob and dob > today:
        errors["date_of_birth"] = _("Date of birth must be in the past.")
    elif dob and dob.year < today.year - MAX_AGE:
        errors["date_of_birth"] = _("Date of birth must be after %(year)s.") % {"year": today.year - MAX_AGE}
    age = fields.get("age_estimate")
    if age is not None and not 0 <= age <= MAX_AGE:
        errors["age_estimate"] = _("Age must be between 0 and %(max)s.") % {"max": MAX_AGE}
    if fields.get("postcode") and not valid_postcode(fields["postcode"]):
        errors["postcode"] = _("Enter a real postcode, like ME4 4AB.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def person_update(*, request: HttpRequest | None, person: Person, **fields: Any) -> Person:
    """Change a person's details. Matching keys are rebuilt when names, date of birth or postcode change."""
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise ValueError(f"Not person fields: {sorted(unknown)}")
    person = _locked(person)
    _refuse_merged(person)
    _check_identity_values(fields, today=timezone.localdate())
    if "postcode" in fields:
        fields["postcode"] = format_postcode(fields["postcode"] or "")
    if "area" in fields and fields["area"] is None:
        # No area chosen: the area is the one the postcode is in, if any.
        postcode = fields.get("postcode", person.postcode)
        fields["area"] = area_for_postcode(postcode) if postcode else None
    for name in ("first_name", "last_name", "first_language", "address"):
        if name in fields:
            fields[name] = (fields[name] or "").strip()
    changed = [name for name, value in fields.items() if getattr(person, name) != value]
    if not changed:
        return person
    for name in changed:
        setattr(person, name, fields[name])
    person.full_clean(exclude=["merged_into"])
    person.save(update_fields=changed)
    if set(changed) & set(IDENTITY_FIELDS):
        person_refresh_keys(person=person)
    audit_event(action=Action.UPDATE, request=request, obj=person, reason="changed " + ", ".join(sorted(changed)))
    return person


@transaction.atomic
def safe_contact_update(*, request: HttpRequest | None, person: Person, **fields: Any) -> SafeContact:
    """Record how the person may be contacted safely. A channel marked safe needs somewhere to reach them."""
    unknown = set(fields) - set(SAFE_CONTACT_FIELDS)
    if unknown:
        raise ValueError(f"Not safe contact fields: {sorted(unknown)}")
    person = _locked(person)
    _refuse_merged(person)
    contact, _created = SafeContact.objects.get_or_create(person=person)
    for name, value in fields.items():
        setattr(contact, name, value.strip() if isinstance(value, str) else value)
    errors: dict[str, str] = {}
    if not contact.safe_phone and any(getattr(contact, f) for f in ("phone_safe", "voicemail_safe", "text_safe")):
        errors["safe_phone"] = _("Enter a safe phone number, or do not mark calls, voicemail or texts as safe.")
    if not contact.safe_email and contact.email_safe:
        errors["safe_email"] = _("Enter a safe email address, or do not mark email as safe.")
    if errors:
        raise ValidationError(errors)
    # The flags are nullable booleans (None: not known) that the model does not mark blank=True.
    contact.full_clean(exclude=["person", *SafeContact.FLAGS.values()])
    contact.save()
    audit_event(action=Action.UPDATE, request=request, obj=person, reason="changed safe contact")
    return contact


@transaction.atomic
def other_name_add(*, request: HttpRequest | None, person: Person, first_name: str, last_name: str = "", kind: str = PersonName.Kind.KNOWN_AS) -> PersonName:
    """Record another name the person uses or used. The same name twice is recorded once."""
    person = _locked(person)
    _refuse_merged(person)
    first_name, last_name = first_name.strip(), last_name.strip()
    if not first_name and not last_name:
        raise ValidationError({"first_name": _("Enter the other first name or last name.")})
    if kind not in PersonName.Kind.values:
        raise ValidationError({"kind": _("Choose what kind of name this is.")})
    existing = person.other_names.filter(first_name__iexact=first_name, last_name__iexact=last_name, kind=kind).first()
    if existing:
        return existing
    name = PersonName.objects.create(person=person, first_name=first_name, last_name=last_name, kind=kind)
    person_refresh_keys(person=person)
    audit_event(action=Action.UPDATE, request=request, obj=person, reason=f"added other name {name.pk}")
    return name


@transaction.atomic
def other_name_remove(*, request: HttpRequest | None, person: Person, name_id: int) -> bool:
    """Remove another name. Removing one already gone does nothing (False)."""
    person = _locked(person)
    _refuse_merged(person)
    deleted, _detail = PersonName.objects.filter(person=person, pk=name_id).delete()
    if not deleted:
        return False
    person_refresh_keys(person=person)
    audit_event(action=Action.UPDATE, request=request, obj=person, reason=f"removed other name {name_id}")
    return True


def _related_person_values(fields: dict[str, Any]) -> dict[str, Any]:
    values = {
        "first_name": (fields.get("first_name") or "").strip(),
        "last_name": (fields.get("last_name") or "").strip(),
        "date_of_birth": fields.get("date_of_birth"),
        "age_estimate": fields.get("age_estimate"),
        "sex": fields.get("sex") or "unknown",
    }
    _check_identity_values(values, today=timezone.localdate())
    return values


def _already_related(victim: Person, kind: str, values: dict[str, Any]) -> bool:
    return Relationship.objects.filter(
        victim=victim,
        kind=kind,
        other__first_name__iexact=values["first_name"],
        other__last_name__iexact=values["last_name"],
        other__date_of_birth=values["date_of_birth"],
    ).exists()


def _add_related(
    *, request: HttpRequest | None, victim: Person, token: str, kind: str, person_kind: str, fields: dict[str, Any], relationship: str, lives_in_household: bool | None
) -> tuple[Person, bool]:
    """Shared by child_add and person_causing_harm_add: (person, created)."""
    check_token(token)
    victim = _locked(victim)
    _refuse_merged(victim)
    done = done_with_token(victim, token)
    if done is not None:
        return Person.objects.get(pk=done), False
    values = _related_person_values(fields)
    if _already_related(victim, kind, values):
        raise ValidationError(_("This person is already recorded on this record."))
    other = person_create(request=request, kind=person_kind, **values)
    Relationship.objects.create(victim=victim, other=other, kind=kind, relationship=relationship, lives_in_household=lives_in_household)
    audit_event(action=Action.UPDATE, request=request, obj=victim, reason=f"added {kind} person {other.pk}; form {token}")
    return other, True


@transaction.atomic
def child_add(
    *,
    request: HttpRequest | None,
    victim: Person,
    token: str,
    first_name: str,
    last_name: str = "",
    date_of_birth: date | None = None,
    age_estimate: int | None = None,
    sex: str = "unknown",
    school: str = "",
    social_care: str = SocialCare.UNKNOWN,
    lives_in_household: bool | None = None,
) -> Person:
    """Record a child of the victim (a person of kind child, the relationship and the child's details)."""
    if social_care not in SocialCare.values:
        raise ValidationError({"social_care": _("Choose the children's social care involvement.")})
    fields = {"first_name": first_name, "last_name": last_name, "date_of_birth": date_of_birth, "age_estimate": age_estimate, "sex": sex}
    child, created = _add_related(
        request=request,
        victim=victim,
        token=token,
        kind=Relationship.Kind.CHILD,
        person_kind=PersonKind.CHILD,
        fields=fields,
        relationship=RelationshipType.FAMILY_MEMBER,
        lives_in_household=lives_in_household,
    )
    if created:
        ChildDetails.objects.create(person=child, school=school.strip(), social_care=social_care)
    return child


@transaction.atomic
def person_causing_harm_add(
    *,
    request: HttpRequest | None,
    victim: Person,
    token: str,
    first_name: str,
    relationship: str,
    last_name: str = "",
    date_of_birth: date | None = None,
    age_estimate: int | None = None,
    sex: str = "unknown",
    lives_in_household: bool | None = None,
) -> Person:
    """Record a person causing harm to the victim, with how they are related."""
    if relationship not in RelationshipType.values:
        raise ValidationError({"relationship": _("Choose how they are related.")})
    fields = {"first_name": first_name, "last_name": last_name, "date_of_birth": date_of_birth, "age_estimate": age_estimate, "sex": sex}
    other, _created = _add_related(
        request=request,
        victim=victim,
        token=token,
        kind=Relationship.Kind.PERSON_CAUSING_HARM,
        person_kind=PersonKind.PERSON_CAUSING_HARM,
        fields=fields,
        relationship=relationship,
        lives_in_household=lives_in_household,
    )
    return other


JUDGEMENTS = (rules.RiskLevel.MEDIUM.code, rules.RiskLevel.HIGH.code)


def score_level(person: Person, answers: dict[str, str], on: date) -> rules.RiskLevel:
    """The level the answers alone give, under the thresholds in force for the person's area."""
    return rules.level_from_score(rules.dash_score(answers), thresholds_for(person.area_id, on).as_rules())


@transaction.atomic
def risk_assessment_add(
    *,
    request: HttpRequest | None,
    person: Person,
    token: str,
    instrument: Instrument,
    answers: dict[str, str],
    judgement: str = "",
    judgement_reason: str = "",
    police_incidents: int = 0,
    narrative: str = "",
    assessed_at: datetime | None = None,
) -> RiskAssessment:
    """Record an assessment (risk.services.assessment_record) once per form. Professional judgement
    may raise the level the score gives, never lower it."""
    check_token(token)
    person = _locked(person)
    _refuse_merged(person)
    done = done_with_token(person, token)
    if done is not None:
        return RiskAssessment.objects.get(pk=done)
    assessed_at = assessed_at or timezone.now()
    _check_judgement(person, answers, judgement, judgement_reason, assessed_at)
    if police_incidents < 0:
        raise ValidationError({"police_incidents": _("Enter 0 or more.")})
    assessment = assessment_record(
        request=request,
        person=person,
        instrument=instrument,
        answers=answers,
        assessed_at=assessed_at,
        judgement=judgement,
        judgement_reason=judgement_reason,
        police_incidents=police_incidents,
        narrative=narrative.strip(),
    )
    audit_event(action=Action.UPDATE, request=request, obj=person, reason=f"risk assessment {assessment.pk}; form {token}")
    return assessment


def _check_judgement(person: Person, answers: dict[str, str], judgement: str, reason: str, at: datetime) -> None:
    if not judgement:
        return
    if judgement not in JUDGEMENTS:
        raise ValidationError({"judgement": _("Choose medium, high or no professional judgement.")})
    from_score = score_level(person, answers, timezone.localdate(at))
    if rules.RiskLevel.from_code(judgement) < from_score:
        raise ValidationError(
            {
                "judgement": _(
                    "The answers give %(level)s risk. Professional judgement can raise the level, never lower it: "
                    "choose a higher level or no judgement."
                )
                % {"level": from_score.code}
            }
        )
    if not reason.strip():
        raise ValidationError({"judgement_reason": _("Explain why you judge the risk to be %(level)s.") % {"level": judgement}})


@transaction.atomic
def person_merge_checked(*, request: HttpRequest | None, kept: Person, merged: Person, reason: str) -> PersonMerge:
    """Merge `merged` into `kept` (people.services.person_merge) after checking, under a lock, that
    neither has been merged meanwhile. A second submission of the same merge is refused."""
    if not reason.strip():
        raise ValidationError({"reason": _("Enter why these records are the same person.")})
    rows = {p.pk: p for p in Person.objects.select_for_update().filter(pk__in=[kept.pk, merged.pk]).order_by("pk")}
    kept, merged = rows[kept.pk], rows[merged.pk]
    if kept.pk == merged.pk:
        raise ValidationError(_("A record cannot be merged with itself."))
    if merged.merged_into_id or kept.merged_into_id:
        raise ValidationError(_("One of these records has already been merged."))
    if kept.kind != merged.kind:
        raise ValidationError(_("Only records of the same kind can be merged."))
    if PersonMerge.objects.filter(kept=merged, undone_at__isnull=True).exists():
        raise ValidationError(_("Other records were merged into that record. Merge from its page instead, so it is kept."))
    return person_merge(request=request, kept=kept, merged=merged, reason=reason.strip())


@transaction.atomic
def person_merge_undo(*, request: HttpRequest | None, merge: PersonMerge) -> None:
    """Undo a merge (people.services.person_unmerge) once: the row is locked and checked first."""
    merge = PersonMerge.objects.select_for_update().get(pk=merge.pk)
    if merge.undone_at:
        raise ValidationError(_("This merge has already been undone."))
    person_unmerge(request=request, merge=merge)


THRESHOLD_FIELDS = ("high_score", "medium_score", "escalation_incidents", "escalation_window_months", "repeat_window_months")
MAX_SCORE = 50


@transaction.atomic
def threshold_set_add(
    *,
    request: HttpRequest | None,
    area: Area | None,
    effective_from: date,
    high_score: int,
    medium_score: int,
    escalation_incidents: int,
    escalation_window_months: int,
    repeat_window_months: int,
) -> ThresholdSet:
    """Add a rule set for an area (or the default) from a date. Sets are never edited: assessments
    and referrals keep the set they were made under, so a change is a new set from today or later."""
    values = {
        "high_score": high_score,
        "medium_score": medium_score,
        "escalation_incidents": escalation_incidents,
        "escalation_window_months": escalation_window_months,
        "repeat_window_months": repeat_window_months,
    }
    _check_thresholds(effective_from, values)
    existing = ThresholdSet.objects.select_for_update().filter(area=area, effective_from=effective_from).first()
    if existing is not None:
        if all(getattr(existing, k) == v for k, v in values.items()):
            return existing  # the same form submitted twice
        raise ValidationError({"effective_from": _("There is already a rule set for this area from that date. Choose another date.")})
    threshold_set = ThresholdSet.objects.create(area=area, effective_from=effective_from, **values)
    audit_event(action=Action.CREATE, request=request, obj=threshold_set)
    return threshold_set


def _check_thresholds(effective_from: date, values: dict[str, int]) -> None:
    errors: dict[str, str] = {}
    if effective_from < timezone.localdate():
        errors["effective_from"] = _("The date must be today or later: decisions already made keep the rules they were made under.")
    if not 1 <= values["medium_score"] <= MAX_SCORE:
        errors["medium_score"] = _("Enter a score between 1 and %(max)s.") % {"max": MAX_SCORE}
    if not 1 <= values["high_score"] <= MAX_SCORE:
        errors["high_score"] = _("Enter a score between 1 and %(max)s.") % {"max": MAX_SCORE}
    elif values["medium_score"] > values["high_score"]:
        errors["medium_score"] = _("The medium score must be no higher than the high score.")
    for name in ("escalation_incidents", "escalation_window_months", "repeat_window_months"):
        if not 1 <= values[name] <= 120:
            errors[name] = _("Enter a whole number between 1 and 120.")
    if errors:
        raise ValidationError(errors)
