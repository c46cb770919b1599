"""Group programmes, volunteers and perpetrator interventions, as programmes.services would
record them: bulk-inserted rows, minus audit rows.

- The Freedom Programme runs at the provider delivering the group-programme pathway: a new
  group every three weeks, alternating a daytime and an evening venue, weekly sessions
  (cohort_create). Each person on the pathway takes a place in the next group with room
  (enrolment_add); attendance is marked at each session held (attendance_record: a session
  attended counts as a face-to-face contact; completion at the programme's number of sessions).
- People on the volunteer pathway are assigned a volunteer (volunteer_assign) who records
  sessions with them (volunteer_session_record: face to face and phone count as contacts).
  The demo's volunteer account takes some of the people still being supported.
- Interventions for people causing harm are bought from the provider delivering the
  perpetrator pathway, when the scenario has one, from a few IDVA cases where the referral named
  the person causing harm (perpetrator_order_create, then the provider's perpetrator_order_update).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils import timezone

from safepath.accounts.models import User
from safepath.cases.choices import OPEN_STATUSES as OPEN
from safepath.cases.models import VolunteerAssignment
from safepath.core.roles import Role
from safepath.demo.timing import LONDON, working
from safepath.programmes.choices import PERPETRATOR_PATHWAY, EnrolmentStatus, OrderStatus
from safepath.programmes.models import (
    Attendance,
    Cohort,
    Enrolment,
    PerpetratorOrder,
    PerpetratorOrderChange,
    Programme,
    ProgrammeSession,
    VolunteerSession,
)
from safepath.programmes.services import session_refusal

if TYPE_CHECKING:
    from safepath.demo.cases import Episode, World

FREEDOM = "Freedom Programme"
FREEDOM_DESCRIPTION = (
    "A rolling group for women who have experienced domestic abuse: how abusers think and act, "
    "the effects on children, and rebuilding confidence. Eleven weekly sessions."
)
SESSIONS, TO_COMPLETE, CAPACITY, EVERY_DAYS = 11, 8, 14, 21
GROUP_TIMES = [("Tuesday mornings", 1, time(10, 0), "Community hall, town centre"),
               ("Thursday evenings", 3, time(18, 30), "Family hub, east side")]
VOLUNTEER_NAMES = ["Pat Greene", "Sunita Rao", "Tom Fielding", "Wendy Ashe"]
DEMO_VOLUNTEER_PEOPLE = 8
DEMO_VOLUNTEER_AT_LEAST = 3  # topped up from people on other pathways when the volunteer pathway has too few
SESSION_NOTES = [
    "Coffee in town; talked about the week ahead.",
    "Went with them to the GP appointment.",
    "Helped fill in the housing form.",
    "A walk in the park; they seemed brighter.",
    "Phone catch-up; nothing new to pass on.",
]
BEFRIENDED = ("volunteer", "outreach", "health-advocacy")
ORDER_SHARE = 0.1  # of engaged IDVA cases naming the person causing harm, where a provider exists
ORDER_UNITS = [("one group session", Decimal("95.00"), 24), ("one-to-one session", Decimal("120.00"), 12)]
PERPETRATOR_STAFF = ["Ade Okoro", "Lisa Marsh"]


# --- the Freedom Programme ---------------------------------------------------------------------


@dataclass
class Group:
    cohort: Cohort
    sessions: list[ProgrammeSession]
    facilitators: list[User]
    taken: int = 0


class Groups:
    """The groups each provider runs, made as they are first needed."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.groups: dict[int, list[Group]] = {}

    def at(self, episode: Episode) -> list[Group]:
        provider_id = episode.case.provider_id
        if provider_id not in self.groups:
            self.groups[provider_id] = self._schedule(episode)
        return self.groups[provider_id]

    def _schedule(self, episode: Episode) -> list[Group]:
        world = self.world
        programme, _ = Programme.objects.get_or_create(
            provider_id=episode.case.provider_id, name=FREEDOM,
            defaults={"description": FREEDOM_DESCRIPTION, "pathway": episode.case.pathway,
                      "sessions_planned": SESSIONS, "sessions_to_complete": TO_COMPLETE},
        )
        staffing = world.staffing(episode.case.provider_id, episode.case.pathway)
        starts = world.today - timedelta(days=380)
        groups, n = [], 0
        while starts <= world.today + timedelta(days=28):
            name, weekday, at, venue = GROUP_TIMES[n % len(GROUP_TIMES)]
            day = starts + timedelta(days=(weekday - starts.weekday()) % 7)
            cohort = Cohort(programme=programme, name=f"{name}, from {day:%-d %B %Y}", starts_on=day, venue=venue,
                            capacity=CAPACITY, created_by=world.manager(episode.case.provider_id))
            times = [datetime.combine(day + timedelta(days=7 * i), at, tzinfo=LONDON) for i in range(SESSIONS)]
            sessions = [ProgrammeSession(cohort=cohort, number=i, starts_at=t) for i, t in enumerate(times, start=1)]
            groups.append(Group(cohort, sessions, staffing.workers[:2]))
            world.rows.add(cohort)
            for session in sessions:
                world.rows.add(session)
            for user in staffing.workers[:2]:
                world.rows.insert(Cohort.facilitators.through, cohort=cohort, user=user)
            starts += timedelta(days=EVERY_DAYS)
            n += 1
        return groups


