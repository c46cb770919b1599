"""Commissioner reporting at county scale: a year's report for a county with 10,000 referrals a
year and 10 years of history, and the dashboard page.

Population (built once, marked by referral reference "BRP…", reused by later runs): a county
area with four districts, 30,000 people, 100,000 referrals over the ten years before today
(10,000 a year, spread over the districts, 15% high risk of which most are MARAC cases, one in
five a re-referral of someone already known), and an IDVA or outreach case for a third of them
(first contact within a fortnight, most engaged, older ones closed).

Timed: `build_report` + `to_json` (exactly what `safepath report --format json --area COUNTY`
does) for the last complete year, `SAFEPATH_BENCH_REPORTS` times (default 10); the demo
commissioner's dashboard (last quarter, their own areas: a closed period, so cached after the
first request), `n` requests; and the same dashboard for the current quarter so far (never
cached: figures, charts and page computed every time), n / 5 requests. Environment (optional):
SAFEPATH_BENCH_REFERRALS_PER_YEAR (default 10000), SAFEPATH_BENCH_YEARS (default 10).
"""

from __future__ import annotations

import os
import random
import sys
import time
from datetime import date, timedelta

from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bench._harness import LOGIN_BACKEND, demo_staff, summary_ms
from safepath.accounts.models import Organisation
from safepath.areas.models import Area, RuralUrbanClass
from safepath.cases.models import Case
from safepath.core.roles import OrganisationType, Role
from safepath.people.models import Person
from safepath.referrals.models import Pathway, Referral
from safepath.reporting.metrics.scope import Scope
from safepath.reporting.periods import Period, quarter_of
from safepath.reporting.report import build_report, to_json

MARK = "BRP"
COUNTY = "Benchmark County"
TARGET_REPORT_S = 2.0
TARGET_DASHBOARD_P95_MS = 500
BATCH = 10_000
SOURCES = ("police",) * 6 + ("health", "gp", "self", "children_social_care", "housing", "victim_support")


def _areas() -> list[int]:
    county, _ = Area.objects.update_or_create(
        name=COUNTY, defaults={"rural_urban_class": RuralUrbanClass.RURAL_TOWN_FRINGE, "adult_women": 0, "adult_men": 0}
    )
    ids = []
    for i in range(4):
        district, _ = Area.objects.update_or_create(
            name=f"{COUNTY} district {i + 1}",
            defaults={
                "parent": county,
                "rural_urban_class": RuralUrbanClass.URBAN_CITY_TOWN,
                "adult_women": 60_000,
                "adult_men": 57_000,
            },
        )
        ids.append(district.pk)
    return ids


def _build(per_year: int, years: int) -> None:
    rng = random.Random(5)  # noqa: S311 - synthetic data, not security
    districts = _areas()
    hub = Organisation.objects.filter(type=OrganisationType.HUB).first()
    provider = Organisation.objects.filter(type=OrganisationType.PROVIDER).first()
    pathways = dict(Pathway.objects.filter(code__in=["idva", "outreach"]).values_list("code", "pk"))
    n_people = per_year * years * 3 // 10
    with transaction.atomic():
        Person.objects.bulk_create(
            [
                Person(
                    first_name="Bench",
                    last_name=f"{MARK}{i}",
                    address=MARK,
                    sex=rng.choice(["female"] * 8 + ["male"] * 2),
                    date_of_birth=date(1950, 1, 1) + timedelta(days=rng.randrange(365 * 55)),
                )
                for i in range(n_people)
            ],
            batch_size=5_000,
        )
    people = list(Person.objects.filter(address=MARK).values_list("pk", flat=True))
    now = timezone.now()
    total = per_year * years
    rows: list[Referral] = []
    for n in range(total):
        received = now - timedelta(minutes=rng.randrange(years * 365 * 24 * 60))
        risk = rng.choices(["standard", "medium", "high"], weights=[52, 33, 15])[0]
        marac = risk == "high" and rng.random() < 0.9
        rows.append(
            Referral(
                reference=f"{MARK}{n:09d}",
                hub=hub,
                channel="import",
                source=rng.choice(SOURCES),
                received_at=received,
                person_id=rng.choice(people),
                area_id=rng.choice(districts),
                risk_level=risk,
                is_marac_case=marac,
                is_repeat=marac and rng.random() < 0.3,
                children_in_household=rng.choice([None, 0, 0, 1, 2, 3]),
            )
        )
        if len(rows) >= BATCH:
            _save(rows)
            rows = []
    _save(rows)
    cases: list[Case] = []
    for n, (pk, person, received, risk) in enumerate(
        Referral.objects.filter(reference__startswith=MARK).values_list("pk", "person", "received_at", "risk_level")
    ):
        if n % 3:
            continue
        opened = received + timedelta(days=1)
        first = opened + timedelta(hours=rng.randrange(1, 14 * 24)) if rng.random() < 0.9 else None
        closed = opened + timedelta(days=rng.randrange(30, 365))
        is_closed = closed < now
        cases.append(
            Case(
                reference=f"{MARK}{n:09d}",
                person_id=person,
                pathway_id=pathways["idva" if risk == "high" else "outreach"],
                provider=provider,
                referral_id=pk,
                status="closed" if is_closed else "active",
                closure_reason="support_complete" if is_closed else "",
                risk_level=risk,
                opened_at=opened,
                waiting_since=opened,
                allocated_at=opened,
                first_contact_at=first,
                engaged_at=first if first and rng.random() < 0.85 else None,
                closed_at=closed if is_closed else None,
            )
        )
        if len(cases) >= BATCH:
            _save(cases)
            cases = []
    _save(cases)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE referrals_referral; ANALYZE cases_case; ANALYZE people_person")


