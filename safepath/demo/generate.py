"""Synthetic referrals for a demo scenario, generated person by person.

Every figure a screen shows is computed from these records; nothing here writes a
total. Deterministic for a given seed.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone
from faker import Faker

from safepath.accounts.models import Organisation
from safepath.areas.models import Area
from safepath.demo.rows import set_values
from safepath.people.matching import Identity
from safepath.people.synthetic import variant
from safepath.programmes.choices import PERPETRATOR_PATHWAY
from safepath.referrals.choices import AbuseType, Source, Status
from safepath.referrals.importing.batch import BatchImporter, Good
from safepath.referrals.models import Pathway, Referral, ReferralStatusChange, WorkItem
from safepath.referrals.services import Incoming

LONDON = ZoneInfo("Europe/London")

# Shares of referrals by source (police-led, as in most areas).
SOURCES = [
    (Source.POLICE, 52),
    (Source.VICTIM_SUPPORT, 8),
    (Source.SELF, 8),
    (Source.HEALTH, 4),
    (Source.GP, 4),
    (Source.HOSPITAL, 4),
    (Source.CHILDREN_SOCIAL_CARE, 7),
    (Source.ADULT_SOCIAL_CARE, 3),
    (Source.HOUSING, 4),
    (Source.EDUCATION, 2),
    (Source.PROBATION, 2),
    (Source.OTHER_AGENCY, 2),
]
# More referrals in summer and around Christmas and New Year.
MONTH_WEIGHT = {1: 1.1, 2: 0.9, 3: 0.95, 4: 0.95, 5: 1.0, 6: 1.05, 7: 1.1, 8: 1.1, 9: 0.95, 10: 0.95, 11: 0.95, 12: 1.1}


# Dash scores and the other high-risk routes, calibrated so the risk rules give Medway's
# 2017-18 shares (714 high, 1,555 medium, 2,458 standard of 4,727): about 10.5% score 14+,
# professional judgement adds 1%, three or more police call-outs about 2.6% of all referrals,
# and police re-referrals of the same person a little more.
def _dash_score(rng: random.Random) -> int | None:
    roll = rng.random()
    if roll < 0.08:
        return None
    if roll < 0.185:
        return rng.randint(14, 22)
    if roll < 0.54:
        return rng.randint(10, 13)
    return rng.randint(0, 9)


@dataclass(frozen=True)
class Mix:
    """Who is referred, by whom and where to: what differs between scenarios (demo.scenarios)."""

    male_share: float = 0.12
    age_bands: Sequence[tuple[int, int, int]] = ((16, 75, 1),)
    children_weights: Sequence[int] = (45, 25, 20, 10)
    risk_assessed: bool = True  # referrers complete the Dash checklist
    sources: Sequence[tuple[str, int]] = tuple(SOURCES)
    main_pathway: str = ""  # every accepted referral goes here, when set


def _date_of_birth(rng: random.Random, on: datetime, age_bands: Sequence[tuple[int, int, int]]) -> date:
    """A date of birth giving an age in one of the bands on the day of the referral."""
    youngest, oldest, _ = rng.choices(age_bands, weights=[w for _, _, w in age_bands])[0]
    age_days = rng.randint(int(youngest * 365.25) + 2, int((oldest + 1) * 365.25) - 2)
    return (on - timedelta(days=age_days)).date()


def _received(rng: random.Random, start: datetime, days: int) -> datetime:
    while True:
        day = start + timedelta(days=rng.randrange(days))
        if rng.random() < MONTH_WEIGHT[day.month] / 1.1 and (day.weekday() < 5 or rng.random() < 0.35):
            break
    minute = int(rng.triangular(8 * 60, 18 * 60, 11 * 60))
    return datetime.combine(day.date(), time(minute // 60, minute % 60), tzinfo=LONDON)


def _incoming(
    rng: random.Random,
    fake: Faker,
    identity: Identity,
    received: datetime,
    area: Area | None,
    female: bool,
    mix: Mix,
) -> Incoming:
    source = rng.choices([s for s, _ in mix.sources], weights=[w for _, w in mix.sources])[0]
    police = source == Source.POLICE and mix.risk_assessed
    return Incoming(
        channel="self" if source == Source.SELF else "import",
        source=source,
        source_ref=f"{source[:3].upper()}-{rng.randrange(10**8):08d}" if source != Source.SELF else "",
        received_at=received,
        first_name=identity.first_name,
        last_name=identity.last_name,
        date_of_birth=identity.date_of_birth,
        sex="female" if female else "male",
        postcode=identity.postcode,
        area=area,
        dash_score=_dash_score(rng) if mix.risk_assessed else None,
        professional_judgement_high=rng.random() < 0.01 if mix.risk_assessed else None,
        police_callouts_12m=rng.choices([0, 1, 2, 3, 4], weights=[60, 25, 10, 3, 2])[0] if police else None,
        children_in_household=rng.choices([0, 1, 2, 3], weights=mix.children_weights)[0],
        abuse_types=rng.sample([a.value for a in AbuseType], k=rng.randint(1, 3)),
        accommodation_needed=rng.random() < 0.07,
        consent=rng.choices(["yes", "no", "not_asked"], weights=[70, 10, 20])[0],
        relationship=rng.choice(["intimate_partner", "ex_partner", "ex_partner", "family_member"]),
        perpetrator={"first_name": fake.first_name_male(), "last_name": identity.last_name}
        if rng.random() < 0.6
        else None,
    )


# Services reach rural people less than town people (distance, isolation, fewer agencies to refer):
# the coverage gap Dorset's members asked about.
RURAL_REACH = 0.75


def _postcode(rng: random.Random, areas: list[Area]) -> tuple[str, Area | None]:
    """Where a new person lives: areas in proportion to their adult population, rural ones reached less."""
    weights = [
        max(a.adult_population, 1) * (RURAL_REACH if a.rural_urban_class.startswith("rural") else 1.0) for a in areas
    ]
    area = rng.choices(areas, weights=weights)[0] if areas else None
    district = rng.choice(area.district_list()) if area and area.district_list() else "ME1"
    return (
        f"{district} {rng.randint(1, 9)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}",
        area,
    )


def generate_referrals(
    *,
    hub: Organisation,
    provider: Organisation,
    count: int,
    seed: int = 2017,
    end: datetime | None = None,
    providers_by_pathway: dict[str, Sequence[Organisation]] | None = None,
    mix: Mix | None = None,
) -> int:
    """Create `count` referrals over the year before `end`; returns how many were created.
    Each pathway is delivered by `providers_by_pathway[code]` (work shared between them), or by
    `provider` (the perpetrator pathway only when named: interventions for people causing harm
    are bought from a specialist).

    Each referral is received through referrals.services.referral_receive (matching, risk rules,
    MARAC flags). The triage outcome that follows is bulk-written, a batch at a time, as the
    triage services would write it: a status row dated when it happened, the referral's status
    and, for an accepted referral, its accepted work items."""
    mix = mix or Mix()
    rng = random.Random(seed)
    fake = Faker("en_GB")
    fake.seed_instance(seed)
    areas = [
        a
        for a in Area.objects.filter(is_active=True, parent__isnull=False, organisations__isnull=True)
        if a.district_list()
    ]
    areas = areas or [a for a in Area.objects.filter(is_active=True) if a.district_list()]
    end = end or timezone.now().astimezone(LONDON)
    start = end - timedelta(days=365)
    pathways = {p.code: p for p in Pathway.objects.all()}
    chosen = providers_by_pathway or {}
    delivering = {
        code: list(chosen.get(code, [provider])) for code in pathways if code != PERPETRATOR_PATHWAY or code in chosen
    }
    for code, organisations in delivering.items():
        pathways[code].providers.add(*organisations)
    known: list[tuple[Identity, Area | None, bool]] = []
    known_marac: list[tuple[Identity, Area | None, bool]] = []
    received_times = sorted(_received(rng, start, 365) for _ in range(count))
    triage = _Triage(pathways, delivering, mix.main_pathway)
    importer = _Importer(hub=hub)
    pending: list[tuple[Good, tuple[Identity, Area | None, bool]]] = []

    def receive() -> None:
        """Receive the pending referrals as the bulk import does (matching, rules, MARAC flags),
        then decide their triage."""
        importer.import_chunk([good for good, _who in pending])
        who = {good.key: person for good, person in pending}
        for referral in importer.take():
            if referral.is_marac_case:
                known_marac.append(who[(referral.source, referral.source_ref)])
            triage.decide(rng, referral, end)
        triage.flush()
        pending.clear()

    with transaction.atomic():
        for line, received in enumerate(received_times, start=1):
            if known and rng.random() < 0.2:  # a re-referral, recorded with the usual errors
                # High-risk victims are the most often re-referred: about a third of MARAC
                # cases are repeats nationally (DOMAIN.md), 34% in Medway.
                pool = known_marac if known_marac and rng.random() < REPEAT_FROM_MARAC else known
                identity, area, female = rng.choice(pool)
                identity = variant(
                    rng,
                    fake,
                    identity,
                    rng.choice(["exact", "exact", "typo_first", "nickname", "dob_swap", "postcode_spacing", "no_dob"]),
                )
            else:
                postcode, area = _postcode(rng, areas)
                female = rng.random() >= mix.male_share
                identity = Identity(
                    fake.first_name_female() if female else fake.first_name_male(),
                    fake.last_name(),
                    _date_of_birth(rng, received, mix.age_bands),
                    postcode,
                )
                known.append((identity, area, female))
            incoming = _incoming(rng, fake, replace(identity), received, area, female, mix)
            if not incoming.source_ref:  # the import tells rows apart by reference; cleared below
                incoming.source_ref = f"{SELF_REF}{line}"
            pending.append((Good(line=line, incoming=incoming, original={}), (identity, area, female)))
            if len(pending) >= BATCH:
                receive()
        if pending:
            receive()
        Referral.objects.filter(hub=hub, source_ref__startswith=SELF_REF).update(source_ref="")
        _date_received_rows(hub)
    return count


class _Importer(BatchImporter):
    """The bulk import, keeping the referrals each chunk creates for the triage that follows."""

    def __init__(self, *, hub: Organisation) -> None:
        super().__init__(hub=hub)
        self._created: list[Referral] = []

    def _count(self, chunk: Any) -> None:
        super()._count(chunk)
        self._created += chunk.referrals

    def take(self) -> list[Referral]:
        created, self._created = self._created, []
        return created


SELF_REF = "demo-self-"
BATCH = 500
# The share of re-referrals that are of a person already referred to MARAC.
REPEAT_FROM_MARAC = 0.3


class _Triage:
    """Triage outcomes waiting to be written, a batch at a time."""

    def __init__(self, pathways: dict[str, Pathway], delivering: dict[str, list[Organisation]], main: str) -> None:
        self.pathways = pathways
        self.delivering = delivering
        self.main = main
        self.referrals: list[Referral] = []
        self.changes: list[tuple[ReferralStatusChange, datetime]] = []
        self.items: list[tuple[WorkItem, datetime]] = []

    def __len__(self) -> int:
        return len(self.referrals)

    def decide(self, rng: random.Random, referral: Referral, end: datetime) -> None:
        self.referrals.append(referral)
        age = end - referral.received_at
        if age < timedelta(days=10) and rng.random() < 0.8:
            if rng.random() < 0.4:
                self._move(referral, Status.IN_TRIAGE, referral.received_at + timedelta(hours=2))
            return
        when = min(referral.received_at + timedelta(hours=rng.randint(2, 60)), end)
        roll = rng.random()
        if roll < 0.72:
            for code in [self.main] if self.main else _pathways(rng, referral):
                item = WorkItem(
                    referral=referral,
                    pathway=self.pathways[code],
                    provider=rng.choice(self.delivering[code]),
                    status=WorkItem.Status.ACCEPTED,
                    decided_at=min(when + timedelta(hours=rng.randint(1, 30)), end),
                )
                self.items.append((item, when - timedelta(minutes=rng.randint(1, 30))))
            self._move(referral, Status.ACCEPTED, when)
        elif roll < 0.82:
            self._move(referral, Status.SIGNPOSTED, when, note="Signposted to national helpline")
        elif roll < 0.9:
            self._move(
                referral,
                Status.DECLINED,
                when,
                reason_code=rng.choice(["no_capacity", "out_of_area", "declined_support"]),
            )
        else:
            self._move(referral, Status.WITHDRAWN, when, note="No safe contact possible after three attempts")

    def _move(self, referral: Referral, status: str, at: datetime, reason_code: str = "", note: str = "") -> None:
        change = ReferralStatusChange(
            referral=referral, from_status=referral.status, to_status=status, reason_code=reason_code, note=note
        )
        self.changes.append((change, at))
        referral.status = status

    def flush(self) -> None:
        """Write the batch. Dates the service stamps with the current time (`auto_now_add`) are
        set afterwards to when things happened."""
        if not self.referrals:
            return
        WorkItem.objects.bulk_create([item for item, _at in self.items])
        ReferralStatusChange.objects.bulk_create([change for change, _at in self.changes])
        set_values(ReferralStatusChange, "at", [(change.pk, at) for change, at in self.changes])
        set_values(WorkItem, "created_at", [(item.pk, at) for item, at in self.items])
        set_values(Referral, "status", [(r.pk, r.status) for r in self.referrals if r.status != Status.RECEIVED])
        self.referrals, self.changes, self.items = [], [], []


def _date_received_rows(hub: Organisation) -> None:
    """The "received" status row referral_receive writes is stamped now: date it when the referral came."""
    # Read the pairs with one join and write them back in batches: as one correlated
    # UPDATE … IN (subquery), PostgreSQL without statistics planned minutes of nested scans.
    rows = ReferralStatusChange.objects.filter(
        referral__hub=hub, from_status="", to_status=Status.RECEIVED
    ).values_list("pk", "referral__received_at")
    set_values(ReferralStatusChange, "at", list(rows))


def _pathways(rng: random.Random, referral: Referral) -> list[str]:
    """The main pathway by risk, and the others a triage worker would add."""
    codes = ["idva" if referral.risk_level == "high" else "outreach"]
    if referral.children_in_household and rng.random() < 0.35:
        codes.append("children")
    if referral.accommodation_needed:
        codes.append("safe-accommodation")
    if referral.risk_level != "high" and rng.random() < 0.14:  # Medway: about 250 Freedom Programme attendees a year
        codes.append("group-programme")
    if rng.random() < 0.05:
        codes.append(rng.choice(["health-advocacy", "volunteer"]))
    return codes
