"""Bulk referral import: rows per second, including known-person matching, at 200,000 existing people.

Builds (once) a synthetic population of known victims with their matching keys, then imports a
5,000-row CSV file like one a police force or a partner agency would send: re-referrals of known
people written with the usual errors (safepath.people.synthetic), new people, second referrals
for the same person within the file, rows sent twice (skipped) and a few bad rows (rejected).
The timed part is `import_file()` on the file's bytes: reading, validating, matching, the rules,
the writes (a transaction per chunk of rows, referrals/importing/batch.py) and the ImportRun
record. That is what `safepath import_referrals` does, without the disk.

Environment (optional): SAFEPATH_BENCH_PEOPLE (default 200000; use fewer for a quick run),
SAFEPATH_BENCH_IMPORT_ROWS (default 5000), SAFEPATH_BENCH_PROFILE (a file name: run the timed
import under cProfile, write its statistics there and print the top functions to stderr; the
profiler slows the import, so the figures of that run are not the speed). `--requests` does not
apply here.
"""

from __future__ import annotations

import cProfile
import io
import os
import pstats
import random
import sys
import time
from dataclasses import replace
from datetime import datetime, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bench._harness import existing_people, local_postcode
from safepath.people.synthetic import labelled_set, people
from safepath.referrals.importing import CHUNK, COLUMNS, import_file
from safepath.referrals.models import Referral

TARGET_ROWS_PER_SECOND = 1_000
SOURCES = ["police"] * 6 + [
    "health",
    "gp",
    "hospital",
    "children_social_care",
    "housing",
    "victim_support",
    "self",
    "probation",
]
ABUSE = ["physical", "emotional", "coercive_control", "economic", "stalking", "harassment", "sexual", "online"]


def _people_count() -> int:
    return int(os.environ.get("SAFEPATH_BENCH_PEOPLE", "200000"))


def _rows_count() -> int:
    return int(os.environ.get("SAFEPATH_BENCH_IMPORT_ROWS", "5000"))


