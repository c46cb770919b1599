"""Writes for group programmes and volunteers (perpetrator interventions: services_orders).

Every function validates, writes in one transaction and audits. A form that creates a record
passes its one-time token: a second submission returns what the first one made. Marking
attendance, enrolling and assigning are idempotent by their unique constraints.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Count, Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from safepath.accounts.models import Membership, Organisation, User
from safepath.cases.models import Case, VolunteerAssignment
from safepath.cases.services import case_contact_recorded
from safepath.core.audit import Action, audit_event, audit_many
from safepath.core.once import check_token
from safepath.core.roles import Role
from safepath.people.models import SafeContact
from safepath.programmes.choices import (
    PLACE_TAKING,
    SESSION_MODE_CHANNEL,
    EnrolmentStatus,
    SessionMode,
)
from safepath.programmes.models import (
    Attendance,
    Cohort,
    Enrolment,
    Programme,
    ProgrammeSession,
    VolunteerSession,
)
from safepath.referrals.models import Pathway

M = TypeVar("M", bound=models.Model)
MAX_SESSIONS = 52
MAX_MINUTES = 720
FACILITATOR_ROLES = (Role.CASEWORKER, Role.TEAM_MANAGER, Role.VOLUNTEER)


def acting_user(request: HttpRequest | None) -> User | None:
    return request.user if request is not None and request.user.is_authenticated else None  # type: ignore[return-value]


def create_once(model: type[M], token: str, **values: Any) -> tuple[M, bool]:
    """Create the record unless this form's token already made one: (record, created)."""
    check_token(token)
    existing = model._default_manager.filter(form_token=token).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            return model._default_manager.create(form_token=token, **values), True
    except IntegrityError:  # the same form, submitted at the same moment
        existing = model._default_manager.filter(form_token=token).first()
        if existing is None:
            raise
        return existing, False


def _is_member(user: User, organisation_id: int, roles: Iterable[str]) -> bool:
    return (
        user.is_active
        and Membership.objects.filter(
            user=user, organisation_id=organisation_id, role__in=list(roles), is_active=True
        ).exists()
    )


# --- programmes and cohorts -----------------------------------------------------------------


@transaction.atomic
def programme_create(
    *,
    request: HttpRequest | None,
    provider: Organisation,
    token: str,
    name: str,
    sessions_planned: int,
    sessions_to_complete: int,
    description: str = "",
    pathway: Pathway | None = None,
) -> Programme:
    """Add a group programme the provider runs."""
    name = name.strip()
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = _("Enter the programme's name.")
    if not 1 <= sessions_planned <= MAX_SESSIONS:
        errors["sessions_planned"] = _("Enter a number of sessions from 1 to %(max)s.") % {"max": MAX_SESSIONS}
    elif not 1 <= sessions_to_complete <= sessions_planned:
        errors["sessions_to_complete"] = _("Enter a number from 1 to the number of sessions (%(n)s).") % {
            "n": sessions_planned
        }
    check_token(token)
    if (
        not Programme.objects.filter(form_token=token).exists()
        and name
        and (Programme.objects.filter(provider=provider, name__iexact=name).exists())
    ):
        errors["name"] = _("Your organisation already has a programme with this name.")
    if errors:
        raise ValidationError(errors)
    programme, created = create_once(
        Programme,
        token,
        provider=provider,
        name=name,
        description=description.strip(),
        pathway=pathway,
        sessions_planned=sessions_planned,
        sessions_to_complete=sessions_to_complete,
    )
    if created:
        audit_event(action=Action.CREATE, request=request, obj=programme)
    return programme


def session_times(starts_on: date, at: time, count: int, *, every_days: int = 7) -> list[datetime]:
    """`count` session start times, `every_days` apart from `starts_on`, in local time."""
    zone = timezone.get_current_timezone()
    return [
        timezone.make_aware(datetime.combine(starts_on + timedelta(days=every_days * n), at), zone)
        for n in range(count)
    ]


@transaction.atomic
def cohort_create(
    *,
    request: HttpRequest | None,
    programme: Programme,
    token: str,
    name: str,
    starts_on: date,
    first_session_at: time,
    venue: str,
    capacity: int,
    facilitators: Iterable[User] = (),
) -> Cohort:
    """Add a cohort of a programme with its sessions, weekly from the start date."""
    facilitators = list(facilitators)
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = _("Enter a name for the group, for example “Tuesday evenings, spring”.")
    if not venue.strip():
        errors["venue"] = _("Describe where the group meets.")
    if not 1 <= capacity <= 100:
        errors["capacity"] = _("Enter a number of places from 1 to 100.")
    if any(not _is_member(user, programme.provider_id, FACILITATOR_ROLES) for user in facilitators):
        errors["facilitators"] = _("Choose facilitators from your organisation.")
    if errors:
        raise ValidationError(errors)
    cohort, created = create_once(
        Cohort,
        token,
        programme=programme,
        name=name.strip(),
        starts_on=starts_on,
        venue=venue.strip(),
        capacity=capacity,
        created_by=acting_user(request),
    )
    if created:
        cohort.facilitators.set(facilitators)
        times = session_times(starts_on, first_session_at, programme.sessions_planned)
        ProgrammeSession.objects.bulk_create(
            [ProgrammeSession(cohort=cohort, number=n, starts_at=at) for n, at in enumerate(times, start=1)]
        )
        audit_event(action=Action.CREATE, request=request, obj=cohort)
    return cohort


