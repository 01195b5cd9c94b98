from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the background task worker (the django-tasks database backend)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--batch", action="store_true", help="run queued tasks, then exit")
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between polls")

    def handle(self, *args: Any, batch: bool, interval: float, **options: Any) -> None:
        arguments = ["--interval", str(interval), "--no-startup-delay", "--no-reload"]
        if batch:
            arguments.append("--batch")
        call_command("db_worker", *arguments, verbosity=options["verbosity"])
