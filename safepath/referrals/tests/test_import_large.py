"""A 10,000-row file: every row accounted for, line numbers right across chunks, and a second import changes nothing.

Most rows were received before (created in bulk here, which is quick), so the test stays
well under 30 seconds on SQLite; the speed of importing new rows is measured by
bench/import_referrals.py, not here.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime

from django.core.management import call_command

from safepath.people.models import Person
from safepath.people.synthetic import people
from safepath.referrals.importing import import_file
from safepath.referrals.models import ImportRun, Referral
from safepath.referrals.services import new_reference
from safepath.referrals.tests.test_import_support import area, csv_bytes, frozen, hub, row  # noqa: F401

ROWS = 10_000
NEW_EVERY = 10  # rows 0, 10, 20, ...: new referrals (1,000)
BAD = 50  # rows 1, 51, 101, ...: rejected (200)


def _old_referrals(hub, refs: list[str]) -> None:  # noqa: F811
    person = Person.objects.create(first_name="Old", last_name="Referral")
    when = datetime(2025, 1, 1, tzinfo=UTC)
    Referral.objects.bulk_create(
        [
            Referral(
                reference=new_reference(),
                hub=hub,
                channel="import",
                source="police",
                source_ref=ref,
                received_at=when,
                person=person,
                risk_level="standard",
            )
            for ref in refs
        ],
        batch_size=1000,
    )


def _file() -> tuple[bytes, list[str], list[int]]:
    identities = people(ROWS // NEW_EVERY, seed=5)
    rows, old, bad_lines = [], [], []
    for i in range(ROWS):
        if i % NEW_EVERY == 0:
            p = identities[i // NEW_EVERY]
            rows.append(row(source_ref=f"NEW-{i}", first_name=p.first_name, last_name=p.last_name, date_of_birth=p.date_of_birth,
                            postcode=f"ME{4 + i % 2} {i % 9 + 1}AB", received_at=f"2026-{1 + i % 10:02d}-{1 + i % 28:02d}",
                            dash_score=i % 25))  # fmt: skip
        elif i % BAD == 1:
            rows.append(row(source_ref=f"BAD-{i}", dash_score="twenty"))
            bad_lines.append(i + 2)  # the header is line 1
        else:
            rows.append(row(source_ref=f"OLD-{i}"))
            old.append(f"OLD-{i}")
    return csv_bytes(rows), old, bad_lines


def test_it_imports_a_10000_row_file(hub, frozen, tmp_path):  # noqa: F811
    data, old, bad_lines = _file()
    _old_referrals(hub, old)
    result = import_file(io.BytesIO(data), filename="big.csv")
    assert result.summary == "imported 1000, skipped 8800, rejected 200"
    assert [r.line for r in result.rejects] == bad_lines
    assert {r.reason for r in result.rejects} == {"dash_score must be a whole number from 0 to 24, or blank"}
    run = ImportRun.objects.get()
    assert (run.imported, run.skipped, run.rejected, len(run.rejects)) == (1000, 8800, 200, 200)
    assert Referral.objects.filter(source_ref__startswith="NEW-").count() == 1000
    assert Referral.objects.filter(source_ref__startswith="NEW-", area__isnull=False).count() == 1000

    path = tmp_path / "big.csv"
    path.write_bytes(data)
    before = Referral.objects.count()
    out = io.StringIO()
    try:
        call_command("import_referrals", str(path), stdout=out, stderr=io.StringIO())
    except SystemExit as exit_:
        assert exit_.code == 1
    assert out.getvalue() == "imported 0, skipped 9800, rejected 200\n"
    assert Referral.objects.count() == before