def _save(rows: list) -> None:
    if rows:
        with transaction.atomic():
            type(rows[0]).objects.bulk_create(rows, batch_size=2_000)


def _last_complete_year() -> Period:
    """The twelve complete calendar months before this one."""
    this_month = timezone.localdate().replace(day=1)
    return Period(this_month.replace(year=this_month.year - 1), this_month - timedelta(days=1))


def run(n: int) -> dict:
    per_year = int(os.environ.get("SAFEPATH_BENCH_REFERRALS_PER_YEAR", "10000"))
    years = int(os.environ.get("SAFEPATH_BENCH_YEARS", "10"))
    start = time.perf_counter()
    if not Referral.objects.filter(reference__startswith=MARK).exists():
        print(f"bench: creating {per_year * years:,} referrals", file=sys.stderr)
        _build(per_year, years)
    build_seconds = time.perf_counter() - start

    county = Area.objects.get(name=COUNTY)
    period = _last_complete_year()
    scope = Scope.for_areas(period, [county.pk])
    with CaptureQueriesContext(connection) as queries:
        out = to_json(build_report(scope, area=county.name))
    report_queries = len(queries)
    timings = []
    for _ in range(int(os.environ.get("SAFEPATH_BENCH_REPORTS", "10"))):
        begin = time.perf_counter()
        to_json(build_report(scope, area=county.name))
        timings.append(time.perf_counter() - begin)

    staff = {s.role: s.user for s in demo_staff()}
    client = Client()
    client.force_login(staff[Role.COMMISSIONER], backend=LOGIN_BACKEND)
    url = reverse("reporting:dashboard")
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    page_queries = len(queries)
    page_timings, statuses = [], {}
    for _ in range(n):
        begin = time.perf_counter()
        response = client.get(url)
        page_timings.append(time.perf_counter() - begin)
        statuses[str(response.status_code)] = statuses.get(str(response.status_code), 0) + 1
    # The current quarter so far is never cached (its figures still change): every request computes.
    today = timezone.localdate()
    quarter = quarter_of(today)
    live = url + (
        f"?from_day=1&from_month={quarter.first.month}&from_year={quarter.first.year}"
        f"&to_day={today.day}&to_month={today.month}&to_year={today.year}"
    )
    live_timings = []
    for _ in range(max(5, n // 5)):
        begin = time.perf_counter()
        assert client.get(live).status_code == 200
        live_timings.append(time.perf_counter() - begin)
    report = summary_ms(timings)
    page = summary_ms(page_timings)
    return {
        "referrals": Referral.objects.filter(reference__startswith=MARK).count(),
        "cases": Case.objects.filter(reference__startswith=MARK).count(),
        "setup_seconds": round(build_seconds, 1),
        "period": [period.first.isoformat(), period.last.isoformat()],
        "county_referrals_in_year": out["referrals"]["total"],
        "report": {
            **report,
            "queries": report_queries,
            "target_s": TARGET_REPORT_S,
            "meets_target": report["max_ms"] <= TARGET_REPORT_S * 1000,
        },
        "dashboard_current_quarter_uncached": summary_ms(live_timings),
        "dashboard": {
            **page,
            "cached_closed_period": True,
            "queries": page_queries,
            "status_codes": statuses,
            "target_p95_ms": TARGET_DASHBOARD_P95_MS,
            "meets_target": page["p95_ms"] <= TARGET_DASHBOARD_P95_MS,
        },
    }
