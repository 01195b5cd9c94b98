"""`signpost insights_refresh [--loop] [--interval SECONDS]`: rebuild the dashboard tallies.

Run it from a scheduler, or with --loop beside the worker; each pass rebuilds every region.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from signpost.insights import services


class Command(BaseCommand):
    help = "Rebuild the insights dashboard's monthly tallies from the other apps' tables."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--loop", action="store_true", help="keep refreshing until stopped")
        parser.add_argument(
            "--interval", type=int, default=300, help="seconds between passes with --loop"
        )
        parser.add_argument(
            "--passes", type=int, default=0, help="with --loop, stop after this many (0: never)"
        )

    def handle(self, *args: Any, loop: bool, interval: int, passes: int, **options: Any) -> None:
        if interval < 1:
            raise CommandError("--interval must be at least 1 second.")
        done = 0
        while True:
            started = time.perf_counter()
            counts = services.summaries_refresh_all()
            done += 1
            summary = ", ".join(f"{slug}: {n} rows" for slug, n in counts.items()) or "no regions"
            self.stdout.write(f"Refreshed in {time.perf_counter() - started:.1f} s ({summary}).")
            if not loop or (passes and done >= passes):
                return
            try:
                time.sleep(interval)
            except KeyboardInterrupt:
                return
