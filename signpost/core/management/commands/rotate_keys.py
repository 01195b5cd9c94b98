from typing import Any

from django.core.management.base import BaseCommand

from signpost.core.services import keys_rotate


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted field under the first key of FIELD_ENCRYPTION_KEYS. "
        "Put the new key first, keep the old ones after it, run this, then drop the old keys."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args: Any, batch_size: int, **options: Any) -> None:
        def progress(label: str, rows: int) -> None:
            if options["verbosity"] > 1:
                self.stdout.write(f"  {label}: {rows} rows")

        counts = keys_rotate(batch_size=batch_size, progress=progress)
        for label, rows in sorted(counts.items()):
            self.stdout.write(f"{label}: {rows} rows re-encrypted")
        self.stdout.write(self.style.SUCCESS("All encrypted fields are under the newest key."))
