"""Bulk referral import (INTERFACES.md, "Referral import CSV"): read, validate, import row by row.

Three steps, each usable on its own:
- `open_csv()` reads the file: UTF-8 (a BOM is accepted), RFC 4180, one header row. A file
  that cannot be read at all raises `ImportFileError` and nothing is imported.
- `RowValidator` turns one row into an `Incoming` or a list of plain-English reasons. Reasons
  never repeat the values, which may be personal data: they name the column and what it needs.
- `import_rows()` imports the good rows, each in its own transaction (`referral_receive`),
  skips rows whose (`source`, `source_ref`) was seen before, and records an `ImportRun`.

Rows are imported in order of `received_at`, so the rules that look back at a person's earlier
referrals (repeat MARAC referrals, police incidents) give the same result whatever the file's order.
"""

from __future__ import annotations

import codecs
import csv
import io
import logging
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import IO, Any
from zoneinfo import ZoneInfo

from django.db import IntegrityError
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from safepath.accounts.models import Organisation, User
from safepath.areas.models import Area
from safepath.areas.selectors import area_for_postcode
from safepath.core.audit import Action, audit_event
from safepath.core.csvsafe import write_csv
from safepath.core.roles import OrganisationType
from safepath.people.choices import RelationshipType, Sex
from safepath.people.matching import postcode_compact
from safepath.referrals import rules as perms
from safepath.referrals.choices import AbuseType, Channel, Consent, RiskLevel, Source
from safepath.referrals.models import ImportRun, Referral
from safepath.referrals.services import Incoming, default_hub, referral_receive

logger = logging.getLogger(__name__)

LONDON = ZoneInfo("Europe/London")
REQUIRED = ("source", "source_ref", "received_at", "first_name", "last_name")
OPTIONAL = (
    "date_of_birth", "sex", "postcode", "area", "risk_level", "dash_score", "professional_judgement_high",
    "police_callouts_12m", "children_in_household", "abuse_types", "perpetrator_first_name",
    "perpetrator_last_name", "perpetrator_date_of_birth", "relationship", "consent",
)  # fmt: skip
COLUMNS = REQUIRED + OPTIONAL
REJECT_COLUMNS = ("line", "reason")
NAME_MAX = 100
SOURCE_REF_MAX = 100
OLDEST_AGE_YEARS = 120
CHUNK = 500  # rows looked up together for "seen before"
# UK postcode shape (outward code, then inward digit and two letters), after removing spaces.
POSTCODE = re.compile(r"^(GIR0AA|[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2})$")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
WHOLE_NUMBER = re.compile(r"^\d+$")
YES_NO = {"yes": True, "no": False, "": None}


class ImportFileError(Exception):
    """The file could not be read at all; nothing was imported (exit status 2). The message is plain English."""


# ---------------------------------------------------------------- reading


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


# ---------------------------------------------------------------- validating


def _choices(values: Iterable[str]) -> str:
    values = list(values)
    return ", ".join(values[:-1]) + " or " + values[-1]


