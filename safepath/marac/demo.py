"""Demo MARAC records: a year of fortnightly meetings per MARAC area, agendas from the MARAC
referrals the demo's referrals made, research from attending agencies, the victim's voice,
actions (some overdue) and minutes. Every figure comes from these records.

Leicestershire gets two MARAC areas: the city (a MARAC organisation made here, covering Leicester)
and the county (the scenario's MARAC, covering the rest). Runs once, inside the scenario's transaction.
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta
from typing import Any

from django.utils import timezone

from safepath.accounts.models import Organisation
from safepath.areas.models import Area
from safepath.core.roles import OrganisationType
from safepath.marac.choices import ReferralStatus
from safepath.marac.models import Action, AgendaItem, MaracReferral, MaracSettings, Meeting, MeetingAgency, Research
from safepath.marac.services import MaracAreas, marac_referrals_from_referrals

RESEARCH = [
    "Two domestic incidents attended in the last three months; the second involved a weapon.",
    "Known to the service: missed the last two appointments.",
    "Children open to Early Help; school reports the older child is withdrawn.",
    "Joint tenancy; a request for a management move was made last month.",
    "Person causing harm is on licence; the supervising officer has been told of the referral.",
    "Attended the emergency department twice this year with injuries.",
    "Nothing further known beyond the referral.",
]
VOICES = [
    "Wants to stay in her home with the locks changed; frightened he will be released soon.",
    "Wants the children to stay at their school; agrees to a sanctuary scheme assessment.",
    "Does not want police action yet; wants support with money and housing first.",
    "Feels safer since he moved out but the messages have started again.",
]
ACTIONS = [
    "Flag the address for a priority police response.",
    "IDVA to complete a safety plan with the victim.",
    "Housing to assess for a sanctuary scheme.",
    "Children's social care to review the children's plan.",
    "Probation to review licence conditions.",
    "Health visitor to arrange a safe contact.",
]
CHAIRS = ["DI Sam Patel, police", "Jo Harris, community safety", "DCI Lee Wong, police"]
MAX_CASES = 30
POLICE = {"medway": "Kent Police (Medway)", "leicestershire": "Leicestershire Police"}


def demo_load(*, scenario: Any, organisations: dict[str, Organisation], end: datetime) -> None:
    rng = random.Random(582)  # noqa: S311 - made-up demo data
    maracs = _maracs(scenario, organisations)
    police, _ = Organisation.objects.update_or_create(
        name=POLICE.get(scenario.name, "Police"), defaults={"type": OrganisationType.REFERRING_AGENCY}
    )
    hub = organisations["hub"]
    marac_referrals_from_referrals(hub.hub_referrals.filter(is_marac_case=True).only(*_REFERRAL_FIELDS))
    _assign(hub)
    agencies = [organisations["provider"], hub, organisations["referrer"], police]
    for marac in maracs:
        MaracSettings.objects.update_or_create(
            marac=marac, defaults={"max_cases_per_meeting": MAX_CASES, "idva_service": organisations["provider"]}
        )
        _year_of_meetings(rng, marac, [marac, *agencies], end)


_REFERRAL_FIELDS = ("pk", "person_id", "area_id", "received_at", "is_marac_case", "is_repeat", "marac_criteria")


def _maracs(scenario: Any, organisations: dict[str, Organisation]) -> list[Organisation]:
    maracs = [organisations["marac"]]
    city = Area.objects.filter(name="Leicester").first() if scenario.name == "leicestershire" else None
    if city is not None:
        city_marac, _ = Organisation.objects.update_or_create(
            name="Leicester City MARAC", defaults={"type": OrganisationType.MARAC, "is_active": True}
        )
        city_marac.areas.set([city])
        maracs.append(city_marac)
    return maracs


def _assign(hub: Organisation) -> None:
    """MARAC referrals made before a MARAC area existed are heard where they belong now."""
    areas = MaracAreas()
    rows = list(
        MaracReferral.objects.filter(referral__hub=hub)
        .select_related("referral")
        .only("pk", "marac_id", "referral__area_id")
    )
    changed = []
    for row in rows:
        marac_id = areas.marac_for(row.referral.area_id)
        if marac_id != row.marac_id:
            row.marac_id = marac_id
            changed.append(row)
    MaracReferral.objects.bulk_update(changed, ["marac"], batch_size=500)


def _meeting_days(end: datetime) -> list[datetime]:
    """Fortnightly on Tuesdays at 10:00 from a year before `end`, with two meetings to come."""
    local = timezone.localtime(end)
    first = (local - timedelta(days=364)).date()
    first += timedelta(days=(1 - first.weekday()) % 7)
    days = []
    day = first
    while day <= local.date() + timedelta(days=21):
        days.append(timezone.make_aware(datetime.combine(day, time(10, 0))))
        day += timedelta(days=14)
    return days


def _year_of_meetings(rng: random.Random, marac: Organisation, agencies: list[Organisation], end: datetime) -> None:
    if Meeting.objects.filter(marac=marac).exists():
        return
    waiting = list(
        MaracReferral.objects.filter(marac=marac, status=ReferralStatus.PENDING)
        .select_related("referral")
        .only("pk", "is_repeat", "status", "referral__received_at")
        .order_by("referral__received_at")
    )
    days = _meeting_days(end)
    meetings = Meeting.objects.bulk_create(
        [Meeting(marac=marac, held_at=held, chair=rng.choice(CHAIRS)) for held in days]
    )
    MeetingAgency.objects.bulk_create([MeetingAgency(meeting=m, organisation=a) for m in meetings for a in agencies])
    items, listed, heard = [], [], []
    next_up = next((m for m in meetings if m.held_at > end), None)
    for meeting in meetings:
        if meeting.held_at > end and meeting is not next_up:
            continue  # later meetings: the coordinator builds their agendas
        cutoff = meeting.held_at - timedelta(days=7)
        ready = [r for r in waiting if r.referral.received_at < cutoff]
        ready.sort(key=lambda r: (not r.is_repeat, r.referral.received_at))
        chosen = ready[:MAX_CASES]
        chosen_ids = {r.pk for r in chosen}
        waiting = [r for r in waiting if r.pk not in chosen_ids]
        items += [AgendaItem(meeting=meeting, marac_referral=r, position=n) for n, r in enumerate(chosen, start=1)]
        (heard if meeting.held_at <= end else listed).extend(r.pk for r in chosen)
        meeting.agenda_released_at = cutoff
        meeting.access_until = meeting.held_at + timedelta(hours=72)
        if meeting.held_at <= end:
            meeting.minutes = (
                f"{len(chosen)} cases heard. Research shared by every attending agency; actions agreed as recorded."
            )
            meeting.minutes_recorded_at = meeting.held_at + timedelta(hours=4)
    Meeting.objects.bulk_update(meetings, ["agenda_released_at", "access_until", "minutes", "minutes_recorded_at"])
    for item in items:
        item.idva_summary = rng.choice(VOICES)
    AgendaItem.objects.bulk_create(items, batch_size=500)
    MaracReferral.objects.filter(pk__in=heard).update(status=ReferralStatus.HEARD)
    MaracReferral.objects.filter(pk__in=listed).update(status=ReferralStatus.LISTED)
    _research_and_actions(rng, items, agencies[1:], end)


def _research_and_actions(
    rng: random.Random, items: list[AgendaItem], agencies: list[Organisation], end: datetime
) -> None:
    research, actions = [], []
    for item in items:
        held = item.meeting.held_at
        for agency in agencies:
            if rng.random() < 0.8:
                text = rng.choice(RESEARCH)
                research.append(
                    Research(
                        item=item, organisation=agency, text=text, recorded_at=held - timedelta(days=rng.randint(1, 6))
                    )
                )
        if held > end:
            continue
        for _ in range(rng.randint(1, 3)):
            due = timezone.localdate(held) + timedelta(days=rng.randint(7, 28))
            done = due < timezone.localdate(end) and rng.random() < 0.9
            completed = (
                timezone.make_aware(datetime.combine(due - timedelta(days=rng.randint(0, 5)), time(15)))
                if done
                else None
            )
            actions.append(
                Action(
                    item=item,
                    owner=rng.choice(agencies),
                    description=rng.choice(ACTIONS),
                    due_on=due,
                    completed_at=completed,
                )
            )
    Research.objects.bulk_create(research, batch_size=1000)
    Action.objects.bulk_create(actions, batch_size=1000)
