"""Writes for the case itself: opening (with re-referral fast track), status changes,
allocation and the denormalised fields other services keep current. Teams and pathway
settings are in services_config.py.

Every function validates, writes in one transaction and audits. Changes a person makes
from a form carry the case `version` they saw; a stale one raises CaseChanged instead of
silently overwriting a colleague's change (optimistic locking). A repeated submission of a
change already made (a double click) changes nothing and is not an error.
"""

from __future__ import annotations

import calendar
import secrets
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from safepath.accounts.models import Membership, User
from safepath.cases.choices import MODE_CHANNEL, OPEN_STATUSES, TRANSITIONS, CaseStatus, EngagementRule
from safepath.cases.choices import ReReferralPriority as Priority
from safepath.cases.models import Case, CaseStatusChange, Team
from safepath.cases.selectors import WORKER_ROLES, settings_for
from safepath.core.audit import Action, audit_event
from safepath.core.models import VocabularyTerm
from safepath.people.models import Person
from safepath.referrals.models import Pathway, Referral, WorkItem

CLOSURE_REASONS = "case_closure_reasons"
REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


class CaseChanged(ValidationError):
    """The case changed since the form was shown; the second writer is told, not overwritten."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "Someone else changed this case while you were working on it. Check the case as it is now, then try again."
            ),
            code="stale",
        )


def new_case_reference() -> str:
    return "C-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(7))


def add_months(day: date, months: int) -> date:
    """The same day `months` later (or earlier, for a negative number), or that month's last day
    when it is shorter (31 Jan + 1 month = 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def _user(request: HttpRequest | None) -> User | None:
    return request.user if request is not None and request.user.is_authenticated else None  # type: ignore[return-value]


def _lock(case: Case) -> Case:
    return Case.objects.select_for_update().get(pk=case.pk)


def _check_version(current: Case, version: int | None) -> None:
    if version is not None and current.version != version:
        raise CaseChanged()


def _locked(case: Case, version: int | None) -> Case:
    current = _lock(case)
    _check_version(current, version)
    return current


def _sync(target: Case, source: Case) -> None:
    for field in Case._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))


def _record(
    case: Case, from_status: str, to_status: str, *, at: datetime, by: User | None, reason: str = "", note: str = ""
) -> CaseStatusChange:
    return CaseStatusChange.objects.create(
        case=case, from_status=from_status, to_status=to_status, at=at, by=by, reason_code=reason, note=note
    )


# --- opening -----------------------------------------------------------------------------


def same_person_ids(person: Person) -> list[int]:
    """The record kept after merges and every record merged into it: cases stay on the record
    they were opened on, so a merged person's history is found through all of them."""
    merged_into_id = Person.objects.filter(pk=person.pk).values_list("merged_into_id", flat=True).first()
    kept_id = merged_into_id or person.pk
    return [kept_id, *Person.objects.filter(merged_into_id=kept_id).values_list("pk", flat=True)]


def _kept(person: Person) -> Person:
    """The record a person was merged into (read afresh: the object may predate the merge)."""
    fresh = Person.objects.select_related("merged_into").get(pk=person.pk)
    return fresh.merged_into or person


def previous_closed_case(person: Person, pathway: Pathway, *, at: datetime) -> Case | None:
    """The person's most recent case on this pathway closed within the pathway's re-referral
    window before `at` (any provider; on any record merged with the person), or None. The window
    counts whole calendar months back from `at`'s date, that day included; 0 months: no fast track."""
    window = settings_for(pathway).rereferral_window_months
    if window <= 0:
        return None
    since = add_months(timezone.localdate(at), -window)
    return (
        Case.objects.filter(
            person_id__in=same_person_ids(person),
            pathway=pathway,
            status=CaseStatus.CLOSED,
            closed_at__date__gte=since,
            closed_at__lte=at,
        )
        .order_by("-closed_at", "-id")
        .first()
    )


def _active_worker(user: User | None, provider_id: int) -> bool:
    return bool(
        user
        and user.is_active
        and Membership.objects.filter(
            user=user, organisation_id=provider_id, role__in=WORKER_ROLES, is_active=True
        ).exists()
    )


