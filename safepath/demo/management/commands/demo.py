"""`safepath demo`: create the database, load a scenario and serve it with gunicorn."""

from __future__ import annotations

import os
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from safepath.demo.scenarios import DEFAULT_SCENARIO, DEMO_PASSWORD, SCENARIOS
from safepath.demo.services import DEFAULT_SEED, scenario_load


class Command(BaseCommand):
    help = "Set up the demo (database, reference data, one account per role) and serve it."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--scenario", default=DEFAULT_SCENARIO, help=f"One of: {', '.join(SCENARIOS)}.")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-serve", action="store_true", help="Set up only; do not start the server.")
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help="Random seed: the same seed gives the same people and records."
        )

    def handle(
        self, *args: Any, scenario: str, port: int, no_serve: bool, seed: int = DEFAULT_SEED, **options: Any
    ) -> None:
        if scenario not in SCENARIOS:
            raise CommandError(f"Unknown scenario {scenario!r}. Choose one of: {', '.join(SCENARIOS)}.")
        if settings.PRODUCTION:
            raise CommandError("The demo cannot run with SAFEPATH_ENV=production: it creates accounts with a published password.")
        call_command("migrate", interactive=False, verbosity=0)
        call_command("createcachetable", verbosity=0)
        accounts = scenario_load(scenario=SCENARIOS[scenario], seed=seed)
        self.stdout.write(self.style.SUCCESS(f"Demo ready: {SCENARIOS[scenario].title}"))
        self.stdout.write(f"Every demo account's password: {DEMO_PASSWORD}")
        for account in accounts:
            self.stdout.write(f"  {account.role:<24} {account.email:<45} {account.organisation}")
        if not no_serve:
            self._serve(port)

    def _serve(self, port: int) -> None:
        self.stdout.write(f"Serving on http://127.0.0.1:{port}/ (Ctrl+C to stop)")
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "safepath.settings", "SAFEPATH_ENV": settings.SAFEPATH_ENV}
        gunicorn = [sys.executable, "-m", "gunicorn", "safepath.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", "2", "--access-logfile", "-"]
        os.execvpe(sys.executable, gunicorn, env)  # noqa: S606 - replaces this process with gunicorn
