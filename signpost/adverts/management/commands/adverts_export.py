"""`signpost adverts-export OUT.jsonl [--region SLUG]`: one line per advert."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from signpost.adverts.management.commands.adverts_import import region_from
from signpost.adverts.selectors import export_rows
from signpost.adverts.services import export_record
from signpost.core.checks import DATA_COMMAND_CHECKS


class Command(BaseCommand):
    help = "Export adverts as JSON Lines: id, source, group, phones, emails, ages, indicators."
    requires_system_checks = DATA_COMMAND_CHECKS

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("out", type=Path)
        parser.add_argument("--region", default=None, help="Region slug (needed if several).")

    def handle(self, *args: Any, **options: Any) -> None:
        region = region_from(options["region"])
        count = 0
        with options["out"].open("w", encoding="utf-8") as out:
            for row in export_rows(region=region):
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
                count += 1
        export_record(by=None, region=region, adverts=count)
        self.stdout.write(f"{count} adverts written to {options['out']}.")
