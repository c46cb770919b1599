"""`safepath bench`: run the benchmarks in bench/ and print one JSON object per benchmark.

Benchmarks are scripts that print figures, not tests. The work is done by
bench/run.py in a subprocess, so its settings (by default a throwaway SQLite
database in a temporary directory) are loaded fresh and never those of this
process, which may point at the developer's demo database.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

REPO_ROOT = Path(__file__).resolve().parents[4]


def _bench_package() -> Any:
    if not (REPO_ROOT / "bench" / "__init__.py").exists():
        raise CommandError(f"No bench/ package in {REPO_ROOT}: run from a source checkout.")
    if str(REPO_ROOT) not in sys.path:
        sys.path.insert(0, str(REPO_ROOT))
    import bench

    return bench


class Command(BaseCommand):
    help = "Run benchmarks from bench/ (default all) and print their figures as JSON, one object per line."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("names", nargs="*", metavar="NAME", help="Benchmarks to run (default all).")
        parser.add_argument(
            "--requests", type=int, default=200, help="Timed requests per benchmark (per role for home)."
        )
        parser.add_argument(
            "--database",
            choices=("sqlite", "current"),
            default="sqlite",
            help="sqlite: a throwaway SQLite database in a temporary directory (default); current: DATABASE_URL as configured.",
        )

    def handle(self, *args: Any, names: list[str], requests: int, database: str, **options: Any) -> None:
        available = _bench_package().names()
        unknown = [name for name in names if name not in available]
        if unknown:
            raise CommandError(f"Unknown benchmark(s) {', '.join(unknown)}. Available: {', '.join(available)}.")
        if requests < 1:
            raise CommandError("--requests must be at least 1.")
        command = [
            sys.executable,
            str(REPO_ROOT / "bench" / "run.py"),
            *names,
            "--requests",
            str(requests),
            "--database",
            database,
        ]
        with subprocess.Popen(command, cwd=REPO_ROOT, stdout=subprocess.PIPE, text=True) as process:  # noqa: S603 - our own script
            assert process.stdout is not None
            for line in process.stdout:
                self.stdout.write(line, ending="")
                self.stdout.flush()
        if process.returncode:
            raise CommandError(f"bench/run.py exited with status {process.returncode}.")