class RowValidator:
    """One row to an `Incoming`, or the reasons it cannot be imported. Caches the configured areas by name."""

    def __init__(self, *, now: datetime | None = None) -> None:
        self.now = now or timezone.now()
        self._areas: dict[str, Area] | None = None

    def areas(self) -> dict[str, Area]:
        if self._areas is None:
            self._areas = {area.name.strip().casefold(): area for area in Area.objects.select_related("parent")}
        return self._areas

    def __call__(self, row: Mapping[str, str]) -> Incoming | list[str]:
        values = {name: (row.get(name) or "").strip() for name in COLUMNS}
        reasons: list[str] = []
        if any("\x00" in v for v in values.values()):
            return ["this line contains a NUL character"]
        source = self._choice(values, "source", Source.values, reasons, required=True)
        source_ref = self._text(values, "source_ref", SOURCE_REF_MAX, reasons, required=True)
        received_at = self._received_at(values["received_at"], reasons)
        first_name = self._text(values, "first_name", NAME_MAX, reasons, required=True)
        last_name = self._text(values, "last_name", NAME_MAX, reasons, required=True)
        date_of_birth = self._birth_date(values, "date_of_birth", received_at, reasons)
        incoming = Incoming(
            channel=Channel.IMPORT,
            source=source,
            source_ref=source_ref,
            received_at=received_at,  # type: ignore[arg-type]
            first_name=first_name,
            last_name=last_name,
            date_of_birth=date_of_birth,
            sex=self._choice(values, "sex", Sex.values, reasons) or Sex.UNKNOWN,
            postcode=self._postcode(values["postcode"], reasons),
            area=self._area(values["area"], reasons),
            sent_risk_level=self._choice(values, "risk_level", RiskLevel.values, reasons),
            dash_score=self._number(values, "dash_score", 24, reasons),
            professional_judgement_high=self._yes_no(values, "professional_judgement_high", reasons),
            police_callouts_12m=self._number(values, "police_callouts_12m", 999, reasons),
            children_in_household=self._number(values, "children_in_household", 30, reasons),
            abuse_types=self._abuse_types(values["abuse_types"], reasons),
            relationship=self._choice(values, "relationship", RelationshipType.values, reasons),
            consent=self._choice(values, "consent", Consent.values, reasons) or Consent.NOT_ASKED,
            perpetrator=self._perpetrator(values, received_at, reasons),
            submitted={"import": {name: value for name, value in values.items() if value}},
        )
        return reasons or incoming

    @staticmethod
    def _text(values: dict[str, str], name: str, limit: int, reasons: list[str], required: bool = False) -> str:
        value = values[name]
        if required and not value:
            reasons.append(f"{name} is missing")
        elif len(value) > limit:
            reasons.append(f"{name} is longer than {limit} characters")
        return value

    @staticmethod
    def _choice(
        values: dict[str, str], name: str, allowed: list[str], reasons: list[str], required: bool = False
    ) -> str:
        value = values[name].lower()
        if not value:
            if required:
                reasons.append(f"{name} is missing")
            return ""
        if value not in allowed:
            reasons.append(f"{name} must be {_choices(allowed)}" + ("" if required else ", or blank"))
        return value

    @staticmethod
    def _number(values: dict[str, str], name: str, highest: int, reasons: list[str]) -> int | None:
        value = values[name]
        if not value:
            return None
        if not WHOLE_NUMBER.match(value) or int(value) > highest:
            reasons.append(f"{name} must be a whole number from 0 to {highest}, or blank")
            return None
        return int(value)

    @staticmethod
    def _yes_no(values: dict[str, str], name: str, reasons: list[str]) -> bool | None:
        value = values[name].lower()
        if value not in YES_NO:
            reasons.append(f"{name} must be yes, no or blank")
        return YES_NO.get(value)

    def _received_at(self, value: str, reasons: list[str]) -> datetime | None:
        if not value:
            reasons.append("received_at is missing")
            return None
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            reasons.append(
                "received_at must be an ISO 8601 date or date-time, for example 2026-03-10 or 2026-03-10T14:30"
            )
            return None
        if moment.tzinfo is None:  # a date, or a local time: Europe/London
            moment = moment.replace(tzinfo=LONDON)
        if moment > self.now + timedelta(minutes=5):
            reasons.append("received_at is in the future")
            return None
        return moment

    @staticmethod
    def _birth_date(values: dict[str, str], name: str, received_at: datetime | None, reasons: list[str]) -> date | None:
        value = values[name]
        if not value:
            return None
        try:
            born = date.fromisoformat(value) if ISO_DATE.match(value) else None
        except ValueError:
            born = None
        if born is None:
            reasons.append(f"{name} must be a real date in the form YYYY-MM-DD, or blank")
            return None
        on = received_at.astimezone(LONDON).date() if received_at else timezone.localdate()
        if born > on:
            reasons.append(f"{name} is after received_at")
        elif on.year - born.year > OLDEST_AGE_YEARS:
            reasons.append(f"{name} is more than {OLDEST_AGE_YEARS} years before received_at")
        return born

    @staticmethod
    def _postcode(value: str, reasons: list[str]) -> str:
        compact = postcode_compact(value)
        if compact and not POSTCODE.match(compact):
            reasons.append("postcode is not a UK postcode")
            return ""
        return compact

    def _area(self, value: str, reasons: list[str]) -> Area | None:
        if not value:
            return None
        area = self.areas().get(value.casefold())
        if area is None:
            reasons.append("area is not the name of a configured area (leave it blank to use the postcode)")
        return area

    @staticmethod
    def _abuse_types(value: str, reasons: list[str]) -> list[str]:
        types = [part.strip().lower() for part in value.split(";") if part.strip()]
        if any(t not in AbuseType.values for t in types):
            reasons.append(f"abuse_types must be a ;-separated list from: {', '.join(AbuseType.values)}")
            return []
        return sorted(set(types))

    def _perpetrator(
        self, values: dict[str, str], received_at: datetime | None, reasons: list[str]
    ) -> dict[str, Any] | None:
        first = self._text(values, "perpetrator_first_name", NAME_MAX, reasons)
        last = self._text(values, "perpetrator_last_name", NAME_MAX, reasons)
        born = self._birth_date(values, "perpetrator_date_of_birth", received_at, reasons)
        if not (first or last):
            return None
        return {"first_name": first, "last_name": last, "date_of_birth": born}


