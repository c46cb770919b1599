"""Tables people download: one shape, written as CSV or XLSX, for the command line and the browser.

Every export in safepath (the MARAC dataset, the Part 4 return, the contracts register, reports)
builds a `Table` and hands it here, so that spreadsheet safety (INTERFACES.md: a cell starting
`=`, `+`, `-` or `@` is made safe) is applied in one place, for both formats.

A table holds figures as computed; disclosure control is applied before a table is built
(`safepath.reporting.disclosure`), never here.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpResponse

from safepath.core.csvsafe import safe_cell, write_csv

FORMATS = ("csv", "xlsx")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True)
class Table:
    """A header row and data rows. `title` names the XLSX sheet; `notes` go below it there
    (definitions, caveats) and are left out of CSV, whose header must be the first line."""

    header: Sequence[str]
    rows: Sequence[Sequence[Any]]
    title: str = "Data"
    notes: Sequence[str] = field(default_factory=tuple)


def _xlsx_value(value: Any) -> Any:
    """Numbers and dates stay typed (people sum them); text is made safe like CSV.

    openpyxl stores any string starting with "=" as a formula, so text must be escaped here too.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float | Decimal | date | datetime):
        return value
    return safe_cell(value)


def table_bytes(table: Table, fmt: str) -> bytes:
    if fmt == "csv":
        out = io.StringIO(newline="")
        write_csv(out, table.header, table.rows)
        return out.getvalue().encode("utf-8")
    if fmt == "xlsx":
        from openpyxl import Workbook
        from openpyxl.styles import Font

        book = Workbook()
        sheet = book.active
        sheet.title = _sheet_title(table.title)
        sheet.append([_xlsx_value(h) for h in table.header])
        for row in table.rows:
            sheet.append([_xlsx_value(v) for v in row])
        if table.notes:
            sheet.append([])
            for note in table.notes:
                sheet.append([_xlsx_value(note)])
        bold = Font(bold=True)
        for cell in sheet[1]:
            cell.font = bold
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()
    raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")


def _sheet_title(title: str) -> str:
    # Excel: at most 31 characters, none of []:*?/\
    cleaned = "".join("-" if ch in "[]:*?/\\" else ch for ch in title).strip() or "Data"
    return cleaned[:31]


def table_response(table: Table, fmt: str, filename: str) -> HttpResponse:
    """A download. `filename` must say nothing about a person (it appears in logs and history)."""
    response = HttpResponse(table_bytes(table, fmt), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
