"""Rejected rows: what is kept of each, and the rejects file (the original columns plus `line` and `reason`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import IO, Any

from safepath.core.csvsafe import write_csv
from safepath.referrals.importing.csvfile import COLUMNS
from safepath.referrals.models import ImportRun

REJECT_COLUMNS = ("line", "reason")


@dataclass
class Reject:
    line: int
    reason: str
    row: dict[str, str]  # the row as written, by the file's column names
    extra: list[str] = field(default_factory=list)  # values beyond the header's columns, kept so nothing is lost

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"line": self.line, "reason": self.reason, "row": self.row}
        if self.extra:
            data["extra"] = self.extra
        return data


def rejects_header(header: list[str]) -> list[str]:
    return [*header, *REJECT_COLUMNS]


def write_rejects(out: IO[str], header: list[str], rejects: Iterable[Reject | Mapping[str, Any]]) -> None:
    """The rejects file: the original columns plus `line` and `reason`, every cell spreadsheet-safe."""
    rows = []
    for reject in rejects:
        data = reject.as_json() if isinstance(reject, Reject) else reject
        row = data.get("row") or {}
        rows.append([*(row.get(name, "") for name in header), data["line"], data["reason"], *data.get("extra", [])])
    write_csv(out, rejects_header(header), rows)


def run_header(run: ImportRun) -> list[str]:
    """The columns of a run's file: the known ones in the contract's order, then the unknown ones.

    (The rows are stored as JSON objects, whose key order PostgreSQL does not keep.)
    """
    present: set[str] = set()
    for reject in run.rejects:
        present |= set(reject.get("row") or {})

    def position(name: str) -> tuple[int, int, str]:
        if name.strip().lower() in COLUMNS:
            return (0, COLUMNS.index(name.strip().lower()), name)
        return (1, run.unknown_columns.index(name) if name in run.unknown_columns else len(run.unknown_columns), name)

    return sorted(present, key=position)
