"""Commissioner reporting at county and region scale, and the dashboard page.

County (`report`): a county area with four districts, 30,000 people, 100,000 referrals over the
ten years before today (10,000 a year, spread over the districts, 15% high risk of which most
are MARAC cases, one in five a re-referral of someone already known), and an IDVA or outreach
case for a third of them (first contact within a fortnight, most engaged, older ones closed).
Marked by referral reference "BRP…" and reused by later runs on the same database.

Region (`report_region`, `run_region`): the same generator for a region of five counties of four
districts each, 200,000 referrals a year over three years (600,000 referrals, 180,000 people,
200,000 cases), marked "BRR…". Three years, not ten: the report reads the year and the 12 months
before it (re-referrals), and older history only lengthens the indexes it searches (the county
benchmark has ten years); ten years at this rate would take about an hour to generate here.

Timed: `build_report` + `to_json` (exactly what `safepath report --format json --area NAME`
does) for the last complete year, `SAFEPATH_BENCH_REPORTS` times (default 10 for the county, 5
for the region); the dashboard (county benchmark only): as the demo commissioner (their own
small demo areas) and as the administrator for the benchmark county, the last quarter (a closed
period, cached after the first request) `n` times and the current quarter so far (never cached:
figures and page computed every time; charts drawn again only when their figures change) n / 5
times. Environment (optional): SAFEPATH_BENCH_REFERRALS_PER_YEAR (default 10000),
SAFEPATH_BENCH_YEARS (default 10), SAFEPATH_BENCH_REGION_REFERRALS_PER_YEAR (default 200000),
SAFEPATH_BENCH_REGION_YEARS (default 3).
"""

from __future__ import annotations

import os
import random
import sys
import time
from datetime import date, timedelta

from django.core.cache import cache
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
from safepath.reporting.periods import Period, previous_quarter, quarter_of
from safepath.reporting.report import build_report, to_json

MARK = "BRP"
COUNTY = "Benchmark County"
REGION_MARK = "BRR"
REGION = "Benchmark Region"
REGION_COUNTIES = 5
DISTRICTS = 4
TARGET_REPORT_S = 2.0
TARGET_REGION_REPORT_S = 10.0
TARGET_DASHBOARD_P95_MS = 500
BATCH = 10_000
SOURCES = ("police",) * 6 + ("health", "gp", "self", "children_social_care", "housing", "victim_support")


def _areas(name: str, counties: int, districts: int) -> list[int]:
    """The district ids of a benchmark area: `name` itself, with `counties` counties inside it
    (none: `name` is the county) of `districts` districts each. Adults as in a real county
    district (about 117,000)."""
    top, _ = Area.objects.update_or_create(
        name=name, defaults={"rural_urban_class": RuralUrbanClass.RURAL_TOWN_FRINGE, "adult_women": 0, "adult_men": 0}
    )
    parents = [top]
    for c in range(counties):
        county, _ = Area.objects.update_or_create(
            name=f"{name} county {c + 1}",
            defaults={
                "parent": top,
                "rural_urban_class": RuralUrbanClass.RURAL_TOWN_FRINGE,
                "adult_women": 0,
                "adult_men": 0,
            },
        )
        parents.append(county)
    ids = []
    for parent in parents[1:] if counties else parents:
        for i in range(districts):
            district, _ = Area.objects.update_or_create(
                name=f"{parent.name} district {i + 1}",
                defaults={
                    "parent": parent,
                    "rural_urban_class": RuralUrbanClass.URBAN_CITY_TOWN
                    if i % 2 == 0
                    else RuralUrbanClass.RURAL_VILLAGE_DISPERSED,
                    "adult_women": 60_000,
                    "adult_men": 57_000,
                },
            )
            ids.append(district.pk)
    return ids


