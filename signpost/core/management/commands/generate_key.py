import base64
import secrets
from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Print a new Fernet key (for FIELD_ENCRYPTION_KEYS) or, with --hex, a BLIND_INDEX_KEY."

    requires_system_checks: list[str] = []

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--hex", action="store_true", help="a 64-character hex key")

    def handle(self, *args: Any, hex: bool, **options: Any) -> None:
        if hex:
            self.stdout.write(secrets.token_hex(32))
        else:
            self.stdout.write(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())
