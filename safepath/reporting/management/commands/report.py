"""`safepath report` (INTERFACES.md): the commissioner's performance report for a period.

JSON to standard output by default; CSV, XLSX and printable HTML with --format. Disclosure
control is on unless --no-suppress is given (for the service's own use; never publish that).
"""

from __future__ import annotations

import json
import sys
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from safepath.areas.models import Area
from safepath.reporting.exports import report_bytes
from safepath.reporting.metrics.scope import Scope
from safepath.reporting.periods import Period
from safepath.reporting.report import build_report, to_json

FORMATS = ("json", "csv", "xlsx", "docx", "html")
BINARY = {"xlsx", "docx"}


def _date(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{option} must be a date written YYYY-MM-DD, for example 2025-04-01.") from None


def _area(name: str | None) -> Area | None:
    if not name:
        return None
    area = Area.objects.filter(name__iexact=name.strip()).first()
    if area is None:
        known = ", ".join(Area.objects.order_by("name").values_list("name", flat=True)) or "none configured"
        raise CommandError(f"No area is called {name!r}. Areas: {known}.")
    return area


class Command(BaseCommand):
    help = "The commissioner's performance report for a period (JSON by default)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--from", dest="date_from", required=True, help="First day, YYYY-MM-DD.")
        parser.add_argument("--to", dest="date_to", required=True, help="Last day, YYYY-MM-DD (included).")
        parser.add_argument("--area", help="Name of a configured area; the areas inside it are included.")
        parser.add_argument(
            "--format", default="json", choices=FORMATS, help="json (default), csv, xlsx, docx or html."
        )
        parser.add_argument("--output", help="File to write (default: standard output).")
        parser.add_argument(
            "--no-suppress",
            action="store_true",
            help="Show small counts as they are (for the service's own use; never publish the result).",
        )

    def handle(
        self,
        *args: Any,
        date_from: str,
        date_to: str,
        area: str | None,
        format: str,
        output: str | None,
        no_suppress: bool = False,
        **options: Any,
    ) -> None:
        first, last = _date(date_from, "--from"), _date(date_to, "--to")
        if first > last:
            raise CommandError("--from must be on or before --to.")
        chosen = _area(area)
        scope = Scope.for_areas(Period(first, last), [chosen.pk] if chosen else None)
        report = build_report(scope, area=chosen.name if chosen else None, suppress=not no_suppress)
        if format == "json":
            data = (json.dumps(to_json(report), indent=2, ensure_ascii=False) + "\n").encode("utf-8")
        else:
            data = report_bytes(report, format)
        self._write(data, format, output)

    def _write(self, data: bytes, format: str, output: str | None) -> None:
        if output:
            with open(output, "wb") as handle:
                handle.write(data)
        elif format in BINARY and sys.stdout.isatty():
            raise CommandError(
                f"{format.upper()} is binary: give --output FILE, or redirect standard output to a file."
            )
        else:
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