# ---------------------------------------------------------------- importing


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


@dataclass
class _Good:
    line: int
    incoming: Incoming
    original: dict[str, str]

    @property
    def key(self) -> tuple[str, str]:
        return (self.incoming.source, self.incoming.source_ref)


class _Places:
    """Areas by postcode and hubs by area, looked up once per import rather than once per row."""

    def __init__(self, hub: Organisation | None) -> None:
        self.hub = hub
        self._areas: dict[str, Area | None] = {}
        self._hubs: dict[int | None, Organisation | None] = {}

    def area(self, incoming: Incoming) -> Area | None:
        if incoming.area is not None or not incoming.postcode:
            return incoming.area
        outward = incoming.postcode[:-3]
        if outward not in self._areas:
            self._areas[outward] = area_for_postcode(incoming.postcode)
        return self._areas[outward]

    def hub_for(self, area: Area | None) -> Organisation | None:
        if self.hub is not None:
            return self.hub
        key = area.pk if area else None
        if key not in self._hubs:
            self._hubs[key] = default_hub(area)
        return self._hubs[key]


def import_rows(
    csv_file: CsvFile,
    *,
    hub: Organisation | None = None,
    request: HttpRequest | None = None,
    by: User | None = None,
    filename: str = "",
    validator: RowValidator | None = None,
) -> ImportResult:
    """Import every good row of `csv_file` (see `open_csv()`, `csv_from_dicts()`) and record the run.

    Bad rows are rejected, never fatal. Raises ImportFileError, importing nothing, when no hub is configured.
    """
    if hub is None and not Organisation.objects.filter(type=OrganisationType.HUB, is_active=True).exists():
        raise ImportFileError("No single point of access (hub) is configured, so nothing can be imported.")
    validator = validator or RowValidator()
    result = ImportResult(header=csv_file.header, unknown_columns=csv_file.unknown_columns)
    good = _validate(csv_file, validator, result)
    run = ImportRun.objects.create(by=by, hub=hub, filename=filename[:255], unknown_columns=csv_file.unknown_columns)
    places = _Places(hub)
    seen: set[tuple[str, str]] = set()
    for start in range(0, len(good), CHUNK):
        chunk = good[start : start + CHUNK]
        seen |= _already_received([row.key for row in chunk])
        for row in chunk:
            _import_one(row, seen, places, request, result, csv_file)
    result.rejects.sort(key=lambda reject: reject.line)
    run.imported, run.skipped, run.rejected = result.imported, result.skipped, result.rejected
    run.rejects = [reject.as_json() for reject in result.rejects]
    run.save(update_fields=["imported", "skipped", "rejected", "rejects"])
    audit_event(action=Action.CREATE, request=request, obj=run)
    result.run = run
    return result