@transaction.atomic
def case_open(
    *,
    request: HttpRequest | None,
    person: Person,
    pathway: Pathway,
    provider_id: int,
    risk_level: str,
    referral: Referral | None = None,
    work_item: WorkItem | None = None,
    at: datetime | None = None,
    note: str = "",
    handover: bool = False,
) -> Case:
    """Open a case on the provider's waiting list.

    A case opened by a warm handover (`handover=True`) is a planned move within support, not
    a re-referral: it is never fast-tracked or flagged.

    A person whose case on this pathway closed within the re-referral window is a re-referral:
    the new case links the previous one (its history visible to the authorised worker) and,
    per the pathway's setting, goes to the top of the waiting list or straight back to the
    previous key worker when they still work there (otherwise to the top of the list).
    """
    at = at or timezone.now()
    person = _kept(person)
    previous = None if handover else previous_closed_case(person, pathway, at=at)
    settings = settings_for(pathway)
    for _attempt in range(5):
        try:
            with transaction.atomic():
                case = Case.objects.create(
                    reference=new_case_reference(),
                    person=person,
                    pathway=pathway,
                    provider_id=provider_id,
                    referral=referral,
                    work_item=work_item,
                    previous_case=previous,
                    is_rereferral=previous is not None,
                    risk_level=risk_level,
                    opened_at=at,
                    waiting_since=at,
                )
            break
        except IntegrityError:
            if work_item is not None and Case.objects.filter(work_item=work_item).exists():
                return Case.objects.get(work_item=work_item)  # opened already: nothing twice
            continue  # a reference collision: draw another
    else:  # pragma: no cover - 32^7 references
        raise RuntimeError("could not draw a unique case reference")
    by = _user(request)
    _record(case, "", CaseStatus.WAITING, at=at, by=by, reason="rereferral" if previous else "", note=note)
    audit_event(action=Action.CREATE, request=request, obj=case, reason="rereferral" if previous else "")
    if (
        previous is not None
        and settings.rereferral_priority == Priority.SKIP_WAITING_LIST
        and previous.provider_id == provider_id
        and _active_worker(previous.key_worker, provider_id)
    ):
        team = previous.team if previous.team is not None and previous.team.is_active else None
        _allocate(case, previous.key_worker, team=team, at=at, by=by, reason="rereferral_fast_track")  # type: ignore[arg-type]
        audit_event(action=Action.UPDATE, request=request, obj=case, reason="allocated (re-referral fast track)")
    return case


def case_open_from_work_item(*, request: HttpRequest | None, item: WorkItem, at: datetime | None = None) -> Case:
    """An accepted routed referral becomes a waiting case at the provider (idempotent)."""
    existing = Case.objects.filter(work_item=item).first()
    if existing is not None:
        return existing
    referral = item.referral
    person = referral.person.merged_into or referral.person
    return case_open(
        request=request,
        person=person,
        pathway=item.pathway,
        provider_id=item.provider_id,
        risk_level=referral.risk_level,
        referral=referral,
        work_item=item,
        at=at,
    )


# --- status and allocation ---------------------------------------------------------------


def _closure_term(code: str) -> VocabularyTerm | None:
    if not code:
        return None
    return VocabularyTerm.objects.filter(vocabulary=CLOSURE_REASONS, code=code, is_active=True).first()


def _start_support_period(case: Case, at: datetime) -> None:
    """The support period runs from allocation; a case allocated again after its period ran out
    (or reopened after closure) starts a new one, while a change of worker keeps the period."""
    today = timezone.localdate(at)
    if case.support_ends_on is None or case.support_ends_on < today:
        case.allocated_at = at
        case.support_ends_on = add_months(today, settings_for(case.pathway_id).support_months)
        case.step_down_planned_at = None
    elif case.allocated_at is None:
        case.allocated_at = at


def _allocate(case: Case, worker: User, *, team: Team | None, at: datetime, by: User | None, reason: str = "") -> None:
    from_status = case.status
    case.key_worker = worker
    case.team = team
    if case.status in (CaseStatus.WAITING, CaseStatus.CLOSED):
        case.status = CaseStatus.ALLOCATED
        case.closed_at = None
        case.closure_reason = ""
    _start_support_period(case, at)
    case.version += 1
    case.save()
    if from_status != case.status:
        _record(case, from_status, case.status, at=at, by=by, reason=reason)


@transaction.atomic
def case_allocate(
    *,
    request: HttpRequest | None,
    case: Case,
    worker: User,
    team: Team | None = None,
    version: int | None = None,
    at: datetime | None = None,
) -> Case:
    """Give the case a key worker (from the waiting list, or a change of worker). The worker must
    be an active caseworker or team manager of the case's provider; the team one of its active teams."""
    current = _lock(case)
    team_id = team.pk if team else None
    if (
        current.is_open
        and current.status != CaseStatus.WAITING
        and (current.key_worker_id, current.team_id)
        == (
            worker.pk,
            team_id,
        )
    ):
        _sync(case, current)
        return case  # a repeated submission: nothing to change
    _check_version(current, version)
    if current.status == CaseStatus.CLOSED:
        raise ValidationError(_("This case is closed. Reopen it before allocating it."), code="transition")
    if not _active_worker(worker, current.provider_id):
        raise ValidationError({"worker": _("Choose a caseworker or team manager who works in your organisation.")})
    if team is not None and (team.organisation_id != current.provider_id or not team.is_active):
        raise ValidationError({"team": _("Choose one of your organisation's teams.")})
    _allocate(current, worker, team=team, at=at or timezone.now(), by=_user(request))
    _sync(case, current)
    audit_event(action=Action.UPDATE, request=request, obj=current, reason="allocated")
    return case


def _refuse_transition(current: str, to_status: str) -> ValidationError:
    return ValidationError(
        _("A case that is “%(current)s” cannot be changed to “%(new)s”.")
        % {"current": CaseStatus(current).label, "new": CaseStatus(to_status).label},
        code="transition",
    )


