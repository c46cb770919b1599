"""Known-person candidate search (`match_candidates`) at 200,000 existing people: p95 per search.

Uses the benchmark population (bench/_harness.existing_people, built once) and 500 identities
as referrals give them: two in three are known people written with the usual errors
(safepath.people.synthetic), one in three are new people who look like someone known.
Each search is timed around `match_candidates(identity, limit=5)`: the indexed key lookup,
loading the candidates and scoring them. Also reports how often the true person is among
the five candidates (what triage sees) and the query count per search.

Then the same searches the way the bulk import makes them (referrals/importing/batch.py): one
`candidate_pool` query for all of them, then `best_match` for each; reports the time per search
that way and whether each found the same best candidate as `match_candidates`.

Environment (optional): SAFEPATH_BENCH_PEOPLE (default 200000), SAFEPATH_BENCH_SEARCHES
(default 500). `--requests` does not apply here.
"""

from __future__ import annotations

import os
import time

from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench._harness import existing_people, summary_ms
from safepath.people.matching import best_match, blocking_keys
from safepath.people.selectors import candidate_pool, match_candidates
from safepath.people.synthetic import labelled_set

TARGET_P95_MS = 50
WARMUP = 20


def run(n: int) -> dict:
    people_count = int(os.environ.get("SAFEPATH_BENCH_PEOPLE", "200000"))
    searches = int(os.environ.get("SAFEPATH_BENCH_SEARCHES", "500"))
    start = time.perf_counter()
    known, ids = existing_people(people_count)
    population_seconds = time.perf_counter() - start
    referrals = labelled_set(known, searches, seed=11, new_share=1 / 3)
    for item in referrals[:WARMUP]:
        match_candidates(item.identity, limit=5)
    with CaptureQueriesContext(connection) as queries:
        match_candidates(referrals[0].identity, limit=5)
    timings, candidates, found, about_known = [], 0, 0, 0
    for item in referrals:
        begin = time.perf_counter()
        ranked = match_candidates(item.identity, limit=5)
        timings.append(time.perf_counter() - begin)
        candidates += len(ranked)
        if item.truth is not None:
            about_known += 1
            found += ids[item.truth] in {person.pk for person, _ in ranked}
    figures = summary_ms(timings)
    batch = _batch(referrals)
    return {
        "existing_people": people_count,
        "population_setup_seconds": round(population_seconds, 1),
        "searches": searches,
        **figures,
        "queries_per_search": len(queries),
        "mean_candidates": round(candidates / searches, 2),
        "true_person_in_top5": round(found / max(about_known, 1), 3),
        "target_p95_ms": TARGET_P95_MS,
        "meets_target": figures["p95_ms"] <= TARGET_P95_MS,
        **batch,
    }


def _batch(referrals: list) -> dict:
    """All the searches at once, as the import makes them: ms per search, and agreement with match_candidates."""
    identities = [item.identity for item in referrals]
    start = time.perf_counter()
    pool = candidate_pool(set().union(*(blocking_keys(identity) for identity in identities)))
    found = [best_match(identity, pool.candidates(blocking_keys(identity))) for identity in identities]
    seconds = time.perf_counter() - start
    same = 0
    for identity, best in zip(identities, found, strict=True):
        expected = match_candidates(identity, limit=1)
        same += [(person.pk, match) for person, match in expected] == ([best] if best else [])
    return {
        "batch_ms_per_search": round(seconds * 1000 / len(identities), 3),
        "batch_same_best_as_match_candidates": round(same / len(identities), 3),
    }
