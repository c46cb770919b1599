"""Synthetic case work for a demo scenario: every accepted work item becomes a case, carried
person by person through a year of support, so waiting lists, caseloads, engagement,
re-referral flags, outcomes and spend are computed from records, never written as totals.

How the rows are written (speed: the medway scenario must load in under a minute):

- The case itself is simulated in memory by `Episode`, which applies exactly the rules of
  cases.services (case_open's re-referral window and fast track, _allocate's support period,
  case_change_status's TRANSITIONS, closure reasons and step-down date, case_contact_recorded's
  first contact, engagement rule and allocated → active move, review_record's risk level and
  review date, the version bump of each). The resulting Case rows and their immutable status
  history are bulk-inserted with the casework, outcome and programme rows that hang off them
  (demo.casework, demo.outcomes, demo.programmes), each as its service would write it.
- Risk assessments at a risk review go through risk.services.assessment_record (the score,
  level and MARAC criteria are the risk rules'); the review and handover rows around them are
  bulk-inserted as cases.services_reviews would write them (demo.reviews).
- Nothing is audited: audit rows record what people did in safepath, and nobody did this.

Deterministic for a given seed (case references aside, which are random as in the service).
Staff are synthetic accounts that cannot sign in (no password, no MFA); the demo's own
accounts take part: the caseworker holds a full IDVA caseload, the team manager allocates and
decides handovers, the volunteer supports a few people.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from safepath.accounts.models import Membership, Organisation, User
from safepath.cases.choices import TRANSITIONS, CaseStatus, ReReferralPriority
from safepath.cases.models import Case, CaseStatusChange, PathwaySettings, Team
from safepath.cases.selectors import WORKER_ROLES
from safepath.cases.selectors_reviews import pathway_ranks
from safepath.cases.services import add_months, engages, new_case_reference
from safepath.core.roles import Role
from safepath.demo import casework, outcomes, programmes, reviews
from safepath.demo.rows import Rows
from safepath.demo.timing import working
from safepath.people.models import Person
from safepath.referrals.models import Pathway, WorkItem

# Median days on the waiting list by risk level, and how long support lasts (days).
WAIT_DAYS = {"high": 1, "medium": 9, "standard": 21}
SUPPORT_DAYS = {"high": (60, 240), "medium": (30, 150), "standard": (14, 90)}
PATHWAY_SUPPORT_DAYS = {"health-advocacy": (30, 120), "safe-accommodation": (60, 240), "children": (45, 150)}
CLOSURE_REASONS = [
    ("support_complete", 42), ("risk_reduced", 25), ("disengaged", 15), ("moved_away", 6),
    ("transferred", 2), ("declined", 8), ("died", 1),
]
# Share of cases never reached after allocation (contact attempts fail).
NEVER_REACHED = {"high": 0.11, "medium": 0.18, "standard": 0.22}
# How many people each pathway's team has, and who they are.
TEAM_NAMES = {
    "idva": "IDVA team", "outreach": "Outreach team", "safe-accommodation": "Refuge and safe accommodation team",
    "children": "Children and young people's team", "group-programme": "Groups team", "volunteer": "Volunteer team",
    "health-advocacy": "Health advocacy team",
}
TEAM_SIZE = {"idva": 5, "outreach": 8, "children": 5, "safe-accommodation": 3}
STAFF_NAMES = [
    "Aisha Rahman", "Beth Lloyd", "Ciaran Doyle", "Dami Ogunleye", "Elin Parry", "Farah Siddiqui",
    "Grace Whitmore", "Hannah Kowalski", "Imani Clarke", "Jade Fenwick", "Kerry Walsh", "Leah Morrison",
    "Maya Chauhan", "Niamh Byrne", "Olivia Mensah", "Poppy Sinclair", "Rachel Tran", "Sofia Marques",
    "Tasha Reid", "Uma Patel", "Vicky Holt", "Wren Adebayo", "Yasmin Akhtar", "Zoe Carrick",
    "Abi Turner", "Bex Hollis", "Carys Jenkins", "Dee Nwosu", "Ellie Shah", "Fran Ward",
]
MANAGER_NAMES = ["Nadia Haq", "Owen Pritchard", "Rosa Bianchi", "Sian Evans"]
# The demo caseworker's caseload: the IDVA benchmark is 60-80 open cases.
LEAD_CASELOAD = 70


@dataclass(frozen=True)
class Facts:
    """What of the referral (or the case handed over) the case work needs."""

    person: Person
    risk: str
    abuse_types: frozenset[str] = frozenset()
    children: int = 0
    perpetrator_id: int | None = None


@dataclass
class Staffing:
    team: Team
    workers: list[User]


def staff_user(name: str, provider: Organisation, role: str) -> User:
    email = f"{name.lower().replace(' ', '.')}.{provider.pk}@staff.safepath.test"
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User(email=email, full_name=name)
        user.set_unusable_password()
        user.save()
    Membership.objects.get_or_create(user=user, organisation=provider, role=role)
    return user


class World:
    """Everything the simulation reads once (configuration, staff) and what it has made so far."""

    def __init__(self, *, rng: random.Random, end: datetime, providers: list[Organisation], lead: User | None) -> None:
        self.rng, self.end, self.providers, self.lead = rng, end, providers, lead
        self.today = timezone.localdate(end)
        self.rows = Rows()
        self.pathways = {p.code: p for p in Pathway.objects.all()}
        self.settings = {s.pathway_id: s for s in PathwaySettings.objects.all()}
        for pathway in self.pathways.values():
            self.settings.setdefault(pathway.pk, PathwaySettings.objects.get_or_create(pathway=pathway)[0])
        self.ranks = pathway_ranks()
        through = Pathway.providers.through.objects.filter(organisation__in=providers).order_by("organisation_id")
        self.delivering: dict[int, list[int]] = defaultdict(list)
        for pathway_id, organisation_id in through.values_list("pathway_id", "organisation_id"):
            self.delivering[pathway_id].append(organisation_id)
        self.organisations = {p.pk: p for p in providers}
        self.workers_at: set[tuple[int, int]] = set(
            Membership.objects.filter(
                organisation__in=providers, role__in=WORKER_ROLES, is_active=True, user__is_active=True
            ).values_list("user_id", "organisation_id")
        )
        self._staffing: dict[tuple[int, int], Staffing] = {}
        self._managers: dict[int, User] = {}
        self._names = list(STAFF_NAMES)
        self.closed: dict[tuple[int, int], list[Case]] = defaultdict(list)  # (person, pathway) → closed cases
        self.open_handovers: dict[tuple[int, int, int], list[Episode]] = defaultdict(list)
        self.referred: set[tuple[int, int, int]] = set()  # (person, pathway, provider) of every work item
        self.lead_spans: list[tuple[datetime, datetime | None]] = []
        self.references: set[str] = set()
        self.episodes: list[Episode] = []
        self.questions = outcomes.Questions()
        self.groups = programmes.Groups(self)
        self.volunteers = programmes.Volunteers(self)
        self.orders = programmes.Orders(self)
        self.risk = reviews.Reviews(self)
        self.safe = casework.SafeContacts(self)

    def load_closed_cases(self, person_ids: set[int]) -> None:
        """These people's cases closed before this run (a re-referral can follow one)."""
        closed = Case.objects.filter(status=CaseStatus.CLOSED, person_id__in=person_ids).select_related("team")
        for case in closed:
            self.closed[(case.person_id, case.pathway_id)].append(case)

    # --- staff ---------------------------------------------------------------------------

    def manager(self, provider_id: int) -> User:
        """Who allocates and closes at the provider: its team manager (the demo's own when it works there)."""
        if provider_id not in self._managers:
            found = (
                User.objects.filter(
                    memberships__organisation_id=provider_id, memberships__role=Role.TEAM_MANAGER,
                    memberships__is_active=True, is_active=True,
                )
                .order_by("-is_demo", "pk")
                .first()
            )
            if found is None:
                name = MANAGER_NAMES[len(self._managers) % len(MANAGER_NAMES)]
                found = staff_user(name, self.organisations[provider_id], Role.TEAM_MANAGER)
                self.workers_at.add((found.pk, provider_id))
            self._managers[provider_id] = found
        return self._managers[provider_id]

    def staffing(self, provider_id: int, pathway: Pathway) -> Staffing:
        key = (provider_id, pathway.pk)
        if key not in self._staffing:
            provider = self.organisations[provider_id]
            size = TEAM_SIZE.get(pathway.code, 2)
            names = [self._names.pop(0) for _ in range(min(size, len(self._names)))] or STAFF_NAMES[:size]
            team, _ = Team.objects.get_or_create(organisation=provider, name=TEAM_NAMES.get(pathway.code, pathway.name))
            workers = [staff_user(name, provider, Role.CASEWORKER) for name in names]
            self.workers_at.update((w.pk, provider_id) for w in workers)
            if self.lead is not None and pathway.code == "idva" and (self.lead.pk, provider_id) in self.workers_at:
                workers.append(self.lead)
            team.members.add(*workers)
            self._staffing[key] = Staffing(team, workers)
        return self._staffing[key]

    def choose_worker(self, staffing: Staffing, at: datetime) -> User:
        """Anyone in the team; the demo caseworker takes half the new cases while under a full caseload."""
        lead = self.lead if self.lead in staffing.workers else None
        others = [w for w in staffing.workers if w != lead] or staffing.workers
        if lead is not None and self._lead_open(at) < LEAD_CASELOAD and self.rng.random() < 0.5:
            return lead
        return self.rng.choice(others)

    def _lead_open(self, at: datetime) -> int:
        return sum(1 for start, stop in self.lead_spans if start <= at and (stop is None or stop > at))

    def provider_for(self, pathway: Pathway, near: int) -> int | None:
        """The provider delivering `pathway`: `near` when it does, else the first that does."""
        delivering = self.delivering.get(pathway.pk, [])
        return near if near in delivering else (delivering[0] if delivering else None)

    def new_reference(self) -> str:
        while (reference := new_case_reference()) in self.references:
            continue
        self.references.add(reference)
        return reference

    # --- re-referrals --------------------------------------------------------------------

    def previous_closed(self, person_id: int, pathway: Pathway, at: datetime) -> Case | None:
        """cases.services.previous_closed_case, over the cases made so far."""
        window = self.settings[pathway.pk].rereferral_window_months
        if window <= 0:
            return None
        since = add_months(timezone.localdate(at), -window)
        found = [
            c for c in self.closed[(person_id, pathway.pk)]
            if c.closed_at is not None and c.closed_at <= at and timezone.localdate(c.closed_at) >= since
        ]
        return max(found, key=lambda c: (c.closed_at, c.opened_at), default=None)


