"""The hub's triage queue page (`referrals:triage_queue`) at scale: server time and queries.

Population: the benchmark's 200,000 known people (bench/_harness.existing_people, built once
and reused), each with one closed referral (ten years of history: accepted, signposted,
declined or withdrawn; one in ten at another hub), plus 2,000 open referrals at the demo
hub (received or in triage over the last four weeks, a Medway-like risk mix, three in ten
assigned) and 200 open at the other hub. That is 202,200 referrals.

The demo triage worker (with a TOTP authenticator, so the MFA middleware runs) is signed
in with the Django test Client; each request runs the whole middleware stack, the queue
queries, the audit insert for the 50 rows shown and the Jinja2 render. Four pages are
timed in turn: the first page, page 20, "overdue only" and "high risk, mine".

The query count is taken with 20 open referrals (before the rest are created) and again
with 2,000: it must not change. The database's plan for the queue query is printed too.

Environment (optional): SAFEPATH_BENCH_PEOPLE (default 200000), SAFEPATH_BENCH_OPEN
(default 2000). A run on an existing database (`--database current`) adds this population
once, marked (source_ref "bench-tq-…"), and reuses it on later runs.
"""

from __future__ import annotations

import os
import random
import sys
import time
from datetime import timedelta

from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bench._harness import LOGIN_BACKEND, demo_staff, existing_people, summary_ms
from safepath.accounts.models import Organisation
from safepath.core.roles import OrganisationType, Role
from safepath.referrals.models import Referral

TARGET_P95_MS = 150
WARMUP = 5
MARK = "bench-tq-"
OTHER_HUB = "Benchmark other hub (triage queue)"
BATCH = 5_000
FIRST_OPEN = 20
# Medway 2017-18: 714 high, 1,555 medium, 2,458 standard of 4,727.
RISK_WEIGHTS = (("high", 15), ("medium", 33), ("standard", 52))
CLOSED = (("accepted", 55), ("signposted", 15), ("declined", 15), ("withdrawn", 15))


