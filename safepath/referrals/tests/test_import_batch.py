"""The import's batch path (importing/batch.py): the same results as importing row by row with
`referral_receive`, however the rows fall into chunks; a failing row costs only itself; a constant
number of queries per chunk."""

from __future__ import annotations

import io
import logging
from dataclasses import replace
from datetime import date, timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from safepath.areas.selectors import area_for_postcode
from safepath.people.matching import Identity, best_match, blocking_keys, rank
from safepath.people.models import Person, PersonKey, PersonName, SafeContact
from safepath.people.selectors import candidate_pool, match_candidates
from safepath.people.services import person_create, person_refresh_keys
from safepath.people.synthetic import labelled_set, people
from safepath.referrals.importing import RowValidator, batch, csv_from_dicts, import_rows
from safepath.referrals.models import Referral, ReferralStatusChange
from safepath.referrals.services import Incoming, default_hub, referral_receive
from safepath.referrals.tests.test_import_command import command, read_rejects, write  # noqa: F401
from safepath.referrals.tests.test_import_support import (  # noqa: F401
    HEADER,
    NOW,
    area,
    csv_bytes,
    frozen,
    hub,
    row,
    run_import,
)


class Rollback(Exception):
    pass


def _rows(known: list[Identity], count: int, seed: int) -> list[dict[str, str]]:
    """Rows about known people (with recording errors) and new ones, some twice, some police, some MARAC."""
    rows = []
    for n, item in enumerate(labelled_set(known, count, seed=seed, new_share=0.3)):
        person = item.identity
        values = {
            "source_ref": f"S{seed}-{n}",
            "source": ("police", "gp", "health")[n % 3],
            "received_at": (date(2026, 1, 1) + timedelta(days=(n * 37) % 300)).isoformat(),
            "first_name": person.first_name,
            "last_name": person.last_name,
            "date_of_birth": person.date_of_birth.isoformat() if person.date_of_birth else "",
            "postcode": person.postcode,
            "dash_score": str((n * 7) % 25),
            "police_callouts_12m": str(n % 4) if n % 5 else "",
        }
        if n % 6 == 0:
            values |= {"perpetrator_first_name": "Mark", "perpetrator_last_name": f"Jones{n % 4}"}
            values |= {"relationship": "ex_partner"}
        rows.append(row(**values))
        if n % 4 == 1:  # the same person again, later and spelt as sent the first time
            again = {"source_ref": f"S{seed}-{n}-again", "received_at": "2026-11-01", "source": "police"}
            rows.append(row(**(values | again)))
    return rows


def _known(hub, count: int) -> list[Identity]:  # noqa: F811
    """People referred before, one referral each, some of them MARAC cases; every fifth has another name."""
    known = people(count, seed=3)
    for n, person in enumerate(known):
        referral = referral_receive(
            incoming=Incoming(
                channel="professional", source="gp", received_at=NOW - timedelta(days=400 - n), dash_score=(n * 5) % 25,
                first_name=person.first_name, last_name=person.last_name, date_of_birth=person.date_of_birth,
                postcode=person.postcode,
            ),
            hub=hub,
        )  # fmt: skip
        if n % 5 == 0:
            _other_name(referral.person, person.first_name, "Okafor")
    return known


def _other_name(person: Person, first: str, last: str) -> None:
    PersonName.objects.create(person=person, first_name=first, last_name=last, kind=PersonName.Kind.PREVIOUS)
    person_refresh_keys(person=person)


def _outcomes() -> dict[str, tuple]:
    """Each referral's outcome, people named by their first referral (ids differ between runs)."""
    referrals = list(
        Referral.objects.select_related("person", "perpetrator", "marac_referral").order_by("received_at", "pk")
    )
    first: dict[int, str] = {}
    for referral in referrals:
        first.setdefault(referral.person_id, referral.source_ref or referral.reference)
    outcomes = {}
    for referral in referrals:
        perpetrator = referral.perpetrator
        marac = getattr(referral, "marac_referral", None)  # made by the import's plain INSERTs, or by referral_receive
        outcomes[referral.source_ref or referral.reference] = (
            first[referral.person_id], referral.match_status, referral.match_score, referral.risk_level,
            referral.police_incidents, referral.marac_criteria, referral.is_marac_case, referral.is_repeat,
            referral.area_id, referral.hub_id, (perpetrator.first_name, perpetrator.last_name) if perpetrator else None,
            referral.person.postcode, referral.person.area_id,
            (marac.marac_id, marac.source, marac.criteria, marac.is_repeat, marac.status) if marac else None,
        )  # fmt: skip
    return outcomes


