"""Reading an import file: UTF-8 (a BOM is accepted), RFC 4180, one header row.

A file that cannot be read at all raises `ImportFileError` and nothing is imported. Records that
cannot be read (bad CSV, the wrong number of values) come back as rows with a `problem`, so that
they are rejected with their line number rather than lost.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import IO, Any

REQUIRED = ("source", "source_ref", "received_at", "first_name", "last_name")
OPTIONAL = (
    "date_of_birth", "sex", "postcode", "area", "risk_level", "dash_score", "professional_judgement_high",
    "police_callouts_12m", "children_in_household", "abuse_types", "perpetrator_first_name",
    "perpetrator_last_name", "perpetrator_date_of_birth", "relationship", "consent",
)  # fmt: skip
COLUMNS = REQUIRED + OPTIONAL


class ImportFileError(Exception):
    """The file could not be read at all; nothing was imported (exit status 2). The message is plain English."""


@dataclass(frozen=True)
class CsvRow:
    """One record of the file: its first line number (the header is line 1) and values by header position."""

    line: int
    values: tuple[str, ...]
    problem: str = ""  # why the record itself is unreadable (wrong number of values), else ""


@dataclass
class CsvFile:
    header: list[str]  # as written in the file
    index: dict[str, int]  # known column (normalised name) -> position
    unknown_columns: list[str]
    rows: Iterator[CsvRow]

    def mapping(self, row: CsvRow) -> dict[str, str]:
        """The row's known columns by name."""
        return {name: row.values[i] if i < len(row.values) else "" for name, i in self.index.items()}

    def original(self, row: CsvRow) -> dict[str, str]:
        """The row as written, by the file's own column names (every column, known or not)."""
        return {name: row.values[i] if i < len(row.values) else "" for i, name in enumerate(self.header)}


def _check_utf8(binary: IO[bytes]) -> None:
    """Read the whole file once, so that a file that is not UTF-8 is refused before anything is imported."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    line = 1
    first = True
    while chunk := binary.read(1 << 20):
        if first and chunk[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
            raise ImportFileError("The file is UTF-16 text, not UTF-8. Save it as “CSV UTF-8” and try again.")
        if first and b"\x00" in chunk[:8192]:
            raise ImportFileError("This is not a CSV file (it contains binary data).")
        first = False
        try:
            decoder.decode(chunk)
        except UnicodeDecodeError as error:
            line += chunk[: error.start].count(b"\n")
            raise ImportFileError(
                f"The file is not UTF-8 text (the first problem is on line {line}). Save it as “CSV UTF-8” and try again."
            ) from None
        line += chunk.count(b"\n")
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        raise ImportFileError(
            f"The file is not UTF-8 text (it ends part-way through a character, line {line})."
        ) from None


def _records(text: IO[str]) -> Iterator[tuple[int, list[str] | None]]:
    """(first line, values) per record; values None when the record is not valid CSV. Blank lines are skipped."""
    reader = csv.reader(text)
    previous = 0
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error:
            yield previous + 1, None
        else:
            if values:
                yield previous + 1, values
        previous = reader.line_num


def open_csv(binary: IO[bytes]) -> CsvFile:
    """Check and open a CSV file given as bytes. Raises ImportFileError when it cannot be read at all."""
    binary.seek(0)
    _check_utf8(binary)
    binary.seek(0)
    text = io.TextIOWrapper(binary, encoding="utf-8-sig", newline="")  # type: ignore[type-var]
    records = _records(text)
    try:
        _line, header = next(records)
    except StopIteration:
        raise ImportFileError("The file is empty.") from None
    if header is None:
        raise ImportFileError("This is not a CSV file: its header row cannot be read.")
    return CsvFile(header=header, **_columns(header), rows=_rows(records, len(header)))


def csv_from_dicts(rows: Iterable[Mapping[str, str]], header: list[str] | None = None) -> CsvFile:
    """Rows that did not come from a file (a feed, a test) in the shape `import_rows()` takes.

    Row n (from 0) is numbered line n + 2, as if the rows followed a header row.
    """
    rows = list(rows)
    header = header or list(dict.fromkeys(name for values in rows for name in values))
    records = ((number + 2, [str(values.get(name, "") or "") for name in header]) for number, values in enumerate(rows))
    return CsvFile(header=header, **_columns(header), rows=_rows(records, len(header)))


def _columns(header: list[str]) -> dict[str, Any]:
    index: dict[str, int] = {}
    unknown: list[str] = []
    for position, name in enumerate(header):
        key = name.strip().lower()
        if key not in COLUMNS:
            unknown.append(name.strip() or f"(column {position + 1} has no name)")
        elif key in index:
            raise ImportFileError(f"The column {key} appears more than once in the header row.")
        else:
            index[key] = position
    missing = [name for name in REQUIRED if name not in index]
    if missing:
        hint = " Columns must be separated by commas." if len(header) == 1 and re.search(r"[;\t|]", header[0]) else ""
        raise ImportFileError(f"The file has no {', '.join(missing)} column{'s' if len(missing) > 1 else ''}.{hint}")
    return {"index": index, "unknown_columns": unknown}


def _rows(records: Iterator[tuple[int, list[str] | None]], width: int) -> Iterator[CsvRow]:
    for line, values in records:
        if values is None:
            yield CsvRow(line, (), "this line is not valid CSV")
        elif len(values) > width and any(v.strip() for v in values[width:]):
            yield CsvRow(line, tuple(values), "this line has more values than the header row has columns")
        elif len(values) < width:
            hint = " (is a quote left open?)" if values and "\n" in values[-1] else ""
            yield CsvRow(line, tuple(values), f"this line has fewer values than the header row has columns{hint}")
        else:
            yield CsvRow(line, tuple(values[:width]))