# --- enrolment and attendance ---------------------------------------------------------------


@transaction.atomic
def enrolment_add(*, request: HttpRequest | None, cohort: Cohort, case: Case, at: datetime | None = None) -> Enrolment:
    """Give the case's person a place in the cohort. Enrolling someone already holding a place
    changes nothing; someone who withdrew takes a place again."""
    cohort = Cohort.objects.select_for_update().select_related("programme").get(pk=cohort.pk)
    if case.provider_id != cohort.programme.provider_id:
        raise ValidationError({"case": _("Choose a person your organisation supports.")})
    if not case.is_open:
        raise ValidationError({"case": _("This person's case is closed. Reopen it before enrolling them.")})
    existing = Enrolment.objects.filter(cohort=cohort, case=case).first()
    if existing is not None and existing.status in PLACE_TAKING:
        return existing
    if cohort.enrolments.filter(status__in=PLACE_TAKING).count() >= cohort.capacity:
        raise ValidationError(_("This group is full. Choose another group or make more places."), code="full")
    at = at or timezone.now()
    if existing is not None:
        existing.status, existing.withdrawn_at, existing.enrolled_at = EnrolmentStatus.ENROLLED, None, at
        existing.enrolled_by = acting_user(request)
        existing.save()
        _update_completion(cohort, [existing.pk], at=at)
        existing.refresh_from_db()
        audit_event(action=Action.UPDATE, request=request, obj=existing, reason="enrolled again")
        return existing
    enrolment = Enrolment.objects.create(cohort=cohort, case=case, enrolled_at=at, enrolled_by=acting_user(request))
    audit_event(action=Action.CREATE, request=request, obj=enrolment)
    return enrolment


@transaction.atomic
def enrolment_withdraw(*, request: HttpRequest | None, enrolment: Enrolment, at: datetime | None = None) -> Enrolment:
    """Take the person off the group (their attendance is kept). Repeating it changes nothing."""
    current = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if current.status != EnrolmentStatus.WITHDRAWN:
        current.status, current.withdrawn_at, current.completed_at = (
            EnrolmentStatus.WITHDRAWN,
            at or timezone.now(),
            None,
        )
        current.save()
        audit_event(action=Action.UPDATE, request=request, obj=current, reason="withdrawn")
    return current


@dataclass(frozen=True)
class Mark:
    attended: bool
    note: str = ""


def _update_completion(cohort: Cohort, enrolment_ids: list[int], *, at: datetime) -> None:
    """Completed when attended sessions reach the programme's number; back to enrolled if a
    correction takes them below it. Withdrawn enrolments are left alone."""
    needed = cohort.programme.sessions_to_complete
    counts = (
        Enrolment.objects.filter(pk__in=enrolment_ids, status__in=PLACE_TAKING)
        .annotate(n=Count("attendance", filter=Q(attendance__attended=True)))
        .values_list("pk", "status", "n")
    )
    for pk, status, attended in counts:
        if attended >= needed and status == EnrolmentStatus.ENROLLED:
            Enrolment.objects.filter(pk=pk).update(status=EnrolmentStatus.COMPLETED, completed_at=at)
        elif attended < needed and status == EnrolmentStatus.COMPLETED:
            Enrolment.objects.filter(pk=pk).update(status=EnrolmentStatus.ENROLLED, completed_at=None)


def _save_mark(
    session: ProgrammeSession, enrolment_id: int, row: Attendance | None, mark: Mark, *, at: datetime, by: User | None
) -> tuple[Attendance, bool]:
    """Create or correct one mark: (row, whether the person is now newly marked as attending)."""
    note = mark.note.strip()[:200]
    if row is None:
        row = Attendance.objects.create(
            session=session,
            enrolment_id=enrolment_id,
            attended=mark.attended,
            note=note,
            recorded_at=at,
            recorded_by=by,
        )
        return row, mark.attended
    if (row.attended, row.note) == (mark.attended, note):
        return row, False
    came = mark.attended and not row.attended
    row.attended, row.note, row.recorded_at, row.recorded_by = mark.attended, note, at, by
    row.save()
    return row, came