def _row_by_row(rows: list[dict[str, str]]) -> tuple[dict[str, tuple], tuple[int, int, int]]:
    """The reference: each good row through referral_receive, in order of received_at, then rolled back."""
    validator = RowValidator()
    good = []
    for line, values in enumerate(rows, start=2):
        incoming = validator(values)
        if isinstance(incoming, Incoming):
            good.append((incoming.received_at, line, incoming))
    seen = set(Referral.objects.values_list("source", "source_ref"))
    try:
        with transaction.atomic():
            for _at, _line, incoming in sorted(good, key=lambda g: g[:2]):
                if (incoming.source, incoming.source_ref) in seen:
                    continue
                seen.add((incoming.source, incoming.source_ref))
                incoming.area = incoming.area or (area_for_postcode(incoming.postcode) if incoming.postcode else None)
                referral_receive(incoming=incoming, hub=default_hub(incoming.area), auto_link=True)
            outcomes = _outcomes()
            counts = (Person.objects.count(), PersonKey.objects.count(), SafeContact.objects.count())
            raise Rollback
    except Rollback:
        pass
    return outcomes, counts


@pytest.mark.parametrize("chunk", [500, 7, 1])
def test_it_gives_the_same_results_as_importing_row_by_row(hub, frozen, caplog, chunk):  # noqa: F811
    known = _known(hub, 40)
    rows = _rows(known, 60, seed=5)
    rows += [  # known by the other name they used
        row(source_ref=f"OTHER-{n}", first_name=p.first_name, last_name="Okafor", postcode=p.postcode,
            date_of_birth=p.date_of_birth.isoformat(), received_at="2026-06-01")
        for n, p in enumerate(known[::10])
    ]  # fmt: skip
    expected, expected_counts = _row_by_row(rows)
    with caplog.at_level(logging.WARNING):
        result = import_rows(csv_from_dicts(rows, HEADER), chunk_size=chunk)
    assert "could not be saved together" not in caplog.text  # the batch path itself, not its fallback
    assert result.rejected == 0 and result.imported == len(expected) - 40
    outcomes = _outcomes()
    assert outcomes == expected
    assert (Person.objects.count(), PersonKey.objects.count(), SafeContact.objects.count()) == expected_counts
    assert sum(outcome[1] == "auto_linked" for outcome in outcomes.values()) > 20  # really about people seen before
    assert sum(outcome[-1] is not None and outcome[-1][3] for outcome in outcomes.values()) > 0  # repeat MARAC cases


def test_it_links_rows_about_the_same_person_across_chunks(hub, frozen, caplog):  # noqa: F811
    caplog.set_level(logging.WARNING)
    rows = [
        row(received_at="2026-01-01", dash_score="16"),
        row(received_at="2026-01-02", first_name="Jayne"),
        row(received_at="2026-01-03", first_name="Smith", last_name="Jane"),
        row(received_at="2026-01-04", date_of_birth="1990-07-04"),
        row(received_at="2026-01-05", postcode="me44ab"),
    ]
    result = import_rows(csv_from_dicts(rows, HEADER), chunk_size=2)
    assert result.summary == "imported 5, skipped 0, rejected 0"
    assert "could not be saved together" not in caplog.text
    referrals = list(Referral.objects.order_by("received_at"))
    assert len({r.person_id for r in referrals}) == 1 and Person.objects.count() == 1
    assert [r.match_status for r in referrals] == ["new_person"] + ["auto_linked"] * 4
    assert [r.is_repeat for r in referrals] == [False] + [True] * 4  # each looks back at the MARAC referral
    assert [r.police_incidents for r in referrals] == [1, 2, 3, 4, 5]


