"""From one advert record to what Signpost stores about it: extraction, indicators, contacts
by blind index, town, and grouping tokens. No database access here."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.conf import settings

from signpost.adverts import grouping
from signpost.adverts.extraction import (
    Extraction,
    extract_emails,
    extract_many,
    extract_phones,
    find_town,
)
from signpost.adverts.indicators import Hits, detect
from signpost.adverts.language import detect_languages
from signpost.adverts.records import AdvertRecord
from signpost.adverts.words import Words
from signpost.core.crypto import blind_index, blind_index_of_normal_form, normalise_identifier

TOKEN_INDEX_LENGTH = 20  # hex characters of the blind index kept in grouping tokens


@dataclass
class Analysis:
    extraction: dict[str, Any]
    hits: Hits
    town: str
    identifiers: list[tuple[str, str, bool]]  # (kind, blind index, obfuscated)
    shingles: list[int]
    contact_tokens: list[str]
    band_tokens: list[str] = field(default_factory=list)

    @property
    def tokens(self) -> list[str]:
        return self.contact_tokens + self.band_tokens


@lru_cache(maxsize=200_000)
def _cached_blind_index(key: str, kind: str, value: str, normal: bool) -> str:
    return blind_index_of_normal_form(kind, value) if normal else blind_index(kind, value)


def _blind_index(kind: str, value: str, *, normal: bool = False) -> str:
    # An operation's phone and email recur in most of its adverts, and normalising a phone
    # number (phonenumbers) costs more than the rest of the advert's contacts together: a
    # number the extractors found is in E.164 already (`normal`). The key is part of the cache
    # key so that a changed BLIND_INDEX_KEY is never served stale.
    return _cached_blind_index(settings.BLIND_INDEX_KEY, kind, value, normal)


@lru_cache(maxsize=50_000)
def _field_phones(value: str) -> tuple[tuple[str, ...], bool]:
    """The numbers in a phone field, and whether they are in E.164 (found by the extractor)
    rather than a field's digits as they stand."""
    # Cached: an operation's phone field repeats across most of its adverts.
    found = tuple(item.value for item in extract_phones(value))
    if found or not value:
        return found, True
    digits = "".join(char for char in value if char.isdigit())
    return ((normalise_identifier("phone", value),) if len(digits) >= 7 else ()), False


def analyse_many(
    records: Sequence[AdvertRecord], *, languages: Sequence[str | None] | None = None
) -> list[Analysis]:
    """The analysis of each record, each step over all of them in turn (see extract_many).
    Their languages are detected unless given."""
    texts = [record.text for record in records]
    words = [Words(text) for text in texts]
    if languages is None:
        languages = detect_languages(texts, words=words)
    results = extract_many(texts, languages=languages, words=words)
    hits = [
        detect(text, result, word) for text, result, word in zip(texts, results, words, strict=True)
    ]
    shingles = [grouping.shingles(text) for text in texts]
    return [
        _analysis(record, result, hit, shingle)
        for record, result, hit, shingle in zip(records, results, hits, shingles, strict=True)
    ]


def _analysis(
    record: AdvertRecord, result: Extraction, hits: Hits, shingles: list[int]
) -> Analysis:
    phones: dict[str, bool] = {item.value: item.obfuscated for item in result.phones}
    e164 = set(phones)
    field_phones, field_e164 = _field_phones(record.phone)
    for phone in field_phones:
        phones.setdefault(phone, False)
    if field_e164:
        e164.update(field_phones)
    emails: dict[str, bool] = {item.value: item.obfuscated for item in result.emails}
    if record.email:
        field_emails = [item.value for item in extract_emails(record.email)]
        for email in field_emails or [record.email.strip().lower()]:
            emails.setdefault(email, False)
    handles = {item.value: False for item in result.handles}
    identifiers: list[tuple[str, str, bool]] = []
    for kind, values in (("phone", phones), ("email", emails), ("handle", handles)):
        for value, obfuscated in values.items():
            index = _blind_index(kind, value, normal=kind == "phone" and value in e164)
            identifiers.append((kind, index, obfuscated))
    town_found = find_town(record.location) if record.location else None
    town = town_found.name if town_found else (result.towns[0].value if result.towns else "")
    extraction = result.as_json()
    extraction["phones_e164"] = sorted(phones)
    extraction["emails_all"] = sorted(emails)
    contact_tokens = [f"{kind[0]}:{index[:TOKEN_INDEX_LENGTH]}" for kind, index, _ in identifiers]
    contact_tokens += [f"i:{image}" for image in record.image_hashes]
    return Analysis(
        extraction=extraction,
        hits=hits,
        town=town,
        identifiers=identifiers,
        shingles=shingles,
        contact_tokens=contact_tokens,
    )
