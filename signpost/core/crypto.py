"""Encryption of personal data at rest, and blind indexes for exact-match search.

The keys are not derived from SECRET_KEY: FIELD_ENCRYPTION_KEYS (Fernet, the first encrypts and
all decrypt, so a new key can be put first and old data rotated) and BLIND_INDEX_KEY (HMAC).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from functools import cache

import phonenumbers
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


class DecryptionError(Exception):
    """Stored ciphertext could not be decrypted with any configured key."""


@cache
def _keyring(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in keys])


def keyring() -> MultiFernet:
    return _keyring(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt(plaintext: str | bytes) -> str:
    """A token for text, or for bytes that are already UTF-8."""
    if isinstance(plaintext, str):
        plaintext = plaintext.encode("utf-8")
    return keyring().encrypt(plaintext).decode("ascii")


def decrypt(ciphertext: str) -> str:
    try:
        return keyring().decrypt(ciphertext.encode("ascii")).decode("utf-8")
    except (InvalidToken, UnicodeError, ValueError) as error:
        raise DecryptionError(
            "A stored value could not be decrypted with the configured FIELD_ENCRYPTION_KEYS."
        ) from error


# --- Blind indexes -----------------------------------------------------------------------------

IDENTIFIER_KINDS = ("phone", "email", "handle", "name", "vehicle", "document")


def _strip_marks(value: str) -> str:
    decomposed = unicodedata.normalize("NFKD", value)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def normalise_phone(value: str, region: str = "GB") -> str:
    """E.164 when the number parses as possible, else the digits alone."""
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException:
        return re.sub(r"\D", "", value)
    if phonenumbers.is_possible_number(number):
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return re.sub(r"\D", "", value)


def normalise_identifier(kind: str, value: str) -> str:
    """The canonical form two spellings of one identifier share."""
    value = unicodedata.normalize("NFKC", value).strip()
    if kind == "phone":
        return normalise_phone(value)
    if kind == "email":
        return value.casefold()
    if kind == "handle":
        return value.lstrip("@").casefold()
    if kind == "name":
        # Name keys ignore diacritics (Ștefan/Stefan), case, punctuation and word order.
        words = re.findall(r"\w+", _strip_marks(value).casefold())
        return " ".join(sorted(words))
    if kind in ("vehicle", "document"):
        return re.sub(r"[^0-9A-Z]", "", value.upper())
    raise ValueError(f"Unknown identifier kind {kind!r}")


def blind_index(kind: str, value: str) -> str:
    """Keyed HMAC-SHA256 of the normalised identifier: equal identifiers, equal index."""
    return blind_index_of_normal_form(kind, normalise_identifier(kind, value))


def blind_index_of_normal_form(kind: str, normalised: str) -> str:
    """`blind_index` of a value already in the form normalise_identifier gives it (a phone
    number in E.164 from phonenumbers, say): normalising costs more than the HMAC."""
    if kind not in IDENTIFIER_KINDS:
        raise ValueError(f"Unknown identifier kind {kind!r}")
    message = f"{kind}:{normalised}".encode()
    return hmac.digest(settings.BLIND_INDEX_KEY.encode(), message, hashlib.sha256).hex()