def test_it_loses_only_the_row_that_cannot_be_saved(hub, frozen, write, monkeypatch, caplog):  # noqa: F811
    real = batch.audit_many

    def failing(*, objects, **kwargs):  # fails after the chunk's people and referrals were written
        if any(referral.person.first_name == "Boom" for referral in objects):
            raise ValueError("something about Boom")
        return real(objects=objects, **kwargs)

    monkeypatch.setattr(batch, "audit_many", failing)
    path = write(csv_bytes([row(), row(first_name="Boom", perpetrator_first_name="Mark"), row(first_name="Ann")]))
    status, out, _ = command(str(path))
    assert (status, out) == (1, "imported 2, skipped 0, rejected 1\n")
    rejected = read_rejects(path.parent / "referrals.rejects.csv")
    assert [(r["line"], r["reason"], r["first_name"]) for r in rejected] == [
        ("3", "this row could not be saved; check its values", "Boom")
    ]
    assert "line 3 could not be saved (ValueError)" in caplog.text and "Boom" not in caplog.text
    assert not Person.objects.filter(first_name__in=["Boom", "Mark"]).exists()  # nothing partial
    assert Referral.objects.count() == ReferralStatusChange.objects.count() == 2


def test_it_skips_a_row_another_import_received_meanwhile(hub, frozen, monkeypatch, caplog):  # noqa: F811
    referral_receive(incoming=RowValidator()(row(source_ref="TWICE")), hub=hub)
    monkeypatch.setattr(batch, "_already_received", lambda keys: set())  # as if received after we looked
    with caplog.at_level(logging.WARNING):
        result = run_import([row(source_ref="TWICE"), row(first_name="Ann", last_name="Lee")])
    assert result.summary == "imported 1, skipped 1, rejected 0"
    assert Referral.objects.filter(source_ref="TWICE").count() == 1
    assert "could not be saved together (IntegrityError: " in caplog.text
    # The constraint by name (PostgreSQL) or by its columns (SQLite); never the row's values.
    assert "referral_source_ref_unique" in caplog.text or "referrals_referral.source_ref" in caplog.text
    assert "TWICE" not in caplog.text


