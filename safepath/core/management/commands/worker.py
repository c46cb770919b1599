"""`safepath worker`: run background tasks and enqueue periodic jobs when due."""

from __future__ import annotations

import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

from safepath.core.periodic import enqueue_due_jobs


class Command(BaseCommand):
    help = "Run queued background tasks, enqueueing periodic jobs when they are due."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--interval", type=float, default=5.0, help="Seconds between polls.")
        parser.add_argument("--once", action="store_true", help="Enqueue due jobs, drain the queue, exit.")

    def handle(self, *args: Any, interval: float, once: bool, **options: Any) -> None:
        while True:
            for name in enqueue_due_jobs():
                self.stdout.write(f"enqueued {name}")
            call_command("db_worker", batch=True, interval=0, verbosity=0, startup_delay=False)
            if once:
                return
            time.sleep(interval)
