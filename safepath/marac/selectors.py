"""Reads for MARAC, scoped to the user.

- A coordinator reaches everything of the MARAC their organisation runs.
- A representative reaches a meeting and its cases only while their agency attends it and the
  clock is between the agenda's release and the meeting's `access_until`
  (docs/adr/0010-marac-access-window.md); actions their agency owns stay visible so they can be done.
- Anyone else reaches nothing.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from safepath.accounts.models import Organisation
from safepath.core.roles import OrganisationType, Role
from safepath.marac.choices import ReferralStatus
from safepath.marac.models import Action, AgendaItem, MaracReferral, MaracSettings, Meeting, NationalFigure, Research


def _membership(user: Any) -> Any:
    return getattr(user, "current_membership", None)


def coordinated_marac(user: Any) -> Organisation | None:
    """The MARAC the user coordinates (their organisation), or None."""
    membership = _membership(user)
    if membership and membership.role == Role.MARAC_COORDINATOR:
        return membership.organisation
    return None


def represented_agency(user: Any) -> Organisation | None:
    membership = _membership(user)
    if membership and membership.role == Role.MARAC_REPRESENTATIVE:
        return membership.organisation
    return None


def settings_for(marac: Organisation | int | None) -> MaracSettings:
    """The MARAC's settings, or the defaults when it has none saved."""
    marac_id = marac.pk if isinstance(marac, Organisation) else marac
    found = MaracSettings.objects.filter(marac_id=marac_id).first() if marac_id else None
    return found or MaracSettings(marac_id=marac_id)


def marac_organisations() -> QuerySet[Organisation]:
    """Organisations that run a MARAC: of type MARAC, or with MARAC settings saved."""
    return Organisation.objects.filter(
        Q(type=OrganisationType.MARAC) | Q(marac_settings__isnull=False), is_active=True
    ).distinct()


# --- meetings -----------------------------------------------------------------------------


def meetings_for(user: Any, *, now: datetime | None = None) -> QuerySet[Meeting]:
    marac = coordinated_marac(user)
    if marac is not None:
        return Meeting.objects.filter(marac=marac)
    agency = represented_agency(user)
    if agency is not None:
        now = now or timezone.now()
        return Meeting.objects.filter(
            attendance__organisation=agency, agenda_released_at__lte=now, access_until__gt=now
        ).distinct()
    return Meeting.objects.none()


def upcoming_meetings_attended(user: Any, *, now: datetime | None = None) -> QuerySet[Meeting]:
    """Meetings a representative's agency will attend whose agenda is not released: dates only."""
    agency = represented_agency(user)
    if agency is None:
        return Meeting.objects.none()
    now = now or timezone.now()
    return Meeting.objects.filter(
        attendance__organisation=agency, agenda_released_at__isnull=True, held_at__gt=now
    ).order_by("held_at")


def meeting_list(user: Any) -> QuerySet[Meeting]:
    return meetings_for(user).select_related("marac").annotate(cases=Count("items", distinct=True)).order_by("-held_at")


def meeting_agenda(meeting: Meeting) -> list[AgendaItem]:
    """The agenda with what the page shows of each case: a constant number of queries."""
    return list(
        meeting.items.select_related("marac_referral__referral__person")
        .only(  # the columns the agenda shows: referrals and people are wide rows
            "pk",
            "meeting_id",
            "position",
            "marac_referral__is_repeat",
            "marac_referral__criteria",
            "marac_referral__referral__received_at",
            "marac_referral__referral__person__first_name",
            "marac_referral__referral__person__last_name",
        )
        .annotate(research_count=_count(Research), action_count=_count(Action))
        .order_by("position")
    )


def _count(model: Any) -> Any:
    """How many rows of `model` belong to each agenda item (a subquery: no join fan-out)."""
    rows = model.objects.filter(item_id=OuterRef("pk")).order_by().values("item_id").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def meeting_agencies(meeting: Meeting) -> list[Any]:
    return list(meeting.attendance.select_related("organisation").order_by("organisation__name"))


def items_for(user: Any, *, now: datetime | None = None) -> QuerySet[AgendaItem]:
    return AgendaItem.objects.filter(meeting__in=meetings_for(user, now=now))


def item_research(item: AgendaItem) -> list[Research]:
    return list(item.research.select_related("organisation", "recorded_by"))


def item_actions(item: AgendaItem) -> list[Action]:
    return list(item.actions.select_related("owner"))


def attends(meeting: Meeting, organisation: Organisation | None) -> bool:
    return bool(organisation) and meeting.attendance.filter(organisation=organisation).exists()


# --- MARAC referrals ------------------------------------------------------------------------


def marac_referrals_for(user: Any) -> QuerySet[MaracReferral]:
    marac = coordinated_marac(user)
    if marac is None:
        return MaracReferral.objects.none()
    return MaracReferral.objects.filter(marac=marac)


def marac_referral_list(user: Any, *, status: str = "") -> QuerySet[MaracReferral]:
    rows = marac_referrals_for(user).select_related("referral__person", "referral__area", "referring_agency")
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("-is_repeat", "referral__received_at", "pk")


def pending_for_agenda(marac: Organisation, *, before: datetime) -> QuerySet[MaracReferral]:
    """Waiting referrals received before the meeting: repeats first, then the oldest."""
    return MaracReferral.objects.filter(
        marac=marac, status=ReferralStatus.PENDING, referral__received_at__lt=before
    ).order_by("-is_repeat", "referral__received_at", "pk")


def person_history(marac_referral: MaracReferral) -> dict[str, Any]:
    """A case's MARAC history: every MARAC referral of the person (at this MARAC), every meeting
    it was heard at and every action agreed."""
    person_id = marac_referral.referral.person_id
    referrals = list(
        MaracReferral.objects.filter(marac_id=marac_referral.marac_id, referral__person_id=person_id)
        .select_related("referral", "referring_agency")
        .order_by("referral__received_at")
    )
    items = list(
        AgendaItem.objects.filter(marac_referral__in=referrals).select_related("meeting").order_by("meeting__held_at")
    )
    actions = list(Action.objects.filter(item__in=items).select_related("owner", "item__meeting").order_by("due_on"))
    return {"referrals": referrals, "items": items, "actions": actions}


# --- actions --------------------------------------------------------------------------------


def actions_for(user: Any) -> QuerySet[Action]:
    marac = coordinated_marac(user)
    if marac is not None:
        return Action.objects.filter(item__meeting__marac=marac)
    agency = represented_agency(user)
    if agency is not None:
        return Action.objects.filter(owner=agency)
    return Action.objects.none()


def action_list(user: Any, *, overdue_only: bool = False, today: Any = None) -> QuerySet[Action]:
    rows = actions_for(user).select_related("owner", "item__meeting", "item__marac_referral__referral")
    if overdue_only:
        rows = rows.filter(completed_at__isnull=True, due_on__lt=today or timezone.localdate())
    return rows.order_by("completed_at", "due_on", "pk")


def national_figures() -> dict[str, NationalFigure]:
    return {figure.code: figure for figure in NationalFigure.objects.all()}


def partner_agencies() -> QuerySet[Organisation]:
    """Agencies that can attend a MARAC: those with a MARAC representative."""
    return (
        Organisation.objects.filter(
            is_active=True, memberships__role=Role.MARAC_REPRESENTATIVE, memberships__is_active=True
        )
        .distinct()
        .order_by("name")
    )


def meeting_attending_agencies(meeting: Meeting) -> QuerySet[Organisation]:
    return Organisation.objects.filter(pk__in=meeting.attendance.values("organisation_id")).order_by("name")
