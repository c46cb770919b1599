"""`safepath export NAME` (INTERFACES.md): the statutory and published datasets as CSV or XLSX.

Each export is a function in its own app, named here, taking keyword arguments
`date_from`, `date_to` (dates), `area` (an Area or None) and `suppress` (disclosure control on,
the default, or off with --no-suppress) where they apply, and returning a
`safepath.core.exports.Table`. The command parses and checks the arguments, then writes the
table; the same functions back the download buttons in the browser.
"""

from __future__ import annotations

import sys
from datetime import date
from importlib import import_module
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from safepath.core.exports import FORMATS, table_bytes

# name -> (dotted path of the function, needs a period, accepts --area, applies disclosure control)
EXPORTS: dict[str, tuple[str, bool, bool, bool]] = {
    "marac-dataset": ("safepath.marac.exports.marac_dataset", True, True, True),
    "part4-return": ("safepath.accommodation.exports.part4_return", True, True, True),
    # Contracts are public by law and hold no one's personal data: nothing to suppress.
    "contracts-register": ("safepath.commissioning.exports.contracts_register", False, False, False),
}


def _date(text: str | None, option: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{option} must be a date written YYYY-MM-DD, for example 2025-04-01.") from None


def export_function(name: str) -> Any:
    module_name, _, function_name = EXPORTS[name][0].rpartition(".")
    return getattr(import_module(module_name), function_name)


class Command(BaseCommand):
    help = "Write a dataset (MARAC dataset, Part 4 return, contracts register) as CSV or XLSX."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("name", choices=sorted(EXPORTS), help="Which dataset.")
        parser.add_argument("--from", dest="date_from", help="First day of the period, YYYY-MM-DD.")
        parser.add_argument("--to", dest="date_to", help="Last day of the period, YYYY-MM-DD.")
        parser.add_argument("--area", help="Name of a configured area (default: every area).")
        parser.add_argument("--format", default="csv", choices=FORMATS, help="csv (default) or xlsx.")
        parser.add_argument("--output", help="File to write (default: standard output).")
        parser.add_argument(
            "--no-suppress",
            action="store_true",
            help="Show small counts as they are (for the service's own use; never publish the result).",
        )

    def handle(
        self,
        *args: Any,
        name: str,
        date_from: str | None,
        date_to: str | None,
        area: str | None,
        format: str,
        output: str | None,
        no_suppress: bool = False,
        **options: Any,
    ) -> None:
        _, needs_period, accepts_area, suppressible = EXPORTS[name]
        start, end = _date(date_from, "--from"), _date(date_to, "--to")
        if needs_period and (start is None or end is None):
            raise CommandError(f"{name} needs a period: give --from and --to.")
        if start and end and start > end:
            raise CommandError("--from must be on or before --to.")
        if area and not accepts_area:
            raise CommandError(f"{name} covers every area; leave out --area.")
        area_obj = None
        if area:
            from safepath.areas.models import Area

            area_obj = Area.objects.filter(name__iexact=area.strip()).first()
            if area_obj is None:
                known = ", ".join(Area.objects.order_by("name").values_list("name", flat=True)) or "none configured"
                raise CommandError(f"No area is called {area!r}. Areas: {known}.")
        kwargs: dict[str, Any] = {}
        if needs_period:
            kwargs.update(date_from=start, date_to=end)
        if accepts_area:
            kwargs["area"] = area_obj
        if suppressible:
            kwargs["suppress"] = not no_suppress
        data = table_bytes(export_function(name)(**kwargs), format)
        if output:
            with open(output, "wb") as handle:
                handle.write(data)
        elif format == "xlsx" and sys.stdout.isatty():
            raise CommandError("XLSX is binary: give --output FILE, or redirect standard output to a file.")
        else:
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
