"""Case work at scale: the caseload, team and case pages with 100,000 cases and 1,000,000 contacts.

Population (built once, marked by case reference "BC…", reused by later runs): the benchmark's
known people (bench/_harness.existing_people), 100,000 cases at the demo provider — one in five
open, spread over 250 synthetic workers, 80 open ones held by the demo caseworker (an IDVA's
caseload at the top of its benchmark) — and 1,000,000 contacts (ten a case on average; the case
timed below has 60). Each case has its opening status row.

The demo caseworker and team manager (each with a TOTP authenticator, so the MFA middleware
runs) are signed in with the Django test Client; every request runs the whole middleware
stack, the scoped queries, the audit insert and the Jinja2 render. Timed in turn: the
caseworker's caseload, the manager's team view, a case's overview and its contacts.

The query count of each page is printed; constant-query assertions are in the test suite.
Environment (optional): SAFEPATH_BENCH_CASES (default 100000), SAFEPATH_BENCH_CONTACTS
(default 1000000).
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
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from bench._harness import LOGIN_BACKEND, demo_staff, existing_people, summary_ms
from safepath.accounts.models import Membership, User
from safepath.cases.models import Case, CaseStatusChange
from safepath.core.roles import Role
from safepath.referrals.models import Pathway

TARGET_P95_MS = 150
WARMUP = 5
MARK = "BC"
WORKERS = 250
DEMO_OPEN = 80
TIMED_CONTACTS = 60
BATCH = 10_000
RISKS = (("high", 15), ("medium", 33), ("standard", 52))
CLOSURES = ("support_complete", "risk_reduced", "disengaged", "moved_away", "declined")


def _choice(rng: random.Random, weighted: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([v for v, _ in weighted], weights=[w for _, w in weighted])[0]


def _workers(provider_id: int) -> list[int]:
    ids = []
    for i in range(WORKERS):
        email = f"bench-worker-{i}@bench.safepath.test"
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User(email=email, full_name=f"Benchmark worker {i}")
            user.set_unusable_password()
            user.save()
        Membership.objects.get_or_create(user=user, organisation_id=provider_id, role=Role.CASEWORKER)
        ids.append(user.pk)
    return ids


def _build(provider_id: int, lead_id: int, person_ids: list[int], cases: int, contacts: int) -> int:
    """Create the population; returns the id of the case whose pages are timed."""
    from safepath.casework.models import Contact

    rng = random.Random(11)  # noqa: S311 - synthetic data, not security
    now = timezone.now()
    workers = _workers(provider_id)
    pathways = list(Pathway.objects.filter(code__in=["idva", "outreach", "children"]).values_list("pk", flat=True))
    rows: list[Case] = []
    for n in range(cases):
        opened = now - timedelta(days=rng.randint(1, 1800))
        open_ = n < DEMO_OPEN or rng.random() < 0.2
        worker = lead_id if n < DEMO_OPEN else rng.choice(workers)
        rows.append(
            Case(
                reference=f"{MARK}{n:08d}",
                person_id=person_ids[n % len(person_ids)],
                pathway_id=pathways[0] if n < DEMO_OPEN else rng.choice(pathways),
                provider_id=provider_id,
                key_worker_id=worker,
                status=rng.choice(["allocated", "active", "active", "active", "stepping_down"]) if open_ else "closed",
                closure_reason="" if open_ else rng.choice(CLOSURES),
                risk_level=_choice(rng, RISKS),
                opened_at=opened,
                waiting_since=opened,
                allocated_at=opened + timedelta(days=3),
                closed_at=None if open_ else opened + timedelta(days=rng.randint(30, 300)),
                last_contact_at=opened + timedelta(days=rng.randint(3, 30)),
                next_action_on=(now + timedelta(days=rng.randint(-10, 30))).date() if open_ else None,
                review_due_on=(now + timedelta(days=rng.randint(-20, 90))).date() if open_ else None,
                support_ends_on=(opened + timedelta(days=365)).date(),
            )
        )
        if len(rows) >= BATCH:
            with transaction.atomic():
                Case.objects.bulk_create(rows, batch_size=2_000)
            rows = []
    with transaction.atomic():
        Case.objects.bulk_create(rows, batch_size=2_000)
    case_rows = list(Case.objects.filter(reference__startswith=MARK).order_by("pk").values_list("pk", "opened_at"))
    timed = case_rows[0][0]
    with transaction.atomic():
        CaseStatusChange.objects.bulk_create(
            [CaseStatusChange(case_id=pk, from_status="", to_status="waiting", at=at) for pk, at in case_rows],
            batch_size=BATCH,
        )
    print(f"bench: creating {contacts:,} contacts", file=sys.stderr)
    made = 0
    batch: list[Contact] = []
    others = [pk for pk, _ in case_rows[1:]]
    while made < contacts:
        case_id = timed if made < TIMED_CONTACTS else rng.choice(others)
        at = now - timedelta(minutes=rng.randint(0, 1800 * 24 * 60))
        batch.append(
            Contact(
                case_id=case_id,
                contact_type="support_session",
                mode=rng.choice(["phone", "phone", "face_to_face", "text", "video"]),
                made=rng.random() < 0.8,
                at=at,
                duration_minutes=rng.randint(5, 90),
                by_id=lead_id if case_id == timed else rng.choice(workers),
                recorded_at=at,
            )
        )
        made += 1
        if len(batch) >= BATCH:
            with transaction.atomic():
                Contact.objects.bulk_create(batch)
            batch = []
    with transaction.atomic():
        Contact.objects.bulk_create(batch)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE cases_case; ANALYZE casework_contact; ANALYZE cases_casestatuschange")
    return timed


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries)


def _time(client: Client, url: str, n: int) -> tuple[list[float], dict[str, int]]:
    for _ in range(WARMUP):
        client.get(url)
    timings, statuses = [], {}
    for _ in range(n):
        begin = time.perf_counter()
        response = client.get(url)
        timings.append(time.perf_counter() - begin)
        statuses[str(response.status_code)] = statuses.get(str(response.status_code), 0) + 1
    return timings, statuses


def run(n: int) -> dict:
    from safepath.casework.models import Contact

    cases = int(os.environ.get("SAFEPATH_BENCH_CASES", "100000"))
    contacts = int(os.environ.get("SAFEPATH_BENCH_CONTACTS", "1000000"))
    staff = {s.role: s.user for s in demo_staff()}
    worker, manager = staff[Role.CASEWORKER], staff[Role.TEAM_MANAGER]
    provider_id = worker.memberships.get(role=Role.CASEWORKER).organisation_id

    start = time.perf_counter()
    _known, person_ids = existing_people(min(cases, 200_000))
    people_seconds = time.perf_counter() - start
    start = time.perf_counter()
    timed = Case.objects.filter(reference=f"{MARK}{0:08d}").values_list("pk", flat=True).first()
    if timed is None:
        print(f"bench: creating {cases:,} cases", file=sys.stderr)
        timed = _build(provider_id, worker.pk, person_ids, cases, contacts)
    build_seconds = time.perf_counter() - start

    worker_client, manager_client = Client(), Client()
    worker_client.force_login(worker, backend=LOGIN_BACKEND)
    manager_client.force_login(manager, backend=LOGIN_BACKEND)
    pages = {
        "caseload": (worker_client, "cases:caseload", []),
        "team": (manager_client, "cases:team", []),
        "case_overview": (worker_client, "cases:detail", [timed]),
        "case_contacts": (worker_client, "casework:contacts", [timed]),
    }
    results, all_timings, failures = {}, [], 0
    for name, (client, url_name, args) in pages.items():
        try:
            url = reverse(url_name, args=args)
        except NoReverseMatch:
            results[name] = {"skipped": f"{url_name} is not installed"}
            continue
        queries = _queries(client, url)
        timings, statuses = _time(client, url, n)
        failures += n - statuses.get("200", 0)
        all_timings.extend(timings)
        results[name] = {**summary_ms(timings), "queries_per_request": queries, "status_codes": statuses}
    overall = summary_ms(all_timings)
    return {
        "cases": Case.objects.filter(reference__startswith=MARK).count(),
        "open_cases": Case.objects.filter(reference__startswith=MARK).open().count(),
        "contacts": Contact.objects.count(),
        "demo_caseworker_open_cases": Case.objects.filter(key_worker=worker).open().count(),
        "people_setup_seconds": round(people_seconds, 1),
        "cases_setup_seconds": round(build_seconds, 1),
        "target_p95_ms": TARGET_P95_MS,
        "meets_target": overall["p95_ms"] <= TARGET_P95_MS,
        "overall": overall,
        "failures": failures,
        "pages": results,
    }
