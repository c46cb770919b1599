"""`safepath import_referrals FILE.csv [--rejects OUT.csv]`: summary line, exit codes, rejects file, idempotency."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from safepath.core.models import AuditEvent
from safepath.people.models import Person
from safepath.referrals.models import ImportRun, Referral, ReferralStatusChange
from safepath.referrals.tests.test_import_support import HEADER, area, csv_bytes, frozen, hub, row  # noqa: F401


def command(*args: str) -> tuple[int, str, str]:
    """Run the command; (exit status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_referrals", *args, stdout=out, stderr=err)
    except SystemExit as exit_:
        return int(exit_.code), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


@pytest.fixture
def write(tmp_path: Path):
    def _write(data: bytes, name: str = "referrals.csv") -> Path:
        path = tmp_path / name
        path.write_bytes(data)
        return path

    return _write


def read_rejects(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_it_imports_a_good_file_and_exits_0(hub, frozen, write):  # noqa: F811
    path = write(csv_bytes([row(), row(first_name="Ann", last_name="Lee", date_of_birth="1985-01-01")]))
    status, out, err = command(str(path))
    assert (status, out, err) == (0, "imported 2, skipped 0, rejected 0\n", "")
    assert Referral.objects.filter(channel="import", hub=hub).count() == 2
    assert not (path.parent / "referrals.rejects.csv").exists()
    run = ImportRun.objects.get()
    assert (run.imported, run.skipped, run.rejected, run.filename, run.by) == (2, 0, 0, "referrals.csv", None)


def test_it_exits_1_and_writes_the_rejects_beside_the_file(hub, frozen, write):  # noqa: F811
    path = write(csv_bytes([row(), row(dash_score="30"), row(last_name="")]))
    status, out, err = command(str(path))
    assert (status, out) == (1, "imported 1, skipped 0, rejected 2\n")
    rejects_path = path.parent / "referrals.rejects.csv"
    assert str(rejects_path) in err
    rejects = read_rejects(rejects_path)
    assert list(rejects[0]) == [*HEADER, "line", "reason"]
    assert [(r["line"], r["reason"]) for r in rejects] == [
        ("3", "dash_score must be a whole number from 0 to 24, or blank"),
        ("4", "last_name is missing"),
    ]
    assert rejects[0]["dash_score"] == "30" and rejects[1]["first_name"] == "Jane"  # the row as sent


def test_it_writes_the_rejects_where_asked(hub, frozen, write, tmp_path):  # noqa: F811
    path = write(csv_bytes([row(source="")]))
    status, _, _ = command(str(path), "--rejects", str(tmp_path / "out.csv"))
    assert status == 1 and read_rejects(tmp_path / "out.csv")[0]["reason"] == "source is missing"


def test_it_makes_rejected_cells_safe_for_spreadsheets(hub, frozen, write):  # noqa: F811
    path = write(
        csv_bytes(
            [
                row(
                    first_name='=HYPERLINK("http://evil")',
                    last_name="+1",
                    source_ref="@ref",
                    postcode="-",
                    dash_score="99",
                )
            ]
        )
    )
    command(str(path))
    rejected = read_rejects(path.parent / "referrals.rejects.csv")[0]
    assert rejected["first_name"] == '\'=HYPERLINK("http://evil")'
    assert (rejected["last_name"], rejected["source_ref"], rejected["postcode"]) == ("'+1", "'@ref", "'-")
    assert rejected["source"] == "police"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (
            "source,source_ref,received_at,first_name,last_name\r\npolice,1,2026-01-01,Zo\xe9,Smith\r\n".encode(
                "latin-1"
            ),
            "not UTF-8 text (the first problem is on line 2)",
        ),
        ("source,source_ref\r\n".encode("utf-16"), "UTF-16"),
        (b"PK\x03\x04\x14\x00\x00\x00\x08\x00", "not a CSV file"),
        (b"source,first_name,last_name\r\npolice,Jane,Smith\r\n", "The file has no source_ref, received_at columns."),
        (b"source;source_ref;received_at;first_name;last_name\r\n", "Columns must be separated by commas."),
        (b"source,source_ref,received_at,first_name,last_name,Source\r\n", "The column source appears more than once"),
        (b'{"referrals": []}\n', "The file has no"),
    ],
    ids=["empty", "latin-1", "utf-16", "zip", "missing-columns", "semicolons", "duplicate-column", "json"],
)
def test_it_exits_2_and_imports_nothing_when_the_file_cannot_be_read(hub, frozen, write, data, message):  # noqa: F811
    path = write(data)
    status, out, err = command(str(path))
    assert (status, out) == (2, "imported 0, skipped 0, rejected 0\n")
    assert message in err and "Nothing was imported." in err
    assert not Referral.objects.exists() and not ImportRun.objects.exists()


def test_it_exits_2_for_a_missing_file(db, tmp_path):
    status, out, err = command(str(tmp_path / "nowhere.csv"))
    assert (status, out) == (2, "imported 0, skipped 0, rejected 0\n")
    assert "There is no such file." in err