def test_it_makes_a_constant_number_of_queries_per_chunk(hub, frozen):  # noqa: F811
    known = people(15, seed=4)

    def rows(chosen: list[Identity], tag: str) -> list[dict[str, str]]:
        return [
            row(source_ref=f"{tag}{n}", first_name=p.first_name, last_name=p.last_name,
                date_of_birth=p.date_of_birth.isoformat(), perpetrator_first_name="Mark")
            for n, p in enumerate(chosen)
        ]  # fmt: skip

    def queries(chosen: list[Identity], tag: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert run_import(rows(chosen, tag)).summary == f"imported {len(chosen)}, skipped 0, rejected 0"
        return len(captured)

    run_import(rows(known, "FIRST"))
    assert queries(known[:5], "A") == queries(known[5:], "B")  # re-referrals: candidates found, people linked
    assert Referral.objects.filter(match_status="auto_linked").count() == 15


def test_it_finds_the_candidates_match_candidates_finds(db):
    known = people(300, seed=8)
    for n, person in enumerate(known):
        created = person_create(audit=False, first_name=person.first_name, last_name=person.last_name,
                                date_of_birth=person.date_of_birth, postcode=person.postcode)  # fmt: skip
        if n % 7 == 0:  # other names used, one or two
            _other_name(created, person.first_name, "Okafor")
        if n % 14 == 0:
            _other_name(created, person.last_name, person.first_name)
    first = list(Person.objects.order_by("pk")[:6])  # not candidates: people causing harm, and a merged record
    Person.objects.filter(pk__in=[p.pk for p in first[:5]]).update(kind="person_causing_harm")
    Person.objects.filter(pk=first[5].pk).update(merged_into=Person.objects.order_by("pk").last())
    queries = [item.identity for item in labelled_set(known, 100, seed=9)]
    queries += [replace(p, last_name="Okafor") for p in known[::7]]
    pool = candidate_pool(set().union(*(blocking_keys(q) for q in queries)))
    for query in queries:
        expected = match_candidates(query, limit=1)
        found = best_match(query, pool.candidates(blocking_keys(query)))
        assert [(p.pk, m) for p, m in expected] == ([found] if found else [])


@pytest.mark.parametrize("seed", [11, 21])
def test_it_picks_the_candidate_rank_puts_first(seed):
    known = people(1500, seed=seed)
    index: dict[str, list[int]] = {}
    for number, identity in enumerate(known):
        for key in blocking_keys(identity):
            index.setdefault(key, []).append(number)
    duplicates = [(n + len(known), identity) for n, identity in enumerate(known[:50])]  # equal scores: order decides
    for item in labelled_set(known, 1500, seed=seed + 1):
        ids = sorted({n for key in blocking_keys(item.identity) for n in index.get(key, ())})
        candidates = [(n, known[n]) for n in ids] + [d for d in duplicates if d[0] - len(known) in ids]
        ranked = rank(item.identity, candidates, limit=1)
        assert best_match(item.identity, candidates) == (ranked[0] if ranked else None)


def test_it_still_offers_the_names_other_modules_import_from_the_package(hub, frozen):  # noqa: F811
    from safepath.referrals import importing

    names = ["COLUMNS", "ImportFileError", "ImportResult", "RowValidator", "csv_from_dicts", "import_file",
             "import_rows", "import_runs_for", "own_import_runs", "run_header", "write_rejects"]  # fmt: skip
    assert all(hasattr(importing, name) for name in names)
    assert importing.import_rows(csv_from_dicts([row()])).imported == 1
    assert importing.import_file(io.BytesIO(csv_bytes([row(first_name="Ann")])), filename="x.csv").imported == 1


def test_it_imports_with_the_objects_alive_before_it_set_aside_from_the_collector(hub, frozen, monkeypatch):  # noqa: F811
    import gc

    seen = []
    real = batch.BatchImporter.run

    def run(self, rows, chunk_size):  # type: ignore[no-untyped-def]
        seen.append(gc.get_freeze_count())
        return real(self, rows, chunk_size)

    monkeypatch.setattr(batch.BatchImporter, "run", run)
    gc.unfreeze()
    assert run_import([row(source_ref="GC1")]).summary == "imported 1, skipped 0, rejected 0"
    assert seen and seen[0] > 0  # set aside while importing (core/heap.py)
    assert gc.get_freeze_count() == 0  # and returned after


def test_a_reader_reads_each_record_once_and_finds_what_one_pool_finds(db):
    from safepath.people.selectors import CandidateReader

    known = people(120, seed=12)
    for n, person in enumerate(known):
        created = person_create(audit=False, first_name=person.first_name, last_name=person.last_name,
                                date_of_birth=person.date_of_birth, postcode=person.postcode)  # fmt: skip
        if n % 9 == 0:
            _other_name(created, person.first_name, "Okafor")
    Person.objects.filter(pk=Person.objects.order_by("pk").first().pk).update(kind="person_causing_harm")
    batches = [set().union(*(blocking_keys(item.identity) for item in labelled_set(known, 40, seed=s))) for s in (1, 2)]
    reader = CandidateReader()
    for keys in batches:
        pool, expected = reader.pool(keys), candidate_pool(keys)
        assert pool.people_by_key == expected.people_by_key and pool.identities == expected.identities
        assert pool.identities  # the test finds candidates at all
    with CaptureQueriesContext(connection) as captured:
        again = reader.pool(batches[0])
    assert len(captured) == 1  # which people share the keys; their records were read already
    assert again.identities == candidate_pool(batches[0]).identities
    small = CandidateReader()
    small.LIMIT = 10  # more people than it may keep: it forgets and reads again, finding the same
    for keys in batches:
        assert small.pool(keys).identities == candidate_pool(keys).identities
        assert len(small.read) <= max(10, len(candidate_pool(keys).identities) + 1)


def test_a_failure_is_logged_by_class_and_constraint_never_by_its_values():
    from django.db import IntegrityError

    class Diag:
        constraint_name = "referral_source_ref_unique"

    class DriverError(Exception):
        diag = Diag()

    postgres = IntegrityError(
        "duplicate key value violates unique constraint\nDETAIL: Key (source_ref)=(Jane Smith 1990-02-28) already exists."
    )
    postgres.__cause__ = DriverError()
    assert batch._what_failed(postgres) == "IntegrityError: referral_source_ref_unique"
    sqlite = IntegrityError("UNIQUE constraint failed: referrals_referral.source, referrals_referral.source_ref")
    assert batch._what_failed(sqlite) == f"IntegrityError: {sqlite}"
    assert batch._what_failed(IntegrityError("CHECK failed for 'Jane Smith'")) == "IntegrityError"
    assert batch._what_failed(ValueError("Jane Smith")) == "ValueError"
