import time
from typing import Any

from django.core.management.base import BaseCommand

from signpost.core.database import planner_statistics_refresh


class Command(BaseCommand):
    help = "Refresh the database's query-planner statistics (run after bulk loads, and hourly)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--loop",
            type=float,
            metavar="SECONDS",
            help="keep running, refreshing every SECONDS",
        )

    def handle(self, *args: Any, loop: float | None = None, **options: Any) -> None:
        while True:
            planner_statistics_refresh()
            if options["verbosity"] > 1:
                self.stdout.write("Planner statistics refreshed.")
            if not loop:
                return
            time.sleep(loop)
