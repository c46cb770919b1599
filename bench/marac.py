"""MARAC at scale: the agenda page and the quarterly dataset over a year of a 200-case-a-month MARAC.

Population (built once, marked by the organisation "Bench MARAC", reused by later runs): an area
of 150,000 adult women covered by the Bench MARAC; 2,400 MARAC referrals over the last 12 months
(200 a month; a third repeats) about the benchmark's known people, each resting on a referral;
fortnightly meetings for the year with agendas (repeats first, oldest next, up to 100 a meeting),
four attending agencies, research from three of them per case and two actions per case.

A coordinator of the Bench MARAC (with a TOTP authenticator, so the MFA middleware runs) is signed
in with the Django test Client. Timed in turn: the agenda page of the largest meeting (targets
p95 ≤ 150 ms), the dataset page for the last 12 months, and the dataset export for every MARAC
area, suppressed as commissioners get it (targets ≤ 1 s).
"""

from __future__ import annotations

import random
import sys
import time
from datetime import datetime, timedelta
from datetime import time as clock

from allauth.mfa.models import Authenticator
from django.db import connection, transaction
from django.db.models import Count
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bench._harness import LOGIN_BACKEND, TOTP_SECRET, existing_people, summary_ms
from safepath.accounts.models import Membership, Organisation, User
from safepath.areas.models import Area, RuralUrbanClass
from safepath.core.roles import OrganisationType, Role
from safepath.marac.models import Action, AgendaItem, MaracReferral, MaracSettings, Meeting, MeetingAgency, Research
from safepath.referrals.models import Referral

AGENDA_TARGET_P95_MS = 150
DATASET_TARGET_MS = 1000
WARMUP = 3
MARK = "Bench MARAC"
PER_MONTH = 200
MAX_CASES = 100
SOURCES = ["police"] * 6 + ["health", "children_social_care", "housing", "gp", "adult_social_care", "probation"]


def _org(name: str, org_type: str) -> Organisation:
    org, _ = Organisation.objects.get_or_create(name=name, defaults={"type": org_type})
    return org


def _coordinator(marac: Organisation) -> User:
    email = "bench-marac-coordinator@bench.safepath.test"
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User(email=email, full_name="Benchmark MARAC coordinator")
        user.set_unusable_password()
        user.save()
        Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": TOTP_SECRET})
    Membership.objects.get_or_create(user=user, organisation=marac, role=Role.MARAC_COORDINATOR)
    return user


def _build(marac: Organisation, area: Area, person_ids: list[int]) -> None:
    rng = random.Random(200)  # noqa: S311 - synthetic data, not security
    hub = Organisation.objects.filter(type=OrganisationType.HUB).first() or _org("Bench hub", OrganisationType.HUB)
    agencies = [
        _org(f"Bench {name}", OrganisationType.REFERRING_AGENCY) for name in ("police", "housing", "health")
    ] + [marac]
    MaracSettings.objects.update_or_create(marac=marac, defaults={"max_cases_per_meeting": MAX_CASES})
    now = timezone.now()
    referrals = []
    for n in range(PER_MONTH * 12):
        referrals.append(
            Referral(
                reference=f"BM-{n:07d}",
                hub=hub,
                channel="import",
                source=rng.choice(SOURCES),
                received_at=now - timedelta(days=365) + timedelta(minutes=rng.randint(0, 365 * 24 * 60)),
                person_id=person_ids[n % len(person_ids)],
                area=area,
                risk_level="high",
                marac_criteria=["visible_high_risk"],
                is_marac_case=True,
                is_repeat=rng.random() < 0.33,
                children_in_household=rng.choice([None, 0, 1, 2, 3]),
            )
        )
    with transaction.atomic():
        Referral.objects.bulk_create(referrals, batch_size=1_000)
        made = [
            MaracReferral(referral=r, marac=marac, source="criteria", criteria=r.marac_criteria, is_repeat=r.is_repeat)
            for r in referrals
        ]
        MaracReferral.objects.bulk_create(made, batch_size=1_000)
    waiting = sorted(zip(made, referrals, strict=True), key=lambda pair: pair[1].received_at)
    day = timezone.localdate(now - timedelta(days=364))
    meetings = []
    while day <= timezone.localdate(now):
        meetings.append(
            Meeting(marac=marac, held_at=timezone.make_aware(datetime.combine(day, clock(10))), chair="Chair")
        )
        day += timedelta(days=14)
    with transaction.atomic():
        Meeting.objects.bulk_create(meetings)
        MeetingAgency.objects.bulk_create(
            [MeetingAgency(meeting=m, organisation=a) for m in meetings for a in agencies]
        )
        items, research, actions = [], [], []
        for meeting in meetings:
            ready = [pair for pair in waiting if pair[1].received_at < meeting.held_at - timedelta(days=7)]
            ready.sort(key=lambda pair: (not pair[0].is_repeat, pair[1].received_at))
            chosen = ready[:MAX_CASES]
            taken = {pair[0].pk for pair in chosen}
            waiting = [pair for pair in waiting if pair[0].pk not in taken]
            items += [
                AgendaItem(meeting=meeting, marac_referral=pair[0], position=i, idva_summary="Wants to stay at home.")
                for i, pair in enumerate(chosen, 1)
            ]
            meeting.agenda_released_at = meeting.held_at - timedelta(days=7)
            meeting.access_until = meeting.held_at + timedelta(hours=72)
        Meeting.objects.bulk_update(meetings, ["agenda_released_at", "access_until"])
        AgendaItem.objects.bulk_create(items, batch_size=1_000)
        for item in items:
            held = item.meeting.held_at
            research += [
                Research(item=item, organisation=a, text="Known: two incidents.", recorded_at=held)
                for a in agencies[:3]
            ]
            actions += [
                Action(
                    item=item,
                    owner=rng.choice(agencies),
                    description="Safety planning.",
                    due_on=timezone.localdate(held) + timedelta(days=14),
                )
                for _ in range(2)
            ]
        Research.objects.bulk_create(research, batch_size=2_000)
        Action.objects.bulk_create(actions, batch_size=2_000)
    with connection.cursor() as cursor:
        cursor.execute(
            "ANALYZE"
            if connection.vendor == "sqlite"
            else "ANALYZE marac_maracreferral, marac_agendaitem, marac_research, marac_action, referrals_referral"
        )