@dataclass
class Episode:
    """One case as the case services would carry it: call the steps in time order."""

    world: World
    case: Case
    facts: Facts
    depth: int = 0
    touches: list[tuple[datetime, str, bool]] = field(default_factory=list)
    plans: list = field(default_factory=list)  # casework.Plan, oldest first
    tasks: list = field(default_factory=list)  # Task rows (values)
    first: datetime | None = None  # the first successful contact
    lead_span: int | None = None  # index in world.lead_spans while the demo caseworker holds the case
    volunteered: bool = False  # a volunteer supports the person
    previous: Case | None = None  # the closed case a re-referral follows (linked once both are saved)

    @property
    def settings(self) -> PathwaySettings:
        return self.world.settings[self.case.pathway_id]

    @property
    def code(self) -> str:
        return self.case.pathway.code

    def until(self, closes: datetime | None) -> datetime:
        return min(closes, self.world.end) if closes is not None else self.world.end

    def _change(self, from_status: str, to_status: str, at: datetime, by: User | None, reason: str = "",
                note: str = "") -> None:
        self.world.rows.insert(
            CaseStatusChange, case=self.case, from_status=from_status, to_status=to_status, at=at, by=by,
            reason_code=reason, note=note,
        )

    def opened(self, at: datetime, *, reason: str = "", note: str = "") -> None:
        self._change("", CaseStatus.WAITING, at, None, reason, note)

    def allocate(self, worker: User, team: Team | None, at: datetime, by: User | None, reason: str = "") -> None:
        """cases.services._allocate and _start_support_period."""
        case = self.case
        from_status = case.status
        case.key_worker, case.team = worker, team
        case.status, case.closed_at, case.closure_reason = CaseStatus.ALLOCATED, None, ""
        today = timezone.localdate(at)
        if case.support_ends_on is None or case.support_ends_on < today:
            case.allocated_at = at
            case.support_ends_on = add_months(today, self.settings.support_months)
            case.step_down_planned_at = None
        elif case.allocated_at is None:
            case.allocated_at = at
        case.version += 1
        self._change(from_status, case.status, at, by, reason)
        if worker == self.world.lead:
            self.lead_span = len(self.world.lead_spans)
            self.world.lead_spans.append((at, None))

    def touch(self, at: datetime, mode: str, made: bool) -> None:
        """A contact (or a session that counts as one): applied in time order by `_play`."""
        self.touches.append((at, mode, made))

    def _play(self, until: datetime | None = None) -> None:
        """cases.services.case_contact_recorded for every contact up to `until`, in time order."""
        self.touches.sort(key=lambda t: t[0])
        case, rule = self.case, self.settings.engagement_rule
        while self.touches and (until is None or self.touches[0][0] <= until):
            at, mode, made = self.touches.pop(0)
            if made and (case.last_contact_at is None or at > case.last_contact_at):
                case.last_contact_at = at
            if made and (case.first_contact_at is None or at < case.first_contact_at):
                case.first_contact_at = at
            if engages(rule, mode=mode, made=made) and (case.engaged_at is None or at < case.engaged_at):
                case.engaged_at = at
            if made and case.status == CaseStatus.ALLOCATED:
                case.status = CaseStatus.ACTIVE
                case.version += 1
                self._change(CaseStatus.ALLOCATED, CaseStatus.ACTIVE, at, None, "first_contact")

    def move(self, to_status: str, at: datetime, by: User | None, reason: str = "", note: str = "") -> None:
        """cases.services.case_change_status (closing needs a reason; stepping down is dated)."""
        self._play(at)
        case = self.case
        assert to_status in TRANSITIONS[case.status], (case.status, to_status)
        if to_status == CaseStatus.CLOSED:
            assert reason, "closing needs a reason"
            case.closed_at, case.closure_reason = at, reason
        if to_status == CaseStatus.STEPPING_DOWN:
            case.step_down_planned_at = at
        from_status, case.status = case.status, to_status
        case.version += 1
        self._change(from_status, to_status, at, by, reason, note)
        if to_status == CaseStatus.CLOSED:
            self.world.closed[(case.person_id, case.pathway_id)].append(case)

    def reviewed(self, level: str, review_due_on: date) -> None:
        """cases.services_reviews.review_record's effect on the case row (reviews come in time order)."""
        self.case.risk_level = level
        self.case.version += 1
        self.case.review_due_on = review_due_on

    def finish(self) -> None:
        self._play()
        case = self.case
        case.next_action_on = casework.next_action_due(self)
        if self.lead_span is not None:
            start, _stop = self.world.lead_spans[self.lead_span]
            self.world.lead_spans[self.lead_span] = (start, case.closed_at)


