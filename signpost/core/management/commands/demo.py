"""Demo data: a believable West Midlands setup with one user per role (development only)."""

from __future__ import annotations

import importlib
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from signpost.core.demo import DEMO_EMAIL_DOMAIN, DEMO_PASSWORD, build_demo
from signpost.core.mfa import totp_secret_base32
from signpost.core.models import User

DEMO_SCALE = 200


class Command(BaseCommand):
    help = "Load demo data (regions, areas, organisations, one user per role) and show sign-ins."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--if-empty", action="store_true", help="only load when there are no users yet"
        )

    def handle(self, *args: Any, if_empty: bool, **options: Any) -> None:
        if settings.SIGNPOST_ENV == "production":
            raise CommandError("Demo data is for development only: it has published passwords.")
        if if_empty and User.objects.exists():
            self.stdout.write("The database has users already: no demo data loaded.")
        else:
            with transaction.atomic():
                demo = build_demo()
                for config in apps.get_app_configs():
                    if not config.name.startswith("signpost.") or config.label == "core":
                        continue
                    try:
                        module = importlib.import_module(f"{config.name}.demo")
                    except ModuleNotFoundError:
                        continue
                    module.load(demo)
            if "seed" in get_commands():
                # A few hundred referrals and cases, so that queues and dashboards have content.
                call_command("seed", scale=DEMO_SCALE, verbosity=0)
            self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.print_sign_ins()

    def print_sign_ins(self) -> None:
        users = User.objects.filter(email__endswith=DEMO_EMAIL_DOMAIN).order_by("email")
        if not users:
            return
        self.stdout.write("\nDemo sign-ins (development only), password for all: " + DEMO_PASSWORD)
        self.stdout.write("Add the TOTP secret to an authenticator app (or `oathtool --totp -b`).")
        for user in users:
            device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
            secret = totp_secret_base32(device) if device else "(enrols at first sign-in)"
            role = ", ".join(m.role for m in user.memberships.all())
            self.stdout.write(f"  {role:<15} {user.email:<40} TOTP {secret}")