def _time(call: object, n: int, warmup: int = WARMUP) -> list[float]:
    for _ in range(warmup):
        call()  # type: ignore[operator]
    timings = []
    for _ in range(n):
        begin = time.perf_counter()
        call()  # type: ignore[operator]
        timings.append(time.perf_counter() - begin)
    return timings


def _get(client: Client, url: str) -> object:
    def call() -> None:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    return call


def run(n: int) -> dict:
    from safepath.marac.exports import marac_dataset

    area, _ = Area.objects.get_or_create(
        name="Bench MARAC area", defaults={"rural_urban_class": RuralUrbanClass.URBAN_CITY_TOWN, "adult_women": 150_000}
    )
    marac = _org(MARK, OrganisationType.MARAC)
    marac.areas.add(area)
    start = time.perf_counter()
    if not Meeting.objects.filter(marac=marac).exists():
        print("bench: creating a year of a 200-case-a-month MARAC", file=sys.stderr)
        _known, person_ids = existing_people(2_000)
        _build(marac, area, person_ids)
    build_seconds = time.perf_counter() - start
    coordinator = _coordinator(marac)
    client = Client()
    client.force_login(coordinator, backend=LOGIN_BACKEND)
    biggest = (
        Meeting.objects.filter(marac=marac)
        .annotate(n=Count("items"))
        .order_by("-n", "-held_at")
        .values_list("pk", "n")
        .first()
    )
    agenda_url = reverse("marac:meeting", args=[biggest[0]])
    today = timezone.localdate()
    year_ago = today - timedelta(days=365)
    dataset_url = (
        reverse("marac:dataset")
        + f"?start_day={year_ago.day}&start_month={year_ago.month}&start_year={year_ago.year}"
        + f"&end_day={today.day}&end_month={today.month}&end_year={today.year}"
    )
    agenda = summary_ms(_time(_get(client, agenda_url), n))
    dataset_n = max(5, n // 5)
    dataset_page = summary_ms(_time(_get(client, dataset_url), dataset_n))
    export = summary_ms(
        _time(lambda: marac_dataset(date_from=year_ago, date_to=today, area=None, suppress=True), dataset_n, warmup=1)
    )
    cases = MaracReferral.objects.filter(marac=marac).count()
    return {
        "marac_cases": cases,
        "meetings": Meeting.objects.filter(marac=marac).count(),
        "agenda_cases": biggest[1],
        "setup_seconds": round(build_seconds, 1),
        "agenda_page": {**agenda, "target_p95_ms": AGENDA_TARGET_P95_MS},
        "dataset_page": {**dataset_page, "target_ms": DATASET_TARGET_MS},
        "dataset_export_all_areas": {**export, "target_ms": DATASET_TARGET_MS},
        "meets_target": agenda["p95_ms"] <= AGENDA_TARGET_P95_MS
        and dataset_page["p95_ms"] <= DATASET_TARGET_MS
        and export["p95_ms"] <= DATASET_TARGET_MS,
    }