# --- opening and carrying one case ----------------------------------------------------------


def open_case(
    world: World, *, facts: Facts, pathway: Pathway, provider_id: int, at: datetime, work_item: WorkItem | None = None,
    handover: bool = False, depth: int = 0,
) -> Episode:
    """cases.services.case_open, then the case's life until the end of the scenario."""
    person_id = facts.person.merged_into_id or facts.person.pk
    previous = None if handover else world.previous_closed(person_id, pathway, at)
    case = Case(
        reference=world.new_reference(), person_id=person_id, pathway=pathway, provider_id=provider_id,
        referral=work_item.referral if work_item else None, work_item=work_item, is_rereferral=previous is not None, risk_level=facts.risk, opened_at=at, waiting_since=at,
    )
    episode = Episode(world, case, facts, depth=depth, previous=previous)
    world.episodes.append(episode)
    episode.opened(at, reason="rereferral" if previous else "", note="Warm handover accepted." if handover else "")
    if handover:
        world.open_handovers[(person_id, pathway.pk, provider_id)].append(episode)
    _live(world, episode, previous, handover=handover)
    episode.finish()
    return episode


def _allocation(world: World, episode: Episode, previous: Case | None, handover: bool) -> datetime | None:
    """When the case leaves the waiting list (None: it is still waiting); fast-tracked
    re-referrals go straight back to their previous key worker."""
    case, rng = episode.case, world.rng
    if (
        previous is not None
        and episode.settings.rereferral_priority == ReReferralPriority.SKIP_WAITING_LIST
        and previous.provider_id == case.provider_id
        and (previous.key_worker_id, case.provider_id) in world.workers_at
    ):
        team = previous.team if previous.team is not None and previous.team.is_active else None
        episode.allocate(previous.key_worker, team, case.opened_at, None, "rereferral_fast_track")  # type: ignore[arg-type]
        return case.opened_at
    if previous is not None or handover:  # top of the list, or a warm handover the team expects
        days = rng.uniform(0, 3)
    else:
        days = rng.expovariate(1 / WAIT_DAYS[case.risk_level])
    allocated = working(rng, case.opened_at + timedelta(days=days, hours=rng.randint(1, 8)))
    if allocated >= world.end:
        return None
    staffing = world.staffing(case.provider_id, case.pathway)
    worker = world.choose_worker(staffing, allocated)
    episode.allocate(worker, staffing.team, allocated, world.manager(case.provider_id))
    return allocated


