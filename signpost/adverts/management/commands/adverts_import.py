"""`signpost adverts-import FILE [--source NAME] [--region SLUG]`: import collected adverts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from signpost.adverts.services import adverts_import
from signpost.core.checks import DATA_COMMAND_CHECKS
from signpost.core.models import Region


def region_from(slug: str | None) -> Region:
    if slug:
        try:
            return Region.objects.get(slug=slug)
        except Region.DoesNotExist as error:
            raise CommandError(f"No region with the slug {slug!r}.") from error
    regions = list(Region.objects.all()[:2])
    if len(regions) != 1:
        raise CommandError("Name the region with --region SLUG.")
    return regions[0]


def _lines_in(path: Path) -> int:
    """For the progress bar's total (a read of the whole file: a million adverts, 0.7 GB)."""
    with path.open("rb") as counting:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: counting.read(1 << 20), b""))


class Command(BaseCommand):
    help = "Import adverts from a JSON Lines or CSV file (idempotent on source and id)."
    requires_system_checks = DATA_COMMAND_CHECKS

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--source", default="", help="Source name for records without one.")
        parser.add_argument("--region", default=None, help="Region slug (needed if several).")
        parser.add_argument(
            "--format", choices=["jsonl", "csv"], default="", help="Default: from the file name."
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path} is not a file.")
        region = region_from(options["region"])
        lines = 0 if options["no_progress"] else _lines_in(path)
        bar = tqdm(
            total=lines or None,
            unit=" adverts",
            disable=options["no_progress"],
            file=self.stderr._out,
            dynamic_ncols=True,
        )
        with path.open("rb") as stream, bar:
            result = adverts_import(
                stream=stream,
                region=region,
                by=None,
                file_format=options["format"],
                file_name=path.name,
                default_source=options["source"],
                progress=bar.update,
            )
        for error in result.errors:
            self.stderr.write(f"line {error.line}: {error.reason}")
        self.stdout.write(
            f"{result.total} records: {result.created} new, {result.updated} updated, "
            f"{result.unchanged} unchanged, {result.error_count} skipped as malformed; "
            f"{result.groups_touched} groups updated, {result.alerts} new alerts."
        )