def _build(mark: str, districts: list[int], per_year: int, years: int) -> None:
    """Bulk-create the population: people, referrals over `years` years before now, and a case
    for one referral in three. Rows are created in batches of BATCH in their own transactions,
    so memory stays flat; references start with `mark` so a later run finds them."""
    rng = random.Random(5)  # noqa: S311 - synthetic data, not security
    hub = Organisation.objects.filter(type=OrganisationType.HUB).first()
    provider = Organisation.objects.filter(type=OrganisationType.PROVIDER).first()
    pathways = dict(Pathway.objects.filter(code__in=["idva", "outreach"]).values_list("code", "pk"))
    n_people = per_year * years * 3 // 10
    people_rows: list[Person] = []
    for i in range(n_people):
        people_rows.append(
            Person(
                first_name="Bench",
                last_name=f"{mark}{i}",
                address=mark,
                sex=rng.choice(["female"] * 8 + ["male"] * 2),
                date_of_birth=date(1950, 1, 1) + timedelta(days=rng.randrange(365 * 55)),
            )
        )
        if len(people_rows) >= BATCH:
            _save(people_rows)
            people_rows = []
    _save(people_rows)
    people = list(Person.objects.filter(address=mark).values_list("pk", flat=True))
    now = timezone.now()
    total = per_year * years
    rows: list[Referral] = []
    cases: list[tuple[str, int, object, str]] = []  # (reference, person, received, risk) of those with a case
    for n in range(total):
        received = now - timedelta(minutes=rng.randrange(years * 365 * 24 * 60))
        risk = rng.choices(["standard", "medium", "high"], weights=[52, 33, 15])[0]
        marac = risk == "high" and rng.random() < 0.9
        person = rng.choice(people)
        reference = f"{mark}{n:09d}"
        rows.append(
            Referral(
                reference=reference,
                hub=hub,
                channel="import",
                source=rng.choice(SOURCES),
                received_at=received,
                person_id=person,
                area_id=rng.choice(districts),
                risk_level=risk,
                is_marac_case=marac,
                is_repeat=marac and rng.random() < 0.3,
                children_in_household=rng.choice([None, 0, 0, 1, 2, 3]),
            )
        )
        if n % 3 == 0:
            cases.append((reference, person, received, risk))
        if len(rows) >= BATCH:
            _save(rows)
            rows = []
    _save(rows)
    case_rows: list[Case] = []
    for start in range(0, len(cases), BATCH):
        chunk = cases[start : start + BATCH]
        # bulk_create sets no primary keys on SQLite before 3.35 everywhere: read them back.
        ids = dict(Referral.objects.filter(reference__in=[c[0] for c in chunk]).values_list("reference", "pk"))
        for reference, person, received, risk in chunk:
            opened = received + timedelta(days=1)
            first = opened + timedelta(hours=rng.randrange(1, 14 * 24)) if rng.random() < 0.9 else None
            closed = opened + timedelta(days=rng.randrange(30, 365))
            is_closed = closed < now
            case_rows.append(
                Case(
                    reference=reference,
                    person_id=person,
                    pathway_id=pathways["idva" if risk == "high" else "outreach"],
                    provider=provider,
                    referral_id=ids[reference],
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
        _save(case_rows)
        case_rows = []
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


def _population(mark: str, name: str, counties: int, per_year: int, years: int) -> float:
    """Build the population unless an earlier run left it; the seconds it took."""
    start = time.perf_counter()
    if not Referral.objects.filter(reference__startswith=mark).exists():
        print(f"bench: creating {per_year * years:,} referrals for {name}", file=sys.stderr)
        _build(mark, _areas(name, counties, DISTRICTS), per_year, years)
    return time.perf_counter() - start


def _time_report(name: str, reports: int) -> dict:
    """`build_report` + `to_json` for the last complete year and the area `name`, as
    `safepath report --format json --area NAME` does: one untimed run counting queries, then
    `reports` timed runs."""
    area = Area.objects.get(name=name)
    period = _last_complete_year()
    scope = Scope.for_areas(period, [area.pk])
    with CaptureQueriesContext(connection) as queries:
        out = to_json(build_report(scope, area=area.name))
    timings = []
    for _ in range(reports):
        begin = time.perf_counter()
        to_json(build_report(scope, area=area.name))
        timings.append(time.perf_counter() - begin)
    return {
        "period": [period.first.isoformat(), period.last.isoformat()],
        "referrals_in_year": out["referrals"]["total"],
        "timings": summary_ms(timings),
        "queries": len(queries),
    }


def run(n: int) -> dict:
    per_year = int(os.environ.get("SAFEPATH_BENCH_REFERRALS_PER_YEAR", "10000"))
    years = int(os.environ.get("SAFEPATH_BENCH_YEARS", "10"))
    build_seconds = _population(MARK, COUNTY, 0, per_year, years)
    timed = _time_report(COUNTY, int(os.environ.get("SAFEPATH_BENCH_REPORTS", "10")))
    report = timed["timings"]
    staff = {s.role: s.user for s in demo_staff()}
    dashboard, live = _time_dashboard(n, staff[Role.COMMISSIONER])
    # The same pages over the benchmark county's records (an administrator may choose any area).
    county_dashboard, county_live = _time_dashboard(n, staff[Role.ADMINISTRATOR], Area.objects.get(name=COUNTY).pk)
    return {
        "referrals": Referral.objects.filter(reference__startswith=MARK).count(),
        "cases": Case.objects.filter(reference__startswith=MARK).count(),
        "setup_seconds": round(build_seconds, 1),
        "period": timed["period"],
        "county_referrals_in_year": timed["referrals_in_year"],
        "report": {
            **report,
            "queries": timed["queries"],
            "target_s": TARGET_REPORT_S,
            "meets_target": report["max_ms"] <= TARGET_REPORT_S * 1000,
        },
        "dashboard_current_quarter_uncached": live,
        "dashboard": dashboard,
        "county_dashboard_current_quarter_uncached": county_live,
        "county_dashboard": county_dashboard,
    }


def run_region(n: int) -> dict:
    """A region of REGION_COUNTIES counties (four districts each) with 200,000 referrals a year.
    History: SAFEPATH_BENCH_REGION_YEARS years (default 3: the year reported, the 12 months
    before it that re-referrals look back over, and the part of this year so far), which keeps
    the set-up to minutes rather than the hour ten years would take. `n` is not used: the
    report is timed SAFEPATH_BENCH_REPORTS times (default 5)."""
    del n
    per_year = int(os.environ.get("SAFEPATH_BENCH_REGION_REFERRALS_PER_YEAR", "200000"))
    years = int(os.environ.get("SAFEPATH_BENCH_REGION_YEARS", "3"))
    build_seconds = _population(REGION_MARK, REGION, REGION_COUNTIES, per_year, years)
    timed = _time_report(REGION, int(os.environ.get("SAFEPATH_BENCH_REPORTS", "5")))
    report = timed["timings"]
    return {
        "referrals": Referral.objects.filter(reference__startswith=REGION_MARK).count(),
        "cases": Case.objects.filter(reference__startswith=REGION_MARK).count(),
        "history_years": years,
        "counties": REGION_COUNTIES,
        "setup_seconds": round(build_seconds, 1),
        "period": timed["period"],
        "region_referrals_in_year": timed["referrals_in_year"],
        "report": {
            **report,
            "queries": timed["queries"],
            "target_s": TARGET_REGION_REPORT_S,
            "meets_target": report["max_ms"] <= TARGET_REGION_REPORT_S * 1000,
        },
    }


def _time_dashboard(n: int, user: object, area: int | None = None) -> tuple[dict, dict]:
    """The dashboard as `user` sees it, for `area` (None: all the user's areas): the last
    quarter (a closed period, cached after the first request) n times, and the current quarter
    so far (never cached: figures, charts and page computed every time) n / 5 times."""
    client = Client()
    client.force_login(user, backend=LOGIN_BACKEND)
    url = reverse("reporting:dashboard")
    today = timezone.localdate()
    closed = previous_quarter(today)
    current = Period(quarter_of(today).first, today)
    closed_url, live_url = (
        url
        + f"?from_day={p.first.day}&from_month={p.first.month}&from_year={p.first.year}"
        + f"&to_day={p.last.day}&to_month={p.last.month}&to_year={p.last.year}"
        + (f"&area={area}" if area else "")
        for p in (closed, current)
    )
    cache.clear()  # the first closed-quarter request computes and caches, as after a deployment
    with CaptureQueriesContext(connection) as queries:
        assert client.get(closed_url).status_code == 200
    page_queries = len(queries)
    page_timings, statuses = [], {}
    for _ in range(n):
        begin = time.perf_counter()
        response = client.get(closed_url)
        page_timings.append(time.perf_counter() - begin)
        statuses[str(response.status_code)] = statuses.get(str(response.status_code), 0) + 1
    with CaptureQueriesContext(connection) as queries:
        assert client.get(live_url).status_code == 200
    live_queries = len(queries)
    live_timings = []
    for _ in range(max(5, n // 5)):
        begin = time.perf_counter()
        assert client.get(live_url).status_code == 200
        live_timings.append(time.perf_counter() - begin)
    page = summary_ms(page_timings)
    dashboard = {
        **page,
        "period": [closed.first.isoformat(), closed.last.isoformat()],
        "cached_closed_period": True,
        "queries": page_queries,
        "status_codes": statuses,
        "target_p95_ms": TARGET_DASHBOARD_P95_MS,
        "meets_target": page["p95_ms"] <= TARGET_DASHBOARD_P95_MS,
    }
    live = summary_ms(live_timings)
    live |= {
        "period": [current.first.isoformat(), current.last.isoformat()],
        "queries": live_queries,
        "target_p95_ms": TARGET_DASHBOARD_P95_MS,
        "meets_target": live["p95_ms"] <= TARGET_DASHBOARD_P95_MS,
    }
    return dashboard, live
