"""System checks for Signpost's own invariants (ids signpost.E0xx / signpost.W0xx)."""

from __future__ import annotations

from typing import Any

from cryptography.fernet import Fernet
from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

# The checks a batch command over personal data runs before it starts (its
# `requires_system_checks`): the keys, the database, the models. Django's URL checks, run by
# default, import every view of the web app first: half a second of an advert import's start
# (2.9 s -> 2.4 s for 1,000 adverts, medians of five, on 2026-11-29's machine).
DATA_COMMAND_CHECKS = [Tags.security, Tags.database, Tags.models]


@register(Tags.security, deploy=False)
def check_encryption_keys(app_configs: Any, **kwargs: Any) -> list[Error]:
    errors: list[Error] = []
    keys = getattr(settings, "FIELD_ENCRYPTION_KEYS", [])
    if not keys:
        errors.append(
            Error(
                "FIELD_ENCRYPTION_KEYS is empty: personal data cannot be encrypted.",
                hint="Set FIELD_ENCRYPTION_KEYS (or FIELD_ENCRYPTION_KEYS_FILE) to Fernet keys.",
                id="signpost.E001",
            )
        )
    for position, key in enumerate(keys, start=1):
        try:
            Fernet(key.encode())
        except (ValueError, TypeError):
            errors.append(
                Error(
                    f"FIELD_ENCRYPTION_KEYS key {position} is not a valid Fernet key.",
                    hint="Generate one with: signpost generate-key",
                    id="signpost.E002",
                )
            )
        if key == settings.SECRET_KEY:
            errors.append(
                Error(
                    f"FIELD_ENCRYPTION_KEYS key {position} equals SECRET_KEY.",
                    hint="Encryption keys must be independent of SECRET_KEY.",
                    id="signpost.E003",
                )
            )
    blind_key = getattr(settings, "BLIND_INDEX_KEY", "")
    if len(blind_key) < 32:
        errors.append(
            Error(
                "BLIND_INDEX_KEY is missing or shorter than 32 characters.",
                hint="Generate one with: signpost generate-key --hex",
                id="signpost.E004",
            )
        )
    elif blind_key == settings.SECRET_KEY or blind_key in keys:
        errors.append(
            Error(
                "BLIND_INDEX_KEY must differ from SECRET_KEY and the encryption keys.",
                id="signpost.E005",
            )
        )
    return errors


@register(Tags.database, deploy=False)
def check_utc_storage(app_configs: Any, **kwargs: Any) -> list[Error]:
    if not settings.USE_TZ:
        return [
            Error(
                "USE_TZ is off: times would be stored in local time, not UTC.",
                id="signpost.E010",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def check_production_mode(app_configs: Any, **kwargs: Any) -> list[Warning]:
    warnings: list[Warning] = []
    if settings.SIGNPOST_ENV != "production":
        warnings.append(
            Warning(
                f"SIGNPOST_ENV is {settings.SIGNPOST_ENV!r}, not 'production'.",
                hint="Deploy with SIGNPOST_ENV=production.",
                id="signpost.W001",
            )
        )
    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        warnings.append(
            Warning(
                "The database is SQLite; production installs use PostgreSQL.",
                hint="Set DATABASE_URL=postgres://...",
                id="signpost.W002",
            )
        )
    if settings.QUICK_EXIT_URL.startswith(settings.SITE_URL):
        warnings.append(
            Warning(
                "QUICK_EXIT_URL points back at Signpost itself.",
                id="signpost.W003",
            )
        )
    return warnings
