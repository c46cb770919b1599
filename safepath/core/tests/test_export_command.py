"""`safepath export`: argument checks and writing, with a stand-in dataset so these tests do not
depend on any one app's figures (each app tests its own dataset)."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from safepath.core.exports import Table, table_bytes
from safepath.core.management.commands import export as export_command

CALLS: list[dict] = []


def fake_dataset(**kwargs):
    CALLS.append(kwargs)
    return Table(header=["area", "cases"], rows=[["=HYPERLINK(1)", 12], ["Chatham", -3]], title="Fake: data")


@pytest.fixture(autouse=True)
def fake_registry(monkeypatch):
    CALLS.clear()
    monkeypatch.setitem(export_command.EXPORTS, "marac-dataset", (f"{__name__}.fake_dataset", True, True, True))
    monkeypatch.setitem(export_command.EXPORTS, "contracts-register", (f"{__name__}.fake_dataset", False, False, False))


def run(*args: str) -> str:
    out = io.BytesIO()

    class Stdout:
        buffer = out

        def write(self, text):  # pragma: no cover - text output is not used
            out.write(text.encode())

        def flush(self):
            pass

        def isatty(self):
            return False

    import sys

    real = sys.stdout
    sys.stdout = Stdout()
    try:
        call_command("export", *args)
    finally:
        sys.stdout = real
    return out.getvalue().decode("utf-8")


@pytest.mark.django_db
def test_it_writes_a_safe_csv_with_the_period_and_suppression_on_by_default():
    text = run("marac-dataset", "--from", "2025-04-01", "--to", "2025-06-30")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows == [["area", "cases"], ["'=HYPERLINK(1)", "12"], ["Chatham", "'-3"]]
    assert CALLS == [{"date_from": date(2025, 4, 1), "date_to": date(2025, 6, 30), "area": None, "suppress": True}]


@pytest.mark.django_db
def test_it_turns_suppression_off_only_when_asked():
    run("marac-dataset", "--from", "2025-04-01", "--to", "2025-06-30", "--no-suppress")
    assert CALLS[0]["suppress"] is False


@pytest.mark.django_db
def test_it_passes_nothing_a_dataset_does_not_take():
    run("contracts-register")
    assert CALLS == [{}]


@pytest.mark.django_db
def test_it_writes_xlsx_to_a_file(tmp_path):
    target = tmp_path / "out.xlsx"
    call_command(
        "export",
        "marac-dataset",
        "--from",
        "2025-04-01",
        "--to",
        "2025-06-30",
        "--format",
        "xlsx",
        "--output",
        str(target),
    )
    sheet = load_workbook(target).active
    assert sheet.title == "Fake- data"
    assert [c.value for c in sheet[2]] == ["'=HYPERLINK(1)", 12]
    assert sheet[2][0].data_type == "s"  # text, never a formula


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["marac-dataset"], "needs a period"),
        (["marac-dataset", "--from", "2025-13-01", "--to", "2025-06-30"], "--from must be a date"),
        (["marac-dataset", "--from", "2025-07-01", "--to", "2025-06-30"], "on or before"),
        (["marac-dataset", "--from", "2025-04-01", "--to", "2025-06-30", "--area", "Atlantis"], "No area is called"),
        (["contracts-register", "--area", "Medway"], "leave out --area"),
    ],
)
def test_it_explains_bad_arguments(args, message):
    with pytest.raises(CommandError, match=message):
        call_command("export", *args)
    assert CALLS == []


def test_it_refuses_an_unknown_format():
    with pytest.raises(ValueError, match="unknown format"):
        table_bytes(Table(header=["a"], rows=[]), "ods")
