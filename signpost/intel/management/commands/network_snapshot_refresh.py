"""Recompute the largest networks of each region for the network page.

Run periodically: `signpost network_snapshot_refresh --loop 3600` (or from cron without --loop).
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from signpost.core.models import Region
from signpost.intel.services import network_snapshot_refresh


class Command(BaseCommand):
    help = "Recompute each region's largest networks (the network page lists them)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--region", help="Slug of one region (default: every region).")
        parser.add_argument(
            "--loop",
            type=float,
            metavar="SECONDS",
            help="keep running, recomputing every SECONDS",
        )

    def handle(self, *args: Any, loop: float | None = None, **options: Any) -> None:
        while True:
            regions = Region.objects.order_by("pk")
            if options.get("region"):
                regions = regions.filter(slug=options["region"])
            for region in regions:
                snapshot = network_snapshot_refresh(region=region)
                if options["verbosity"] > 0:
                    self.stdout.write(
                        f"{region.slug}: {snapshot.networks.count()} networks from "
                        f"{snapshot.item_count} items in {snapshot.seconds:.1f} s"
                    )
            if not loop:
                return
            time.sleep(loop)