def group_support(world: World, episode: Episode, first: datetime) -> tuple[datetime | None, str]:
    """A place in the next group with room, attendance at each session held; the case closes a
    week or two after the group ends (or after the person stops coming). Returns when the case
    closes (None: not known yet) and why."""
    rng = world.rng
    enrolled_at = working(rng, first + timedelta(days=rng.randint(0, 5)))
    if enrolled_at >= world.end:
        return None, "support_complete"
    group = next(
        (g for g in world.groups.at(episode) if g.sessions[0].starts_at > enrolled_at and g.taken < g.cohort.capacity),
        None,
    )
    if group is None:
        return None, "support_complete"
    group.taken += 1
    enrolment = world.rows.add(
        Enrolment(cohort=group.cohort, case=episode.case, enrolled_at=enrolled_at, enrolled_by=episode.case.key_worker)
    )
    keen = rng.choice([0.95] * 11 + [0.8] * 6 + [0.5] * 3)
    stops_after = rng.randint(1, 4) if rng.random() < 0.15 else SESSIONS
    attended = 0
    last_seen = enrolled_at
    for session in group.sessions[:stops_after]:
        if session.starts_at > world.end:
            return None, "support_complete"
        came = rng.random() < keen
        marked = min(session.starts_at + timedelta(hours=2), world.end)
        world.rows.insert(Attendance, session=session, enrolment=enrolment, attended=came, recorded_at=marked,
                          recorded_by=group.facilitators[0] if group.facilitators else None)
        if came:
            attended += 1
            last_seen = session.starts_at
            episode.touch(session.starts_at, "face_to_face", True)
            if attended == TO_COMPLETE:
                enrolment.status, enrolment.completed_at = EnrolmentStatus.COMPLETED, marked  # type: ignore[attr-defined]
    if stops_after < SESSIONS:
        withdrawn = working(rng, last_seen + timedelta(days=rng.randint(14, 21)))
        if withdrawn >= world.end:
            return None, "disengaged"
        enrolment.status, enrolment.withdrawn_at, enrolment.completed_at = EnrolmentStatus.WITHDRAWN, withdrawn, None  # type: ignore[attr-defined]
        return working(rng, withdrawn + timedelta(days=rng.randint(1, 7))), "disengaged"
    ends = working(rng, group.sessions[-1].starts_at + timedelta(days=rng.randint(3, 14)))
    return ends, "support_complete" if attended >= TO_COMPLETE else "disengaged"


# --- volunteers and perpetrator interventions ------------------------------------------------------


