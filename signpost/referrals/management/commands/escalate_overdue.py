import time
from typing import Any

from django.core.management.base import BaseCommand

from signpost.referrals.services import referrals_escalate_overdue


class Command(BaseCommand):
    help = "Email the area's lead about each referral past its response target (once each)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--loop",
            type=float,
            metavar="SECONDS",
            help="keep running, checking every SECONDS",
        )

    def handle(self, *args: Any, loop: float | None = None, **options: Any) -> None:
        while True:
            escalated = referrals_escalate_overdue()
            if options["verbosity"] > 1 or escalated:
                self.stdout.write(f"Escalated {escalated} overdue referral(s).")
            if not loop:
                return
            time.sleep(loop)
