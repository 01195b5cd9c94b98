"""Second factor: TOTP devices (django-otp) and one-time recovery codes stored as keyed hashes."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from base64 import b32encode
from typing import Any

import segno
from django.conf import settings
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from signpost.core.models import RecoveryCode, RecoveryCodeDevice, User

RECOVERY_CODE_COUNT = 10
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no look-alikes: 0/o, 1/l/i


def recovery_code_normalise(code: str) -> str:
    return "".join(char for char in code.lower() if char.isalnum())


def recovery_code_hash(code: str) -> str:
    key = settings.BLIND_INDEX_KEY.encode()
    message = b"recovery:" + recovery_code_normalise(code).encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def is_verified(user: Any) -> bool:
    """Signed in and past the second factor in this session (django-otp's OTPMiddleware)."""
    return bool(user.is_authenticated and getattr(user, "is_verified", lambda: False)())


def confirmed_totp_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_totp_device(user: User) -> TOTPDevice:
    """The unconfirmed device shown during enrolment, created once and reused until confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    return device


def totp_secret_base32(device: TOTPDevice) -> str:
    return b32encode(device.bin_key).decode("ascii").rstrip("=")


def totp_qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// URL as an inline SVG: the secret never leaves the page."""
    return segno.make(device.config_url, error="m").svg_inline(scale=5, dark="#0b0c0c")


@transaction.atomic
def recovery_codes_generate(*, user: User) -> list[str]:
    """Replace the user's recovery codes with a new set; returns the plaintext codes once."""
    device, _created = RecoveryCodeDevice.objects.get_or_create(
        user=user, defaults={"name": "Recovery codes", "confirmed": True}
    )
    device.codes.all().delete()
    codes = []
    for _index in range(RECOVERY_CODE_COUNT):
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _char in range(10))
        codes.append(f"{raw[:5]}-{raw[5:]}")
    RecoveryCode.objects.bulk_create(
        RecoveryCode(device=device, code_hash=recovery_code_hash(code)) for code in codes
    )
    return codes


def recovery_codes_remaining(user: User) -> int:
    return RecoveryCode.objects.filter(device__user=user, used_at__isnull=True).count()