@dataclass
class Volunteers:
    """Each provider's volunteers: its own (the demo's account among them) and a few synthetic ones."""

    world: World
    at_provider: dict[int, list[User]] = field(default_factory=dict)
    demo_people: int = 0

    def of(self, provider_id: int) -> list[User]:
        if provider_id not in self.at_provider:
            from safepath.demo.cases import staff_user

            provider = self.world.organisations[provider_id]
            own = list(
                User.objects.filter(
                    memberships__organisation_id=provider_id, memberships__role=Role.VOLUNTEER,
                    memberships__is_active=True, is_active=True,
                ).order_by("-is_demo", "pk")
            )
            synthetic = [staff_user(name, provider, Role.VOLUNTEER) for name in VOLUNTEER_NAMES]
            self.at_provider[provider_id] = own + [u for u in synthetic if u not in own]
        return self.at_provider[provider_id]

    def choose(self, provider_id: int, still_supported: bool) -> User:
        volunteers = self.of(provider_id)
        demo = [v for v in volunteers if v.is_demo]
        if demo and still_supported and self.demo_people < DEMO_VOLUNTEER_PEOPLE:
            self.demo_people += 1
            return demo[0]
        return self.world.rng.choice([v for v in volunteers if not v.is_demo] or volunteers)

    def top_up(self) -> None:
        """A small scenario may leave the demo's volunteer with nobody to see: give them a few
        people still supported on the pathways volunteers also befriend alongside."""
        world = self.world
        for provider_id in world.organisations:
            demo = User.objects.filter(
                is_demo=True, is_active=True, memberships__organisation_id=provider_id,
                memberships__role=Role.VOLUNTEER, memberships__is_active=True,
            ).first()
            if demo is None or self.demo_people >= DEMO_VOLUNTEER_AT_LEAST:
                continue
            candidates = [
                e for e in reversed(world.episodes)
                if e.case.provider_id == provider_id and e.case.status in OPEN and e.first is not None
                and e.first < world.end - timedelta(days=14) and e.code in BEFRIENDED and not e.volunteered
            ]
            for episode in candidates[: DEMO_VOLUNTEER_AT_LEAST - self.demo_people]:
                self.demo_people += 1
                _assign(world, episode, demo, max(episode.first, world.end - timedelta(days=42)), None)
                episode.finish()


def support(world: World, episode: Episode, first: datetime, closes: datetime | None) -> None:
    if episode.code == "volunteer":
        _volunteer(world, episode, first, closes)
    if episode.code == "idva" and episode.facts.perpetrator_id:
        world.orders.maybe_order(episode, first, closes)


def _volunteer(world: World, episode: Episode, first: datetime, closes: datetime | None) -> None:
    rng = world.rng
    started = working(rng, first + timedelta(days=rng.randint(3, 14)))
    if started < episode.until(closes):
        _assign(world, episode, world.volunteers.choose(episode.case.provider_id, closes is None), started, closes)


def _assign(world: World, episode: Episode, volunteer: User, started: datetime, closes: datetime | None) -> None:
    """The assignment (by the key worker) and the volunteer's sessions until support ends."""
    rng, case = world.rng, episode.case
    until = episode.until(closes)
    episode.volunteered = True
    assignment = world.rows.add(
        VolunteerAssignment(case=case, volunteer=volunteer, started_on=timezone.localdate(started),
                            ended_on=timezone.localdate(closes) if closes else None, assigned_by=case.key_worker)
    )
    safe = world.safe.of(case.person_id, started)
    at = working(rng, started + timedelta(days=rng.randint(2, 7)))
    while at < until:
        mode = rng.choices(["face_to_face", "phone", "other"], weights=[70, 20, 10])[0]
        mode = "face_to_face" if session_refusal(safe, mode) else mode
        world.rows.insert(
            VolunteerSession, assignment=assignment, at=at, minutes=rng.choice([45, 60, 60, 90, 120]), mode=mode,
            note=rng.choice(SESSION_NOTES), recorded_by=volunteer,
            recorded_at=min(at + timedelta(hours=rng.randint(1, 20)), world.end),
        )
        if mode in ("face_to_face", "phone"):
            episode.touch(at, mode, True)
        at = working(rng, at + timedelta(days=rng.randint(6, 12)))