@transaction.atomic
def attendance_record(
    *, request: HttpRequest | None, session: ProgrammeSession, marks: dict[int, Mark], at: datetime | None = None
) -> list[Attendance]:
    """Record who came to a session: one mark per enrolment holding a place. Submitting the
    same register again changes nothing; a changed mark corrects the earlier one."""
    at = at or timezone.now()
    cohort = Cohort.objects.select_for_update().select_related("programme").get(pk=session.cohort_id)
    if timezone.localdate(session.starts_at) > timezone.localdate(at):
        raise ValidationError(_("This session has not happened yet. Record attendance on or after the day."))
    enrolments = {e.pk: e for e in cohort.enrolments.filter(status__in=PLACE_TAKING).select_related("case")}
    if set(marks) - set(enrolments):
        raise ValidationError(_("The register has changed since you opened it. Check it and try again."))
    existing = {a.enrolment_id: a for a in session.attendance.select_for_update()}
    by = acting_user(request)
    saved, newly_attended = [], []
    for enrolment_id, mark in marks.items():
        row, came = _save_mark(session, enrolment_id, existing.get(enrolment_id), mark, at=at, by=by)
        saved.append(row)
        if came:
            newly_attended.append(enrolments[enrolment_id])
    _update_completion(cohort, list(marks), at=at)
    for enrolment in newly_attended:  # coming to the group is face-to-face contact with the service
        case_contact_recorded(enrolment.case, at=session.starts_at, mode="face_to_face", made=True)
    audit_many(
        action=Action.UPDATE,
        request=request,
        objects=[enrolments[pk] for pk in marks],
        reason=f"attendance at session {session.pk}",
    )
    return saved


# --- volunteers -----------------------------------------------------------------------------


@transaction.atomic
def volunteer_assign(
    *, request: HttpRequest | None, case: Case, volunteer: User, started_on: date | None = None
) -> VolunteerAssignment:
    """Assign a volunteer to support the case's person. Assigning the same volunteer again
    while the assignment is current changes nothing."""
    current = Case.objects.select_for_update().get(pk=case.pk)
    started_on = started_on or timezone.localdate()
    if not current.is_open:
        raise ValidationError(_("This case is closed. Reopen it before assigning a volunteer."))
    if not _is_member(volunteer, current.provider_id, [Role.VOLUNTEER]):
        raise ValidationError({"volunteer": _("Choose a volunteer in your organisation.")})
    if started_on > timezone.localdate():
        raise ValidationError({"started_on": _("The start date must be today or in the past.")})
    existing = VolunteerAssignment.objects.filter(case=current, volunteer=volunteer, ended_on__isnull=True).first()
    if existing is not None:
        return existing
    assignment = VolunteerAssignment.objects.create(
        case=current, volunteer=volunteer, started_on=started_on, assigned_by=acting_user(request)
    )
    audit_event(action=Action.CREATE, request=request, obj=assignment)
    return assignment


@transaction.atomic
def assignment_end(
    *, request: HttpRequest | None, assignment: VolunteerAssignment, ended_on: date | None = None
) -> VolunteerAssignment:
    """End a volunteer's assignment: they stop seeing the person at once. Repeating changes nothing."""
    current = VolunteerAssignment.objects.select_for_update().get(pk=assignment.pk)
    if current.ended_on is None:
        current.ended_on = max(ended_on or timezone.localdate(), current.started_on)
        current.save(update_fields=["ended_on"])
        audit_event(action=Action.UPDATE, request=request, obj=current, reason="assignment ended")
    return current


def session_refusal(contact: SafeContact | None, mode: str) -> str | None:
    """Why a session in this mode must not happen, by the person's safe-contact rules, or None."""
    channel = SESSION_MODE_CHANNEL.get(mode)
    if channel is None:
        return None
    if contact is None:
        return _("Nobody has confirmed that any way of contacting this person is safe.")
    return contact.refusal(channel)


@transaction.atomic
def volunteer_session_record(
    *,
    request: HttpRequest | None,
    assignment: VolunteerAssignment,
    volunteer: User,
    token: str,
    at: datetime,
    minutes: int,
    mode: str,
    note: str = "",
) -> VolunteerSession:
    """Record a volunteer's session with the person assigned to them. A phone session is refused
    unless the person's phone is marked safe."""
    current = VolunteerAssignment.objects.select_for_update().select_related("case__person").get(pk=assignment.pk)
    if current.volunteer_id != volunteer.pk:
        raise ValidationError(_("You can only record sessions with the people assigned to you."))
    if current.ended_on is not None:
        raise ValidationError(_("You are no longer assigned to this person."))
    errors: dict[str, str] = {}
    if mode not in SessionMode.values:
        errors["mode"] = _("Choose how the session happened.")
    else:
        refusal = session_refusal(SafeContact.objects.filter(person_id=current.case.person_id).first(), mode)
        if refusal:
            errors["mode"] = refusal
    if at > timezone.now():
        errors["on"] = _("The session must be today or in the past.")
    elif timezone.localdate(at) < current.started_on:
        errors["on"] = _("The session must be on or after the day you were assigned.")
    if not 1 <= minutes <= MAX_MINUTES:
        errors["minutes"] = _("Enter the length in minutes, from 1 to %(max)s.") % {"max": MAX_MINUTES}
    if errors:
        raise ValidationError(errors)
    session, created = create_once(
        VolunteerSession,
        token,
        assignment=current,
        at=at,
        minutes=minutes,
        mode=mode,
        note=note.strip(),
        recorded_by=volunteer,
        recorded_at=timezone.now(),
    )
    if created:
        if mode in (SessionMode.FACE_TO_FACE, SessionMode.PHONE):
            case_contact_recorded(current.case, at=at, mode=mode, made=True)
        audit_event(action=Action.CREATE, request=request, obj=session)
    return session
