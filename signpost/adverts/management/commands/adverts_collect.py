"""`signpost adverts-collect --source NAME URL... [--region SLUG]`: collect and import."""

from __future__ import annotations

import io
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from signpost.adverts.collector import Collector, CollectorConfig, CollectorError
from signpost.adverts.management.commands.adverts_import import region_from
from signpost.adverts.services import adverts_import
from signpost.core.checks import DATA_COMMAND_CHECKS


class Command(BaseCommand):
    help = (
        "Collect adverts from configured pages (http/https, public addresses only) and import them."
    )
    requires_system_checks = DATA_COMMAND_CHECKS

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("urls", nargs="+")
        parser.add_argument("--source", required=True)
        parser.add_argument("--region", default=None)
        parser.add_argument(
            "--interval", type=float, default=2.0, help="Seconds between requests to one host."
        )
        parser.add_argument("--timeout", type=float, default=10.0)
        parser.add_argument(
            "--allow-private-addresses",
            action="store_true",
            help="Allow private and loopback addresses (for testing only).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        region = region_from(options["region"])
        collector = Collector(
            CollectorConfig(
                source=options["source"],
                urls=options["urls"],
                allow_private=options["allow_private_addresses"],
                timeout=options["timeout"],
                min_interval=options["interval"],
            )
        )
        try:
            adverts = collector.collect()
        except CollectorError as error:
            raise CommandError(str(error)) from error
        finally:
            collector.close()
        payload = "".join(json.dumps(advert, ensure_ascii=False) + "\n" for advert in adverts)
        result = adverts_import(
            stream=io.BytesIO(payload.encode()),
            region=region,
            by=None,
            file_format="jsonl",
            default_source=options["source"],
        )
        self.stdout.write(
            f"{len(adverts)} adverts collected: {result.created} new, {result.updated} updated, "
            f"{result.unchanged} unchanged, {result.error_count} malformed."
        )