def _close(current: Case, reason_code: str, at: datetime) -> None:
    term = _closure_term(reason_code)
    if term is None:
        raise ValidationError({"reason_code": _("Choose why the case is closing.")})
    current.closed_at = at
    current.closure_reason = term.code


def _reopen(current: Case, to_status: str, at: datetime) -> None:
    """Closed → allocated (back to its key worker, who must still work here) or → waiting."""
    if to_status == CaseStatus.ALLOCATED:
        if not _active_worker(current.key_worker, current.provider_id):
            raise ValidationError(
                _("The case's key worker no longer works here: reopen it to the waiting list instead."),
                code="transition",
            )
        _start_support_period(current, at)
    current.closed_at = None
    current.closure_reason = ""


@transaction.atomic
def case_change_status(
    *,
    request: HttpRequest | None,
    case: Case,
    to_status: str,
    version: int | None = None,
    reason_code: str = "",
    note: str = "",
    at: datetime | None = None,
) -> CaseStatusChange | None:
    """Move the case along TRANSITIONS; None when it is already there (a repeated submission).

    Closing needs a closure reason from the vocabulary. Reopening (from closed) returns the
    case to its key worker when they still work here, or to the waiting list. Returning a case
    to the waiting list clears its key worker. Who may make which change is the view's concern
    (closing and reopening are for team managers).
    """
    if to_status not in CaseStatus.values:
        raise ValidationError({"to_status": _("Choose what the case's status should be.")})
    current = _lock(case)
    if current.status == to_status:
        _sync(case, current)
        return None
    _check_version(current, version)
    if to_status not in TRANSITIONS.get(current.status, frozenset()):
        raise _refuse_transition(current.status, to_status)
    at = at or timezone.now()
    from_status = current.status
    if to_status == CaseStatus.CLOSED:
        _close(current, reason_code, at)
    elif from_status == CaseStatus.CLOSED:
        _reopen(current, to_status, at)
    if to_status == CaseStatus.ALLOCATED and current.key_worker_id is None:
        raise ValidationError(_("Allocate the case to a worker first."), code="transition")
    if to_status == CaseStatus.WAITING:
        current.key_worker = None
        current.waiting_since = at
    if to_status == CaseStatus.STEPPING_DOWN:
        current.step_down_planned_at = at
    current.status = to_status
    current.version += 1
    current.save()
    change = _record(current, from_status, to_status, at=at, by=_user(request), reason=reason_code, note=note.strip())
    _sync(case, current)
    audit_event(action=Action.UPDATE, request=request, obj=current, reason=f"status {from_status} to {to_status}")
    return change


# --- effects of other records on the case (contacts, reviews, tasks) ---------------------


def engages(rule: str, *, mode: str, made: bool) -> bool:
    """Whether a contact counts as the first successful contact under the pathway's rule."""
    if not made:
        return False
    if rule == EngagementRule.FACE_TO_FACE:
        return mode == "face_to_face"
    if rule == EngagementRule.TWO_WAY_CONTACT:
        return mode in ("phone", "video", "face_to_face")
    return True


def case_contact_recorded(case: Case, *, at: datetime, mode: str, made: bool) -> None:
    """Keep the case's contact facts current after a contact is recorded (call inside the
    contact's transaction). A first successful contact activates an allocated case and, by
    the pathway's engagement rule, marks it engaged; both are kept for reporting. Contacts
    may be recorded out of order: the earliest qualifying one counts."""
    assert mode in MODE_CHANNEL, mode
    current = _lock(case)
    fields: list[str] = []
    if made and (current.last_contact_at is None or at > current.last_contact_at):
        current.last_contact_at = at
        fields.append("last_contact_at")
    if made and (current.first_contact_at is None or at < current.first_contact_at):
        current.first_contact_at = at
        fields.append("first_contact_at")
    rule = settings_for(current.pathway_id).engagement_rule
    if engages(rule, mode=mode, made=made) and (current.engaged_at is None or at < current.engaged_at):
        current.engaged_at = at
        fields.append("engaged_at")
    if made and current.status == CaseStatus.ALLOCATED:
        current.status = CaseStatus.ACTIVE
        current.version += 1  # a status change: forms shown before it are stale
        fields += ["status", "version"]
        _record(current, CaseStatus.ALLOCATED, CaseStatus.ACTIVE, at=at, by=None, reason="first_contact")
    if fields:
        current.save(update_fields=[*fields, "updated_at"])
    _sync(case, current)


def case_set_dates(case: Case, **dates: date | None) -> None:
    """Update the denormalised due dates (next_action_on, review_due_on) without a version bump:
    they follow from tasks, plans and reviews, not from an edit of the case itself."""
    allowed = {"next_action_on", "review_due_on"}
    if set(dates) - allowed:
        raise ValueError(f"not a due date: {sorted(set(dates) - allowed)}")
    Case.objects.filter(pk=case.pk).update(**dates)
    for name, value in dates.items():
        setattr(case, name, value)


def open_cases_of(person: Person) -> list[Case]:
    return list(
        Case.objects.filter(person_id__in=same_person_ids(person), status__in=OPEN_STATUSES).select_related(
            "pathway", "provider"
        )
    )