def referral_file(known: list, rows: int, *, tag: str, seed: int = 7) -> tuple[bytes, dict[str, int]]:
    """A CSV file of `rows` referrals with realistic duplicates; returns the bytes and what went in."""
    rng = random.Random(seed)  # noqa: S311 - synthetic data, not security
    about_known = labelled_set(known, int(rows * 0.45), seed=seed, new_share=0.0)
    strangers = people(int(rows * 0.45), seed=seed + 1)
    identities = [item.identity for item in about_known] + [
        s if i % 5 == 0 else replace(s, postcode=local_postcode(i * 17 + 3)) for i, s in enumerate(strangers)
    ]
    rng.shuffle(identities)
    now = timezone.now()
    records = []
    for number, identity in enumerate(identities):
        records.append(
            _row(
                rng,
                identity,
                f"{tag}-{number}",
                now - timedelta(days=rng.randint(1, 365), minutes=rng.randint(0, 1440)),
            )
        )
    mix = {"about_known_people": len(about_known), "new_people": len(strangers)}
    repeats = [
        dict(r, source_ref=r["source_ref"] + "-again", received_at=_later(rng, r["received_at"], now))
        for r in rng.sample(records, rows // 20)
    ]
    resent = [dict(r) for r in rng.sample(records, rows * 3 // 100)]
    bad = [
        _spoil(rng, dict(r, source_ref=r["source_ref"] + "-bad"))
        for r in rng.sample(records, rows - len(records) - len(repeats) - len(resent))
    ]
    mix |= {"second_referrals_in_file": len(repeats), "sent_twice": len(resent), "bad_rows": len(bad)}
    everything = records + repeats + resent + bad
    rng.shuffle(everything)
    out = io.StringIO()
    out.write(",".join(COLUMNS) + "\r\n")
    for record in everything:
        out.write(",".join(str(record.get(name, "")) for name in COLUMNS) + "\r\n")
    return out.getvalue().encode(), mix


def _row(rng: random.Random, identity, ref: str, received) -> dict:  # type: ignore[no-untyped-def]
    dash = rng.choice(["", "", *range(0, 25)])
    return {
        "source": rng.choice(SOURCES),
        "source_ref": ref,
        "received_at": received.replace(microsecond=0).isoformat()
        if rng.random() < 0.7
        else received.date().isoformat(),
        "first_name": identity.first_name,
        "last_name": identity.last_name,
        "date_of_birth": identity.date_of_birth.isoformat() if identity.date_of_birth else "",
        "sex": rng.choice(["female"] * 8 + ["male", ""]),
        "postcode": identity.postcode,
        "risk_level": rng.choice(["", "", "standard", "medium", "high"]),
        "dash_score": dash,
        "professional_judgement_high": rng.choice(["", "", "no", "yes"]),
        "police_callouts_12m": rng.choice(["", 0, 1, 2, 3, 5]),
        "children_in_household": rng.choice(["", 0, 1, 2, 3]),
        "abuse_types": ";".join(rng.sample(ABUSE, rng.randint(0, 3))),
        "perpetrator_first_name": "",
        "perpetrator_last_name": "",
        "relationship": rng.choice(["", "intimate_partner", "ex_partner", "family_member"]),
        "consent": rng.choice(["yes", "no", "not_asked"]),
    }


def _later(rng: random.Random, received: str, now) -> str:  # type: ignore[no-untyped-def]
    moment = datetime.fromisoformat(received)
    moment = moment if moment.tzinfo else moment.replace(tzinfo=now.tzinfo)
    return (
        min(moment + timedelta(days=rng.randint(1, 200)), now - timedelta(hours=1)).replace(microsecond=0).isoformat()
    )


def _spoil(rng: random.Random, row: dict) -> dict:
    spoiled = rng.choice(["date_of_birth", "last_name", "dash_score", "source", "postcode"])
    row[spoiled] = {
        "date_of_birth": "31/02/1990",
        "last_name": "",
        "dash_score": "30",
        "source": "carrier pigeon",
        "postcode": "NOT A CODE",
    }[spoiled]
    return row


def run(n: int) -> dict:
    people_count, rows = _people_count(), _rows_count()
    start = time.perf_counter()
    known, _ids = existing_people(people_count)
    population_seconds = time.perf_counter() - start
    tag = f"bench{int(time.time())}"
    data, mix = referral_file(known, rows, tag=tag)
    small, _ = referral_file(known, 50, tag=tag + "q", seed=99)
    with CaptureQueriesContext(connection) as queries:  # untimed: query count per row
        warm = import_file(io.BytesIO(small), filename="warm-up.csv")
    profile = cProfile.Profile() if os.environ.get("SAFEPATH_BENCH_PROFILE") else None
    start, cpu_start = time.perf_counter(), time.process_time()
    if profile:
        profile.enable()
    result = import_file(io.BytesIO(data), filename="bench.csv")
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu_start
    if profile:
        _report_profile(profile, os.environ["SAFEPATH_BENCH_PROFILE"])
    rate = rows / seconds
    linked = Referral.objects.filter(source_ref__startswith=tag + "-", match_status="auto_linked").count()
    return {
        "existing_people": people_count,
        "population_setup_seconds": round(population_seconds, 1),
        "rows": rows,
        "file_mix": mix,
        "imported": result.imported,
        "skipped": result.skipped,
        "rejected": result.rejected,
        "auto_linked": linked,
        "seconds": round(seconds, 2),
        "rows_per_second": round(rate, 1),
        "ms_per_row": round(seconds * 1000 / rows, 2),
        # This process's CPU time only (not a PostgreSQL server's): steadier than wall time on a busy machine.
        "cpu_seconds": round(cpu_seconds, 2),
        "rows_per_cpu_second": round(rows / cpu_seconds, 1),
        "queries_per_imported_row": round(len(queries) / max(warm.imported, 1), 1),
        "chunk_rows": CHUNK,
        "profiled": profile is not None,
        "target_rows_per_second": TARGET_ROWS_PER_SECOND,
        "meets_target": rate >= TARGET_ROWS_PER_SECOND,
    }


def _report_profile(profile: cProfile.Profile, path: str) -> None:
    profile.disable()
    profile.dump_stats(path)
    stats = pstats.Stats(profile, stream=sys.stderr)
    stats.sort_stats("cumulative").print_stats(40)
