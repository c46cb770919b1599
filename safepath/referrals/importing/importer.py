"""Importing a file: validate every row, then import the good ones in order of `received_at`, chunk by chunk.

Rows are imported in order of `received_at`, so the rules that look back at a person's earlier
referrals (repeat MARAC referrals, police incidents) give the same result whatever the file's order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import IO

from django.http import HttpRequest

from safepath.accounts.models import Organisation, User
from safepath.core.audit import Action, audit_event
from safepath.core.heap import long_lived_set_aside
from safepath.core.roles import OrganisationType
from safepath.referrals.importing.batch import CHUNK, BatchImporter, Good
from safepath.referrals.importing.csvfile import CsvFile, CsvRow, ImportFileError, open_csv
from safepath.referrals.importing.rejects import Reject
from safepath.referrals.importing.rows import RowValidator
from safepath.referrals.models import ImportRun
from safepath.referrals.services import Incoming


@dataclass
class ImportResult:
    header: list[str]
    unknown_columns: list[str]
    imported: int = 0
    skipped: int = 0
    rejects: list[Reject] = field(default_factory=list)
    run: ImportRun | None = None

    @property
    def rejected(self) -> int:
        return len(self.rejects)

    @property
    def summary(self) -> str:
        return f"imported {self.imported}, skipped {self.skipped}, rejected {self.rejected}"

    @property
    def exit_status(self) -> int:
        return 1 if self.rejects else 0


def import_rows(
    csv_file: CsvFile,
    *,
    hub: Organisation | None = None,
    request: HttpRequest | None = None,
    by: User | None = None,
    filename: str = "",
    validator: RowValidator | None = None,
    chunk_size: int = CHUNK,
) -> ImportResult:
    """Import every good row of `csv_file` (see `open_csv()`, `csv_from_dicts()`) and record the run.

    Bad rows are rejected, never fatal. Raises ImportFileError, importing nothing, when no hub is configured.
    Rows are matched and written `chunk_size` at a time (batch.py); the results do not depend on it.
    """
    if hub is None and not Organisation.objects.filter(type=OrganisationType.HUB, is_active=True).exists():
        raise ImportFileError("No single point of access (hub) is configured, so nothing can be imported.")
    validator = validator or RowValidator()
    result = ImportResult(header=csv_file.header, unknown_columns=csv_file.unknown_columns)
    with long_lived_set_aside():  # the collector's full passes cost an import a fifth of its time (core/heap.py)
        good = _validate(csv_file, validator, result)
        run = ImportRun.objects.create(
            by=by, hub=hub, filename=filename[:255], unknown_columns=csv_file.unknown_columns
        )
        importer = BatchImporter(hub=hub, request=request)
        importer.run(good, chunk_size)
    result.imported, result.skipped = importer.imported, importer.skipped
    result.rejects += importer.rejects
    result.rejects.sort(key=lambda reject: reject.line)
    run.imported, run.skipped, run.rejected = result.imported, result.skipped, result.rejected
    run.rejects = [reject.as_json() for reject in result.rejects]
    run.save(update_fields=["imported", "skipped", "rejected", "rejects"])
    audit_event(action=Action.CREATE, request=request, obj=run)
    result.run = run
    return result


def _validate(csv_file: CsvFile, validator: RowValidator, result: ImportResult) -> list[Good]:
    """Validate every row; the good ones come back in the order they are to be imported."""
    good: list[Good] = []
    for row in csv_file.rows:
        outcome = [row.problem] if row.problem else validator(csv_file.mapping(row))
        if isinstance(outcome, Incoming):
            good.append(Good(row.line, outcome, csv_file.original(row)))
        else:
            _reject(result, csv_file, row, outcome)
    # Earlier referrals first, so look-backs (repeats, police incidents) see them; ties keep file order.
    good.sort(key=lambda g: (g.incoming.received_at, g.line))
    return good


def _reject(result: ImportResult, csv_file: CsvFile, row: CsvRow, reasons: list[str]) -> None:
    extra = list(row.values[len(csv_file.header) :])
    result.rejects.append(Reject(line=row.line, reason="; ".join(reasons), row=csv_file.original(row), extra=extra))


def import_file(
    binary: IO[bytes],
    *,
    filename: str = "",
    hub: Organisation | None = None,
    request: HttpRequest | None = None,
    by: User | None = None,
) -> ImportResult:
    """Read, validate and import a CSV file (bytes). Raises ImportFileError when it cannot be read at all."""
    return import_rows(open_csv(binary), hub=hub, request=request, by=by, filename=filename)
