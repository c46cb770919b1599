"""Writes for MARAC: referrals to the meeting, meetings and agendas, research, actions, minutes.

Every write validates, writes and audits inside one transaction (STYLE.md point 4).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from safepath.accounts.models import Organisation, User
from safepath.areas.models import Area
from safepath.core.audit import Action as AuditAction
from safepath.core.audit import audit_event, audit_many
from safepath.core.inserts import insert_values
from safepath.core.once import check_token
from safepath.marac import repeats
from safepath.marac.choices import ReferralSource, ReferralStatus
from safepath.marac.models import Action, AgendaItem, MaracReferral, MaracSettings, Meeting, MeetingAgency, Research
from safepath.marac.selectors import marac_organisations, pending_for_agenda, settings_for


def _user(request: HttpRequest | None) -> User | None:
    if request is not None and request.user.is_authenticated:
        return request.user  # type: ignore[return-value]
    return None


# --- which MARAC covers an area ------------------------------------------------------------


class MaracAreas:
    """Which MARAC hears a referral from an area: the MARAC covering the nearest of the area and
    its parents (a city MARAC inside a county MARAC's area takes the city). Two queries, once."""

    def __init__(self) -> None:
        self.parents = dict(Area.objects.values_list("pk", "parent_id"))
        through = Organisation.areas.through
        self.covering: dict[int, int] = {}
        ids = list(marac_organisations().values_list("pk", flat=True))
        for org_id, area_id in (
            through.objects.filter(organisation_id__in=ids)
            .order_by("organisation_id")
            .values_list("organisation_id", "area_id")
        ):
            self.covering.setdefault(area_id, org_id)

    def marac_for(self, area_id: int | None) -> int | None:
        seen: set[int] = set()
        while area_id is not None and area_id not in seen:
            if area_id in self.covering:
                return self.covering[area_id]
            seen.add(area_id)
            area_id = self.parents.get(area_id)
        return None

    def areas_of(self, marac_id: int) -> set[int]:
        """Every area whose referrals this MARAC hears (its areas and their sub-areas not taken by another)."""
        return {area_id for area_id in self.parents if self.marac_for(area_id) == marac_id}


# --- MARAC referrals ------------------------------------------------------------------------


def marac_referrals_from_referrals(referrals: Iterable[Any], *, created_now: bool = False) -> list[MaracReferral]:
    """Make a MARAC referral for each saved referral that meets the criteria and has none yet.

    Idempotent, and a constant number of queries however many referrals (imports call it per
    batch). Nothing is read when no referral meets the criteria. `created_now`: the referrals were
    created in the transaction still open (an import's chunk), so none can have a MARAC referral
    yet: nothing is looked up, and the rows are written by plain INSERTs (core/inserts.py)."""
    candidates = [r for r in referrals if r.is_marac_case and r.pk is not None]
    if not candidates:
        return []
    existing = {} if created_now else {
        m.referral_id: m
        for m in MaracReferral.objects.filter(referral_id__in=[r.pk for r in candidates]).only(
            "pk", "referral_id", "criteria", "is_repeat"
        )
    }  # fmt: skip
    _add_later_findings([r for r in candidates if r.pk in existing], existing)
    new = [r for r in candidates if r.pk not in existing]
    if not new:
        return []
    history = _marac_history({r.person_id for r in new})
    areas = MaracAreas()
    windows = dict(MaracSettings.objects.values_list("marac_id", "repeat_window_months"))
    rows = []
    for referral in new:
        marac_id = areas.marac_for(referral.area_id)
        window = windows.get(marac_id, repeats.DEFAULT_WINDOW_MONTHS)
        repeat = referral.is_repeat or repeats.is_repeat(
            referral.received_at, history.get(referral.person_id, []), window_months=window
        )
        rows.append(
            MaracReferral(
                referral=referral,
                marac_id=marac_id,
                source=ReferralSource.CRITERIA,
                criteria=list(referral.marac_criteria),
                is_repeat=repeat,
            )
        )
    if created_now:
        insert_values(MaracReferral, rows)
    else:
        MaracReferral.objects.bulk_create(rows, ignore_conflicts=True)
    return rows


def _add_later_findings(referrals: list[Any], existing: dict[Any, MaracReferral]) -> None:
    """Triage may find more (a known person's earlier MARAC referral makes it a repeat): add it,
    never take anything away."""
    changed = []
    for referral in referrals:
        row = existing[referral.pk]
        criteria = sorted(set(row.criteria) | set(referral.marac_criteria))
        if criteria != sorted(row.criteria) or (referral.is_repeat and not row.is_repeat):
            row.criteria, row.is_repeat = criteria, row.is_repeat or referral.is_repeat
            changed.append(row)
    if changed:
        MaracReferral.objects.bulk_update(changed, ["criteria", "is_repeat"])


def _marac_history(person_ids: set[Any]) -> dict[Any, list[datetime]]:
    """When each person was referred to MARAC (INTERFACES.md: a MARAC case is a referral meeting the criteria)."""
    from safepath.referrals.models import Referral

    history: dict[Any, list[datetime]] = {}
    rows = Referral.objects.filter(person_id__in=person_ids, is_marac_case=True).values_list("person_id", "received_at")
    for person_id, received in rows:
        history.setdefault(person_id, []).append(received)
    return history


@dataclass(frozen=True)
class PartnerReferral:
    """What a partner agency sends on the MARAC referral form."""

    first_name: str
    last_name: str
    date_of_birth: date | None
    postcode: str
    reason: str
    dash_score: int | None = None
    children_in_household: int | None = None
    source: str = "other_agency"


@transaction.atomic
def marac_referral_from_partner(
    *, request: HttpRequest, sent: PartnerReferral, referring_agency: Organisation, token: str
) -> MaracReferral:
    """A partner agency refers a case to MARAC on professional judgement. It is received as a
    referral like any other (matching, the risk rules, repeat detection), then marked as the partner's."""
    from safepath.core.once import done_with_token
    from safepath.referrals.services import Incoming, referral_receive

    check_token(token)
    earlier = done_with_token(referring_agency, token, "MARAC referral")
    if earlier:
        return MaracReferral.objects.get(pk=earlier)
    if not sent.reason.strip():
        raise ValidationError({"reason": _("Say why this case should go to MARAC.")})
    incoming = Incoming(
        channel="professional",
        source=sent.source,
        received_at=timezone.now(),
        first_name=sent.first_name,
        last_name=sent.last_name,
        date_of_birth=sent.date_of_birth,
        postcode=sent.postcode,
        dash_score=sent.dash_score,
        professional_judgement_high=True,
        children_in_household=sent.children_in_household,
        reason=sent.reason,
    )
    referral = referral_receive(
        incoming=incoming,
        request=request,
        referrer=_user(request),
        referring_organisation=referring_agency,
        auto_link=True,  # a confident match links at once, so a repeat is flagged now; triage checks the rest
    )
    marac_referrals_from_referrals([referral])  # usually made already by referral_receive: idempotent
    marac_referral = MaracReferral.objects.select_for_update().get(referral=referral)
    marac_referral.source = ReferralSource.PARTNER
    marac_referral.referring_agency = referring_agency
    marac_referral.reason = sent.reason.strip()
    if marac_referral.marac_id is None:  # no known area for the person: the referring agency's MARAC hears it
        areas = MaracAreas()
        found = (areas.marac_for(a) for a in referring_agency.areas.values_list("pk", flat=True))
        marac_referral.marac_id = next((m for m in found if m is not None), None)
    marac_referral.save(update_fields=["source", "referring_agency", "reason", "marac"])
    audit_event(action=AuditAction.CREATE, request=request, obj=marac_referral, reason="partner referral")
    audit_event(
        action=AuditAction.CREATE,
        request=request,
        obj=referring_agency,
        reason=f"MARAC referral {marac_referral.pk}; form {token}",
    )
    return marac_referral


# --- meetings and agendas -------------------------------------------------------------------


@transaction.atomic
def meeting_create(
    *,
    request: HttpRequest | None,
    marac: Organisation,
    held_at: datetime,
    chair: str,
    agencies: Sequence[Organisation],
    token: str = "",
) -> Meeting:
    if token:
        check_token(token)
        found = Meeting.objects.filter(form_token=token).first()
        if found:
            return found
    if not chair.strip():
        raise ValidationError({"chair": _("Enter who chairs the meeting.")})
    meeting = Meeting.objects.create(marac=marac, held_at=held_at, chair=chair.strip(), form_token=token or None)
    MeetingAgency.objects.bulk_create([MeetingAgency(meeting=meeting, organisation=org) for org in agencies])
    audit_event(action=AuditAction.CREATE, request=request, obj=meeting)
    return meeting


@transaction.atomic
def agenda_build(*, request: HttpRequest | None, meeting: Meeting) -> list[AgendaItem]:
    """Fill the agenda from waiting referrals (repeats first, then the oldest), up to the MARAC's maximum."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.agenda_released_at is not None:
        raise ValidationError(_("The agenda has been released: it can no longer be changed here."))
    taken = meeting.items.count()
    room = settings_for(meeting.marac_id).max_cases_per_meeting - taken
    if room <= 0:
        return []
    chosen = list(pending_for_agenda(meeting.marac, before=meeting.held_at).select_for_update()[:room])
    items = [
        AgendaItem(meeting=meeting, marac_referral=referral, position=taken + n)
        for n, referral in enumerate(chosen, start=1)
    ]
    AgendaItem.objects.bulk_create(items)
    MaracReferral.objects.filter(pk__in=[r.pk for r in chosen]).update(status=ReferralStatus.LISTED)
    audit_many(action=AuditAction.UPDATE, request=request, objects=chosen, reason=f"listed for meeting {meeting.pk}")
    return items


@transaction.atomic
def agenda_release(*, request: HttpRequest | None, meeting: Meeting) -> Meeting:
    """Release the agenda: attending agencies' representatives may now see its cases, until the
    configured time after the meeting (fixed now, so a later change of setting does not reopen it)."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.agenda_released_at is not None:
        return meeting
    if not meeting.items.exists():
        raise ValidationError(_("Add cases to the agenda before releasing it."))
    meeting.agenda_released_at = timezone.now()
    meeting.access_until = meeting.held_at + settings_for(meeting.marac_id).access_after
    meeting.save(update_fields=["agenda_released_at", "access_until"])
    audit_event(action=AuditAction.UPDATE, request=request, obj=meeting, reason="agenda released")
    return meeting


@transaction.atomic
def research_record(
    *,
    request: HttpRequest | None,
    item: AgendaItem,
    organisation: Organisation,
    text: str,
    no_information: bool = False,
    idva_summary: str | None = None,
) -> Research:
    """An attending agency's research for a case (one record per agency, updated in place).
    The IDVA service also records the victim's voice."""
    if not item.meeting.attendance.filter(organisation=organisation).exists():
        raise ValidationError(_("Only agencies attending the meeting share research for it."))
    if not text.strip() and not no_information:
        raise ValidationError({"text": _("Enter what your agency holds, or say it holds nothing.")})
    research, _created = Research.objects.update_or_create(
        item=item,
        organisation=organisation,
        defaults={
            "text": text.strip(),
            "no_information": no_information,
            "recorded_by": _user(request),
            "recorded_at": timezone.now(),
        },
    )
    audit_event(action=AuditAction.UPDATE if not _created else AuditAction.CREATE, request=request, obj=research)
    if idva_summary is not None:
        if settings_for(item.meeting.marac_id).idva_service_id != organisation.pk:
            raise ValidationError(_("Only the IDVA service records the victim's voice."))
        item.idva_summary = idva_summary.strip()
        item.idva_summary_by = _user(request)
        item.save(update_fields=["idva_summary", "idva_summary_by"])
        audit_event(action=AuditAction.UPDATE, request=request, obj=item, reason="victim's voice")
    return research


@transaction.atomic
def action_add(
    *,
    request: HttpRequest | None,
    item: AgendaItem,
    owner: Organisation,
    description: str,
    due_on: date,
    token: str = "",
) -> Action:
    if token:
        check_token(token)
        found = Action.objects.filter(form_token=token).first()
        if found:
            return found
    if not description.strip():
        raise ValidationError({"description": _("Describe the action.")})
    if not item.meeting.attendance.filter(organisation=owner).exists():
        raise ValidationError({"owner": _("Choose an agency attending the meeting.")})
    if due_on < timezone.localdate(item.meeting.held_at):
        raise ValidationError({"due_on": _("The due date must be on or after the meeting.")})
    action = Action.objects.create(
        item=item,
        owner=owner,
        description=description.strip(),
        due_on=due_on,
        created_by=_user(request),
        form_token=token or None,
    )
    audit_event(action=AuditAction.CREATE, request=request, obj=action)
    return action


@transaction.atomic
def action_complete(*, request: HttpRequest | None, action: Action) -> Action:
    action = Action.objects.select_for_update().get(pk=action.pk)
    if action.completed_at is None:
        action.completed_at = timezone.now()
        action.completed_by = _user(request)
        action.save(update_fields=["completed_at", "completed_by"])
        audit_event(action=AuditAction.UPDATE, request=request, obj=action, reason="completed")
    return action


@transaction.atomic
def minutes_record(*, request: HttpRequest | None, meeting: Meeting, minutes: str) -> Meeting:
    """Record the minutes; the cases on the agenda are then heard."""
    if not minutes.strip():
        raise ValidationError({"minutes": _("Enter the minutes.")})
    if meeting.held_at > timezone.now():
        raise ValidationError(_("Minutes are recorded after the meeting."))
    meeting.minutes = minutes.strip()
    meeting.minutes_recorded_at = timezone.now()
    meeting.save(update_fields=["minutes", "minutes_recorded_at"])
    MaracReferral.objects.filter(agenda_items__meeting=meeting).update(status=ReferralStatus.HEARD)
    audit_event(action=AuditAction.UPDATE, request=request, obj=meeting, reason="minutes")
    return meeting


@transaction.atomic
def marac_settings_update(
    *,
    request: HttpRequest | None,
    marac: Organisation,
    max_cases_per_meeting: int,
    access_hours_after_meeting: int,
    repeat_window_months: int,
    idva_service: Organisation | None,
) -> MaracSettings:
    """Change a MARAC's settings. Meetings already released keep the window they were given."""
    if max_cases_per_meeting < 1 or repeat_window_months < 1:
        raise ValidationError(_("The maximum and the repeat window must be at least 1."))
    settings, _created = MaracSettings.objects.update_or_create(
        marac=marac,
        defaults={
            "max_cases_per_meeting": max_cases_per_meeting,
            "access_hours_after_meeting": access_hours_after_meeting,
            "repeat_window_months": repeat_window_months,
            "idva_service": idva_service,
        },
    )
    audit_event(action=AuditAction.UPDATE, request=request, obj=settings, reason="MARAC settings")
    return settings
