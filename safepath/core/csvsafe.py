"""Spreadsheet-safe CSV cells (INTERFACES.md: exports make cells starting `=`, `+`, `-` or `@` safe).

A spreadsheet opening a CSV treats a cell that starts with one of these characters as
a formula, which can run commands or send data elsewhere ("CSV injection"). Prefixing
such a cell with a single quote makes the spreadsheet show it as text. Every CSV that
safepath writes for people to open (exports, import rejects) goes through here.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping, Sequence
from typing import IO, Any

FORMULA_PREFIXES = ("=", "+", "-", "@")
# Tab and carriage return at the start of a cell also let some spreadsheets read a formula.
_ALSO_UNSAFE = ("\t", "\r")


def safe_cell(value: Any) -> str:
    """The value as text a spreadsheet shows as written, never runs as a formula.

    Literal, as the contract says: a negative number is prefixed too (it is shown as text).
    """
    if value is None:
        return ""
    text = str(value)
    if text.startswith(FORMULA_PREFIXES + _ALSO_UNSAFE):
        return "'" + text
    return text


def safe_row(values: Iterable[Any]) -> list[str]:
    return [safe_cell(v) for v in values]


def write_csv(out: IO[str], header: Sequence[str], rows: Iterable[Sequence[Any] | Mapping[str, Any]]) -> None:
    """Write a header row and rows (sequences, or mappings keyed by the header) with every cell made safe.

    `out` should be opened with newline="" (RFC 4180 line endings are written as CRLF).
    """
    writer = csv.writer(out)
    writer.writerow(safe_row(header))
    for row in rows:
        values = [row.get(name, "") for name in header] if isinstance(row, Mapping) else row
        writer.writerow(safe_row(values))