def _validate(csv_file: CsvFile, validator: RowValidator, result: ImportResult) -> list[_Good]:
    """Validate every row; the good ones come back in the order they are to be imported."""
    good: list[_Good] = []
    for row in csv_file.rows:
        outcome = [row.problem] if row.problem else validator(csv_file.mapping(row))
        if isinstance(outcome, Incoming):
            good.append(_Good(row.line, outcome, csv_file.original(row)))
        else:
            _reject(result, csv_file, row, outcome)
    # Earlier referrals first, so look-backs (repeats, police incidents) see them; ties keep file order.
    good.sort(key=lambda g: (g.incoming.received_at, g.line))
    return good


def _reject(result: ImportResult, csv_file: CsvFile, row: CsvRow, reasons: list[str]) -> None:
    extra = list(row.values[len(csv_file.header) :])
    result.rejects.append(Reject(line=row.line, reason="; ".join(reasons), row=csv_file.original(row), extra=extra))


def _already_received(keys: list[tuple[str, str]]) -> set[tuple[str, str]]:
    """Which of these (source, source_ref) pairs exist: one query, using the unique index on both."""
    by_source: dict[str, set[str]] = {}
    for source, ref in keys:
        by_source.setdefault(source, set()).add(ref)
    condition = Q()
    for source, refs in by_source.items():
        condition |= Q(source=source, source_ref__in=refs)
    return set(Referral.objects.filter(condition).values_list("source", "source_ref")) if by_source else set()


def _import_one(
    row: _Good,
    seen: set[tuple[str, str]],
    places: _Places,
    request: HttpRequest | None,
    result: ImportResult,
    csv_file: CsvFile,
) -> None:
    if row.key in seen:
        result.skipped += 1
        return
    incoming = row.incoming
    incoming.area = places.area(incoming)
    try:
        referral_receive(incoming=incoming, request=request, hub=places.hub_for(incoming.area), auto_link=True)
    except IntegrityError as error:
        # Another import received the same (source, source_ref) since we looked: seen before.
        if Referral.objects.filter(source=incoming.source, source_ref=incoming.source_ref).exists():
            result.skipped += 1
            seen.add(row.key)
            return
        _not_saved(result, csv_file, row, error)
    except Exception as error:  # one row's failure must never stop the import
        _not_saved(result, csv_file, row, error)
    else:
        result.imported += 1
        seen.add(row.key)


def _not_saved(result: ImportResult, csv_file: CsvFile, row: _Good, error: Exception) -> None:
    # The error's class only: its message may quote the row's values.
    logger.error("import: line %s could not be saved (%s)", row.line, type(error).__name__)
    result.rejects.append(
        Reject(line=row.line, reason="this row could not be saved; check its values", row=row.original)
    )


# ---------------------------------------------------------------- the whole file, the rejects, the runs


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


def import_runs_for(user: object) -> QuerySet[ImportRun]:
    """Runs at the hub the user is acting for, if they may import there (deny by default)."""
    membership = getattr(user, "current_membership", None)
    if membership is None or not user.has_perm(perms.IMPORT):  # type: ignore[attr-defined]
        return ImportRun.objects.none()
    return ImportRun.objects.filter(hub=membership.organisation).select_related("by").order_by("-started_at", "-pk")


def own_import_runs(user: object) -> QuerySet[ImportRun]:
    """Runs the user made themself at that hub: only they may download the rejected rows."""
    return import_runs_for(user).filter(by_id=getattr(user, "pk", None))
