"""`safepath import_referrals FILE.csv [--rejects OUT.csv] [--hub NAME]` (INTERFACES.md, "Referral import CSV").

Prints one summary line, `imported N, skipped N, rejected N`, and exits 0 when nothing was
rejected, 1 when some rows were rejected, 2 when the file could not be read at all.
Anything else it has to say (unknown columns, why the file was refused) goes to stderr.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from safepath.accounts.models import Organisation
from safepath.core.roles import OrganisationType
from safepath.referrals.importing import ImportFileError, ImportResult, import_file, write_rejects

EXIT_UNREADABLE = 2


def default_rejects_path(path: Path) -> Path:
    """FILE.csv -> FILE.rejects.csv (beside it); another name gets `.rejects.csv` added."""
    if path.suffix.lower() == ".csv":
        return path.with_name(path.name[: -len(path.suffix)] + ".rejects.csv")
    return path.with_name(path.name + ".rejects.csv")


class Command(BaseCommand):
    help = "Import referrals from a CSV file (INTERFACES.md). Exit status 0: all imported or skipped; 1: some rows rejected; 2: file unreadable."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", metavar="FILE.csv", help="The CSV file to import (UTF-8, one header row).")
        parser.add_argument(
            "--rejects", metavar="OUT.csv", help="Where to write rejected rows (default FILE.rejects.csv)."
        )
        parser.add_argument(
            "--hub",
            metavar="NAME",
            help="The single point of access to receive every referral (default: the hub serving each row's area).",
        )

    def handle(self, *args: Any, file: str, rejects: str | None, hub: str | None, **options: Any) -> None:
        status = self.run_import(Path(file), Path(rejects) if rejects else None, hub)
        if status:
            sys.exit(status)

    def run_import(self, path: Path, rejects_path: Path | None, hub_name: str | None) -> int:
        hub = self._hub(hub_name)
        try:
            with path.open("rb") as binary:
                result = import_file(binary, filename=path.name, hub=hub)
        except (OSError, ImportFileError) as error:
            self.stdout.write("imported 0, skipped 0, rejected 0")
            self.stderr.write(f"{path.name}: {_plain(error)} Nothing was imported.")
            return EXIT_UNREADABLE
        self._report(result, rejects_path or default_rejects_path(path))
        return result.exit_status

    def _hub(self, name: str | None) -> Organisation | None:
        if name is None:
            return None
        hub = Organisation.objects.filter(type=OrganisationType.HUB, is_active=True, name__iexact=name.strip()).first()
        if hub is None:
            raise CommandError(
                f"No active single point of access (hub) is called {name!r}.", returncode=EXIT_UNREADABLE
            )
        return hub

    def _report(self, result: ImportResult, rejects_path: Path) -> None:
        if result.unknown_columns:
            self.stderr.write(
                f"These columns are not part of the import and were ignored: {', '.join(result.unknown_columns)}."
            )
        if result.rejects:
            try:
                with rejects_path.open("w", encoding="utf-8", newline="") as out:
                    write_rejects(out, result.header, result.rejects)
            except OSError:
                self.stderr.write(
                    f"The rejects file {rejects_path} could not be written; the rejected rows are kept with import run {result.run.pk if result.run else '?'}."
                )
            else:
                self.stderr.write(f"Rejected rows, with their line numbers and reasons, are in {rejects_path}.")
        self.stdout.write(result.summary)


def _plain(error: Exception) -> str:
    if isinstance(error, ImportFileError):
        return str(error)
    if isinstance(error, FileNotFoundError):
        return "There is no such file."
    if isinstance(error, IsADirectoryError):
        return "This is a folder, not a file."
    if isinstance(error, PermissionError):
        return "You do not have permission to read this file."
    return "The file could not be read."