def _live(world: World, episode: Episode, previous: Case | None, *, handover: bool) -> None:
    rng, case = world.rng, episode.case
    allocated = _allocation(world, episode, previous, handover)
    if allocated is None:
        return
    if rng.random() < NEVER_REACHED[case.risk_level] and not handover:
        _never_reached(world, episode, allocated)
        return
    first = working(rng, allocated + timedelta(hours=rng.randint(3, 96)))
    if first >= world.end:
        return
    episode.first = first
    if episode.code == "group-programme":
        closes, reason = programmes.group_support(world, episode, first)
    else:
        low, high = _support_days(episode, case.risk_level)
        closes = working(rng, first + timedelta(days=rng.randint(low, high)))
        reason = rng.choices([r for r, _ in CLOSURE_REASONS], weights=[w for _, w in CLOSURE_REASONS])[0]
    ending = reviews.review_and_hand_over(world, episode, first, closes, reason)
    casework.contacts(world, episode, first, ending.closes)
    casework.records(world, episode, first, ending.closes)
    outcomes.record(world, episode, first, ending.closes, ending.reason)
    programmes.support(world, episode, first, ending.closes)
    ending.apply(episode)


# Pathways whose support lasts as long as the risk does; any pathway a scenario adds runs
# to its configured support period instead (most people complete it, then step down).
RISK_LED = ("idva", "outreach", "volunteer", "perpetrator")


