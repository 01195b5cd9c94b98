"""Reading configuration from the environment.

Every secret can be given directly (``NAME``) or as a path to a file holding it (``NAME_FILE``),
so that container and systemd secret stores work without putting secrets in the environment.
In development, missing secrets are generated once into ``var/secrets/`` and reused.
"""

from __future__ import annotations

import base64
import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("SIGNPOST_VAR_DIR", BASE_DIR / "var"))

MODES = ("development", "production", "test")


def env_mode() -> str:
    mode = os.environ.get("SIGNPOST_ENV", "development")
    if mode not in MODES:
        raise ImproperlyConfigured(f"SIGNPOST_ENV must be one of {', '.join(MODES)}, not {mode!r}")
    return mode


def env_str(name: str, default: str | None = None) -> str | None:
    """A plain setting, or the contents of the file that NAME_FILE names."""
    file_path = os.environ.get(f"{name}_FILE")
    if file_path:
        try:
            return Path(file_path).read_text(encoding="utf-8").strip()
        except OSError as error:
            raise ImproperlyConfigured(
                f"{name}_FILE={file_path} cannot be read: {error}"
            ) from error
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from error


def env_list(name: str, default: list[str]) -> list[str]:
    value = env_str(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_hours_by_band(
    name: str, default: dict[str, tuple[float, float]]
) -> dict[str, tuple[float, float]]:
    """Response targets per risk band, e.g. ``urgent=1/24,high=24/72,standard=72/240``: hours
    to the first action, then hours to a case being opened. Bands not given keep the default."""
    value = os.environ.get(name)
    if not value:
        return dict(default)
    targets = dict(default)
    for item in value.split(","):
        band, _equals, hours = item.strip().partition("=")
        first, _slash, case = hours.partition("/")
        try:
            parsed = (float(first), float(case))
        except ValueError as error:
            raise ImproperlyConfigured(
                f"{name}: write each band as band=FIRST/CASE in hours, not {item.strip()!r}"
            ) from error
        if band not in default or min(parsed) <= 0:
            raise ImproperlyConfigured(
                f"{name}: bands are {', '.join(default)}, with positive hours; got {item.strip()!r}"
            )
        targets[band] = parsed
    return targets


def _new_fernet_key() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


_GENERATORS = {
    "SECRET_KEY": lambda: secrets.token_urlsafe(50),
    "FIELD_ENCRYPTION_KEYS": _new_fernet_key,
    "BLIND_INDEX_KEY": lambda: secrets.token_hex(32),
}


def env_secret(name: str, *, mode: str) -> str:
    """A secret from NAME or NAME_FILE; generated into var/secrets/ in development only."""
    value = env_str(name)
    if value:
        return value
    if mode == "production":
        raise ImproperlyConfigured(f"{name} (or {name}_FILE) must be set in production.")
    secret_file = VAR_DIR / "secrets" / name
    if not secret_file.exists():
        secret_file.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        descriptor = os.open(secret_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(_GENERATORS[name]())
    return secret_file.read_text(encoding="utf-8").strip()