def _choice(rng: random.Random, weighted: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([v for v, _ in weighted], weights=[w for _, w in weighted])[0]


class _Population:
    """Builds the referrals in batches, each row marked so that a later run finds them."""

    def __init__(self, hub: Organisation, other_hub: Organisation, worker_id: int) -> None:
        self.hub, self.other_hub, self.worker_id = hub, other_hub, worker_id
        self.rng = random.Random(7)  # noqa: S311 - synthetic data, not security
        self.now = timezone.now()
        self.serial = 0
        self.rows: list[Referral] = []

    def add(self, person_id: int, *, hub: Organisation, open_: bool) -> None:
        self.serial += 1
        rng = self.rng
        if open_:
            status = "in_triage" if rng.random() < 0.3 else "received"
            received = self.now - timedelta(minutes=rng.randint(0, 28 * 24 * 60))
        else:
            status = _choice(rng, CLOSED)
            received = self.now - timedelta(minutes=rng.randint(29 * 24 * 60, 3650 * 24 * 60))
        risk = _choice(rng, RISK_WEIGHTS)
        self.rows.append(
            Referral(
                reference=f"SB{self.serial:08d}",
                hub=hub,
                channel="import",
                source="police",
                source_ref=f"{MARK}{self.serial}",
                received_at=received,
                person_id=person_id,
                match_status="needs_review" if rng.random() < 0.05 else "new_person",
                risk_level=risk,
                is_marac_case=risk == "high",
                marac_criteria=["visible_high_risk"] if risk == "high" else [],
                is_repeat=risk == "high" and rng.random() < 0.3,
                status=status,
                assigned_to_id=self.worker_id if open_ and rng.random() < 0.3 else None,
            )
        )
        if len(self.rows) >= BATCH:
            self.flush()

    def flush(self) -> None:
        with transaction.atomic():
            Referral.objects.bulk_create(self.rows, batch_size=1_000)
        self.rows = []


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return len(queries)


def _plan(worker: object) -> list[str]:
    """The database's plan for the queue's page query, for reading (indexes)."""
    from safepath.referrals.selectors import QueueFilters, triage_queue, triage_slas

    queryset = triage_queue(worker, QueueFilters(), slas=triage_slas(), today=timezone.localdate())
    return [line for line in queryset[:50].explain().splitlines() if line.strip()][:20]


def run(n: int) -> dict:
    people_count = int(os.environ.get("SAFEPATH_BENCH_PEOPLE", "200000"))
    open_count = int(os.environ.get("SAFEPATH_BENCH_OPEN", "2000"))
    worker = next(s.user for s in demo_staff() if s.role == Role.TRIAGE_WORKER)
    membership = worker.memberships.get(role=Role.TRIAGE_WORKER)
    hub = membership.organisation
    other_hub, _ = Organisation.objects.get_or_create(name=OTHER_HUB, defaults={"type": OrganisationType.HUB})
    client = Client()
    client.force_login(worker, backend=LOGIN_BACKEND)
    url = reverse("referrals:triage_queue")

    start = time.perf_counter()
    _known, ids = existing_people(people_count)
    people_seconds = time.perf_counter() - start
    start = time.perf_counter()
    queries_small = None
    if not Referral.objects.filter(source_ref__startswith=MARK).exists():
        print(f"bench: creating {people_count + open_count + open_count // 10:,} referrals", file=sys.stderr)
        population = _Population(hub, other_hub, worker.pk)
        open_people = random.Random(3).sample(ids, open_count + open_count // 10)  # noqa: S311
        for person_id in open_people[:FIRST_OPEN]:
            population.add(person_id, hub=hub, open_=True)
        population.flush()
        client.get(url)
        queries_small = _queries(client, url)
        for person_id in open_people[FIRST_OPEN:open_count]:
            population.add(person_id, hub=hub, open_=True)
        for person_id in open_people[open_count:]:
            population.add(person_id, hub=other_hub, open_=True)
        for i, person_id in enumerate(ids):
            population.add(person_id, hub=other_hub if i % 10 == 0 else hub, open_=False)
        population.flush()
        if connection.vendor == "postgresql":
            # Production databases have statistics (autovacuum analyses new rows soon after);
            # without them the first timings measure a planner guessing about 200,000 new rows.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE referrals_referral; ANALYZE people_person")
    referrals_seconds = time.perf_counter() - start

    pages = {
        "first_page": url,
        "page_20": f"{url}?page=20",
        "overdue": f"{url}?overdue=on",
        "high_mine": f"{url}?risk_level=high&mine=on",
    }
    results, all_timings, failures = {}, [], 0
    for name, page_url in pages.items():
        for _ in range(WARMUP):
            client.get(page_url)
        queries = _queries(client, page_url)
        timings, statuses = [], {}
        for _ in range(n):
            begin = time.perf_counter()
            response = client.get(page_url)
            timings.append(time.perf_counter() - begin)
            statuses[str(response.status_code)] = statuses.get(str(response.status_code), 0) + 1
        failures += n - statuses.get("200", 0)
        all_timings.extend(timings)
        results[name] = {**summary_ms(timings), "queries_per_request": queries, "status_codes": statuses}
    queries_large = results["first_page"]["queries_per_request"]
    worker.current_membership = membership  # type: ignore[attr-defined]
    overall = summary_ms(all_timings)
    return {
        "existing_people": people_count,
        "referrals": Referral.objects.filter(source_ref__startswith=MARK).count(),
        "open_at_hub": Referral.objects.filter(hub=hub, status__in=["received", "in_triage"]).count(),
        "people_setup_seconds": round(people_seconds, 1),
        "referrals_setup_seconds": round(referrals_seconds, 1),
        "target_p95_ms": TARGET_P95_MS,
        "meets_target": overall["p95_ms"] <= TARGET_P95_MS,
        "overall": overall,
        "failures": failures,
        "pages": results,
        "queries_with_20_open": queries_small,
        "queries_with_all_open": queries_large,
        "queries_constant": None if queries_small is None else queries_small == queries_large,
        "query_plan": _plan(worker),
    }