def _support_days(episode: Episode, risk: str) -> tuple[int, int]:
    if episode.code in PATHWAY_SUPPORT_DAYS:
        return PATHWAY_SUPPORT_DAYS[episode.code]
    if episode.code in RISK_LED:
        return SUPPORT_DAYS[risk]
    period = episode.settings.support_months * 30
    return period * 2 // 3, period + 14


def _never_reached(world: World, episode: Episode, allocated: datetime) -> None:
    """A few attempts by safe channels, then closed as disengaged."""
    rng = world.rng
    closes = working(rng, allocated + timedelta(days=rng.randint(21, 42)))
    casework.attempts(world, episode, allocated, min(closes, world.end))
    if closes < world.end:
        episode.move(CaseStatus.CLOSED, closes, world.manager(episode.case.provider_id), "disengaged")


# --- the whole run ---------------------------------------------------------------------------


def generate_cases(
    *, providers: list[Organisation], end: datetime, seed: int = 2017, lead_worker: User | None = None
) -> int:
    """Open and carry a case for every accepted work item at `providers` that has none; returns
    how many work items were taken. `lead_worker` (the demo caseworker) joins the IDVA team and
    holds a full caseload."""
    rng = random.Random(seed)
    items = list(
        WorkItem.objects.filter(provider__in=providers, status=WorkItem.Status.ACCEPTED, case__isnull=True)
        .select_related("referral", "referral__person", "pathway")
        .order_by("referral__received_at", "pk")
    )
    if not items:
        return 0
    with transaction.atomic():
        world = World(rng=rng, end=end, providers=providers, lead=lead_worker)
        for item in items:
            person = item.referral.person
            world.referred.add((person.merged_into_id or person.pk, item.pathway_id, item.provider_id))
        world.load_closed_cases({person_id for person_id, _pathway, _provider in world.referred})
        for item in items:
            referral = item.referral
            opened = item.decided_at or referral.received_at + timedelta(hours=rng.randint(4, 72))
            if opened >= end:
                continue
            facts = Facts(
                person=referral.person,
                risk=referral.risk_level,
                abuse_types=frozenset(referral.abuse_types or ()),
                children=referral.children_in_household or 0,
                perpetrator_id=referral.perpetrator_id,
            )
            open_case(world, facts=facts, pathway=item.pathway, provider_id=item.provider_id, at=opened, work_item=item)
        world.volunteers.top_up()
        world.rows.write(world)
    return len(items)


def open_case_count(providers: list[Organisation]) -> int:
    return Case.objects.filter(provider__in=providers).open().count()
