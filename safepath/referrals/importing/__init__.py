"""Bulk referral import (INTERFACES.md, "Referral import CSV"): read, validate, import.

Three steps, each usable on its own:
- `open_csv()` (csvfile.py) reads the file: UTF-8 (a BOM is accepted), RFC 4180, one header row. A
  file that cannot be read at all raises `ImportFileError` and nothing is imported.
- `RowValidator` (rows.py) turns one row into an `Incoming` or a list of plain-English reasons.
  Reasons never repeat the values, which may be personal data: they name the column and what it needs.
- `import_rows()` (importer.py) imports the good rows in order of `received_at`, a chunk at a time
  (batch.py: one candidate query, bulk inserts and one transaction per chunk), skips rows whose
  (`source`, `source_ref`) was seen before, and records an `ImportRun`. Rejected rows and the
  rejects file are in rejects.py; the runs a user may see in runs.py.
"""

from safepath.referrals.importing.batch import CHUNK, BatchImporter
from safepath.referrals.importing.csvfile import (
    COLUMNS,
    OPTIONAL,
    REQUIRED,
    CsvFile,
    CsvRow,
    ImportFileError,
    csv_from_dicts,
    open_csv,
)
from safepath.referrals.importing.importer import ImportResult, import_file, import_rows
from safepath.referrals.importing.rejects import REJECT_COLUMNS, Reject, rejects_header, run_header, write_rejects
from safepath.referrals.importing.rows import LONDON, RowValidator
from safepath.referrals.importing.runs import import_runs_for, own_import_runs

__all__ = [
    "CHUNK",
    "COLUMNS",
    "LONDON",
    "OPTIONAL",
    "REJECT_COLUMNS",
    "REQUIRED",
    "BatchImporter",
    "CsvFile",
    "CsvRow",
    "ImportFileError",
    "ImportResult",
    "Reject",
    "RowValidator",
    "csv_from_dicts",
    "import_file",
    "import_rows",
    "import_runs_for",
    "open_csv",
    "own_import_runs",
    "rejects_header",
    "run_header",
    "write_rejects",
]