class Orders:
    """Spot purchases from the scenario's perpetrator-intervention provider, if it has one."""

    def __init__(self, world: World) -> None:
        self.world = world
        pathway = world.pathways.get(PERPETRATOR_PATHWAY)
        delivering = world.delivering.get(pathway.pk, []) if pathway else []
        self.provider_id: int | None = delivering[0] if delivering else None
        self._staff: list[User] | None = None

    def staff(self) -> list[User]:
        if self._staff is None:
            from safepath.demo.cases import staff_user

            provider = self.world.organisations[self.provider_id]  # type: ignore[index]
            self._staff = [staff_user(name, provider, Role.CASEWORKER) for name in PERPETRATOR_STAFF]
        return self._staff

    def maybe_order(self, episode: Episode, first: datetime, closes: datetime | None) -> None:
        world, rng = self.world, self.world.rng
        if self.provider_id is None or rng.random() >= ORDER_SHARE:
            return
        ordered = working(rng, first + timedelta(days=rng.randint(14, 60)))
        if ordered >= episode.until(closes):
            return
        unit, cost, units = rng.choice(ORDER_UNITS)
        order = world.rows.add(
            PerpetratorOrder(
                person_id=episode.facts.perpetrator_id, victim_case=episode.case, provider_id=self.provider_id,
                ordering_organisation_id=episode.case.provider_id, ordered_by=episode.case.key_worker,
                ordered_on=timezone.localdate(ordered), unit_description=unit, unit_cost=cost, units=units,
                created_at=ordered,
            )
        )
        self._progress(order, ordered)

    def _progress(self, order: PerpetratorOrder, ordered: datetime) -> None:
        """Requested → accepted or declined → in progress → completed or ended early, each dated."""
        rng, end = self.world.rng, self.world.end
        staff = rng.choice(self.staff())
        changes = [("", OrderStatus.REQUESTED, "", ordered, order.ordered_by)]
        decided = working(rng, ordered + timedelta(days=rng.randint(2, 10)))
        if decided < end:
            changes.append((OrderStatus.REQUESTED, OrderStatus.DECLINED if rng.random() < 0.1 else OrderStatus.ACCEPTED,
                            "", decided, staff))
        started = working(rng, decided + timedelta(days=rng.randint(7, 21)))
        if changes[-1][1] == OrderStatus.ACCEPTED and started < end:
            changes.append((OrderStatus.ACCEPTED, OrderStatus.IN_PROGRESS, "", started, staff))
            order.starts_on = timezone.localdate(started)
            finished = self._finish(order, started)
            if finished is not None:
                changes.append(finished)
        for from_status, to_status, outcome, at, by in changes:
            self.world.rows.insert(PerpetratorOrderChange, order=order, from_status=from_status, to_status=to_status,
                                   outcome=outcome, at=at, by=by)
        order.status, order.version = changes[-1][1], len(changes)

    def _finish(self, order: PerpetratorOrder, started: datetime) -> tuple | None:
        rng = self.world.rng
        weeks = order.units if rng.random() < 0.75 else rng.randint(2, max(2, order.units // 2))
        finished = working(rng, started + timedelta(weeks=weeks))
        if finished >= self.world.end:
            return None
        order.ends_on = max(timezone.localdate(finished), order.starts_on or date.min)
        if weeks == order.units:
            status, outcome = OrderStatus.COMPLETED, rng.choice(["completed"] * 3 + ["partially_completed"])
        else:
            status, outcome = OrderStatus.ENDED_EARLY, rng.choice(["did_not_engage", "did_not_engage", "removed_for_risk"])
        order.outcome = outcome
        return (OrderStatus.IN_PROGRESS, status, outcome, finished, rng.choice(self.staff()))
