"""`signpost seed --scale N`: N referrals (when the referrals app is installed), N/2 cases."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from signpost.cases.seeding import seed as seed_database
from signpost.core.database import planner_statistics_refresh


class Command(BaseCommand):
    help = (
        "Fill the database with believable West Midlands data: N referrals, N/2 cases with "
        "their people, identifiers, places, notes and tasks. For benchmarks and trials."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--scale", type=int, default=1000, help="number of referrals (N)")
        parser.add_argument(
            "--seed", dest="rng_seed", type=int, default=2026, help="random seed (repeatable data)"
        )

    def handle(self, *args: Any, scale: int, rng_seed: int, **options: Any) -> None:
        if settings.SIGNPOST_ENV == "production":
            raise CommandError("Seeding is for development and benchmarks, never production.")
        if scale < 1:
            raise CommandError("--scale must be at least 1.")
        started = time.perf_counter()
        verbosity = int(options.get("verbosity", 1))

        def progress(message: str) -> None:
            if verbosity >= 2:
                self.stdout.write(message)

        world = seed_database(scale=scale, rng_seed=rng_seed, progress=progress)
        planner_statistics_refresh()
        counts = ", ".join(f"{value} {name}" for name, value in world.counts.items())
        elapsed = time.perf_counter() - started
        if verbosity >= 1:
            self.stdout.write(self.style.SUCCESS(f"Seeded {counts} in {elapsed:.1f} s."))
