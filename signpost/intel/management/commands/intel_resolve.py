"""Propose matches between people of case files and referrals, region by region.

Run by a scheduler (e.g. nightly): `signpost intel_resolve [--region west-midlands]`.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from signpost.core.models import Region
from signpost.intel import resolution


class Command(BaseCommand):
    help = "Propose possible matches between people across case files and referrals."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--region", help="Slug of one region (default: every region).")

    def handle(self, *args: Any, **options: Any) -> None:
        regions = Region.objects.all()
        if options.get("region"):
            regions = regions.filter(slug=options["region"])
        for region in regions:
            started = time.monotonic()
            result = resolution.resolution_run(region=region)
            self.stdout.write(
                f"{region.slug}: {result.records} records, {result.exact} exact pairs, "
                f"{result.probabilistic} probabilistic pairs, {result.proposed} proposed "
                f"({time.monotonic() - started:.1f}s)"
            )