def test_it_exits_2_when_no_hub_is_configured(db, frozen, write):  # noqa: F811
    status, _, err = command(str(write(csv_bytes([row()]))))
    assert status == 2 and "No single point of access (hub) is configured" in err


def test_it_sends_every_referral_to_the_named_hub(hub, frozen, write):  # noqa: F811
    from safepath.core.roles import OrganisationType
    from safepath.testing import OrganisationFactory

    other = OrganisationFactory(type=OrganisationType.HUB, name="Kent Hub")
    status, _, _ = command(str(write(csv_bytes([row(), row()]))), "--hub", "kent hub")
    assert status == 0 and set(Referral.objects.values_list("hub", flat=True)) == {other.pk}
    with pytest.raises(CommandError, match="No active single point of access"):
        call_command("import_referrals", "x.csv", "--hub", "Nowhere")


def test_it_is_idempotent(hub, frozen, write):  # noqa: F811
    rows = [
        row(),
        row(first_name="Ann", last_name="Lee", dash_score="15", perpetrator_first_name="Mark"),
        row(dash_score="x"),
    ]
    path = write(csv_bytes(rows))
    assert command(str(path))[:2] == (1, "imported 2, skipped 0, rejected 1\n")
    counts = [m.objects.count() for m in (Referral, Person, ReferralStatusChange)]
    audit_count = AuditEvent.objects.filter(object_type="referrals.referral").count()
    assert command(str(path))[:2] == (1, "imported 0, skipped 2, rejected 1\n")
    assert [m.objects.count() for m in (Referral, Person, ReferralStatusChange)] == counts
    assert AuditEvent.objects.filter(object_type="referrals.referral").count() == audit_count


def test_it_skips_a_row_repeated_in_the_same_file(hub, frozen, write):  # noqa: F811
    first = row(source_ref="A1")
    path = write(csv_bytes([first, dict(first, first_name="Janet"), row(source="health", source_ref="A1")]))
    assert command(str(path))[1] == "imported 2, skipped 1, rejected 0\n"
    assert Referral.objects.get(source="police").person.first_name == "Jane"


def test_it_accepts_a_byte_order_mark(hub, frozen, write):  # noqa: F811
    path = write(csv_bytes([row()], bom=True))
    status, out, err = command(str(path))
    assert (status, out, err) == (0, "imported 1, skipped 0, rejected 0\n", "")


def test_it_reports_unknown_columns_once_and_ignores_them(hub, frozen, write):  # noqa: F811
    header = ["Notes", *HEADER, "officer", ""]
    rows = [row(Notes="called twice", officer="PC 123"), row(Notes="", officer="PC 9")]
    status, out, err = command(str(write(csv_bytes(rows, header))))
    assert (status, out) == (0, "imported 2, skipped 0, rejected 0\n")
    assert err.count("Notes") == 1 and err.count("officer") == 1
    assert "These columns are not part of the import and were ignored: Notes, officer, (column 23 has no name)." in err
    assert ImportRun.objects.get().unknown_columns == ["Notes", "officer", "(column 23 has no name)"]
    assert "Notes" not in Referral.objects.first().submitted["import"]


def test_it_takes_columns_in_any_order_and_case(hub, frozen, write):  # noqa: F811
    text = "Last_Name, first_name ,RECEIVED_AT,source_ref,Source\r\nSmith,Jane,2026-03-10,R1,police\r\n"
    status, _, err = command(str(write(text.encode())))
    referral = Referral.objects.get()
    assert (status, err) == (0, "")
    assert (referral.person.first_name, referral.person.last_name, referral.source, referral.source_ref) == (
        "Jane",
        "Smith",
        "police",
        "R1",
    )


def test_it_rejects_a_row_that_cannot_be_saved_and_carries_on(hub, frozen, write, monkeypatch, caplog):  # noqa: F811
    from safepath.referrals.importing import batch

    real = batch.referral_build

    def flaky(incoming, **kwargs):
        if incoming.first_name == "Boom":
            raise ValueError(f"something about {incoming.first_name}")
        return real(incoming, **kwargs)

    monkeypatch.setattr(batch, "referral_build", flaky)
    path = write(csv_bytes([row(), row(first_name="Boom"), row(first_name="Ann")]))
    status, out, _ = command(str(path))
    assert (status, out) == (1, "imported 2, skipped 0, rejected 1\n")
    rejected = read_rejects(path.parent / "referrals.rejects.csv")
    assert [(r["line"], r["reason"], r["first_name"]) for r in rejected] == [
        ("3", "this row could not be saved; check its values", "Boom")
    ]
    assert "line 3 could not be saved (ValueError)" in caplog.text and "Boom" not in caplog.text


def test_it_still_exits_1_when_the_rejects_file_cannot_be_written(hub, frozen, write, tmp_path):  # noqa: F811
    path = write(csv_bytes([row(source="")]))
    status, out, err = command(str(path), "--rejects", str(tmp_path / "no" / "such" / "dir.csv"))
    assert (status, out) == (1, "imported 0, skipped 0, rejected 1\n")
    assert f"the rejected rows are kept with import run {ImportRun.objects.get().pk}" in err
