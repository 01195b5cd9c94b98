"""Reading advert files (JSON Lines or CSV): one advert a record, malformed ones reported with
their line number and reason, never half-read."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import IO, Any

import orjson
from django.utils.translation import gettext as _

from signpost.core import jsoncodec

FIELDS = (
    "id",
    "source",
    "url",
    "posted_at",
    "title",
    "body",
    "location",
    "phone",
    "email",
    "image_hashes",
)
MAX_FIELD_LENGTH = {
    "id": 200,
    "source": 100,
    "url": 2000,
    "title": 1000,
    "body": 50_000,
    "location": 200,
    "phone": 100,
    "email": 320,
}
MAX_IMAGE_HASHES = 50


@dataclass(frozen=True)
class AdvertRecord:
    line: int
    external_id: str
    source: str
    url: str
    posted_at: datetime | None
    title: str
    body: str
    location: str
    phone: str
    email: str
    image_hashes: tuple[str, ...]

    def content(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "title": self.title,
            "body": self.body,
            "location": self.location,
            "phone": self.phone,
            "email": self.email,
            "image_hashes": list(self.image_hashes),
        }

    @property
    def text(self) -> str:
        """What the extractors read: title and body, as shown on the advert page."""
        return f"{self.title}\n\n{self.body}" if self.title else self.body

    def fingerprint(self) -> str:
        canonical = jsoncodec.canonical(
            [
                self.source,
                self.external_id,
                self.posted_at.isoformat() if self.posted_at else "",
                self.content(),
            ]
        )
        return hashlib.sha256(canonical).hexdigest()


@dataclass(frozen=True)
class RecordError:
    line: int
    reason: str


class MalformedRecord(ValueError):
    pass


def _text(raw: dict[str, Any], name: str) -> str:
    value = raw.get(name)
    if value is None:
        return ""
    if type(value) is not str:  # the common case first: read for every field of every record
        if isinstance(value, int | float) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            raise MalformedRecord(_("“%(field)s” must be text.") % {"field": name})
    if "\x00" in value:
        value = value.replace("\x00", "")
    value = value.strip()
    if len(value) > MAX_FIELD_LENGTH.get(name, 10_000):
        raise MalformedRecord(_("“%(field)s” is too long.") % {"field": name})
    return value


def _posted_at(value: str) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as error:
        raise MalformedRecord(_("“posted_at” is not an ISO 8601 date and time.")) from error
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


def _image_hashes(value: Any) -> tuple[str, ...]:
    if value in (None, ""):
        return ()
    if isinstance(value, str):
        value = value.replace(";", ",").replace("|", ",").split(",")
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise MalformedRecord(_("“image_hashes” must be a list of hashes."))
    hashes = tuple(item.strip().lower() for item in value if item.strip())
    if len(hashes) > MAX_IMAGE_HASHES or any(
        len(item) > 128 or not item.isalnum() for item in hashes
    ):
        raise MalformedRecord(_("“image_hashes” holds something that is not a hash."))
    return hashes


def to_record(raw: Any, *, line: int, default_source: str = "") -> AdvertRecord:
    if not isinstance(raw, dict):
        raise MalformedRecord(_("The record is not an object with named fields."))
    external_id = _text(raw, "id")
    if not external_id:
        raise MalformedRecord(_("“id” is missing."))
    source = default_source or _text(raw, "source")
    if not source:
        raise MalformedRecord(_("“source” is missing (give it in the file or as --source)."))
    if len(source) > MAX_FIELD_LENGTH["source"]:
        raise MalformedRecord(_("“source” is too long."))
    body = _text(raw, "body")
    if not body:
        raise MalformedRecord(_("“body” is missing."))
    return AdvertRecord(
        line=line,
        external_id=external_id,
        source=source,
        url=_text(raw, "url"),
        posted_at=_posted_at(_text(raw, "posted_at")),
        title=_text(raw, "title"),
        body=body,
        location=_text(raw, "location"),
        phone=_text(raw, "phone"),
        email=_text(raw, "email"),
        image_hashes=_image_hashes(raw.get("image_hashes")),
    )


def detect_format(name: str, head: bytes) -> str:
    lowered = name.lower()
    if lowered.endswith(".csv"):
        return "csv"
    if lowered.endswith((".jsonl", ".ndjson", ".json")):
        return "jsonl"
    return "jsonl" if head.lstrip()[:1] == b"{" else "csv"


def read_records(
    stream: IO[bytes], *, fmt: str, default_source: str = ""
) -> Iterator[AdvertRecord | RecordError]:
    """Each record in order, or the reason it could not be read (with its line number)."""
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", errors="strict", newline="")
    try:
        if fmt == "csv":
            yield from _read_csv(text, default_source)
        else:
            yield from _read_jsonl(text, default_source)
    except UnicodeDecodeError:
        yield RecordError(0, _("The file is not UTF-8 text."))
    finally:
        text.detach()


def _read_jsonl(lines: Iterable[str], default_source: str) -> Iterator[AdvertRecord | RecordError]:
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            raw = orjson.loads(line)
        except orjson.JSONDecodeError:
            # What orjson refuses and json reads: NaN, huge numbers, escaped lone surrogates.
            try:
                raw = json.loads(line)
            except ValueError:
                yield RecordError(number, _("The line is not valid JSON."))
                continue
            if _holds_lone_surrogate(raw):
                yield RecordError(number, _("The line holds text that is not valid Unicode."))
                continue
        try:
            yield to_record(raw, line=number, default_source=default_source)
        except MalformedRecord as error:
            yield RecordError(number, str(error))


def _holds_lone_surrogate(raw: Any) -> bool:
    # Half of a UTF-16 pair, escaped (\ud800 alone), is valid JSON but not text to store.
    try:
        json.dumps(raw, ensure_ascii=False).encode()
    except UnicodeEncodeError:
        return True
    return False


def _read_csv(text: IO[str], default_source: str) -> Iterator[AdvertRecord | RecordError]:
    csv.field_size_limit(1_000_000)
    reader = csv.DictReader(text)
    if not reader.fieldnames or "id" not in reader.fieldnames or "body" not in reader.fieldnames:
        yield RecordError(1, _("The CSV header must name at least the “id” and “body” columns."))
        return
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error:
            yield RecordError(reader.line_num, _("The CSV row cannot be read."))
            continue
        if None in row:
            yield RecordError(reader.line_num, _("The row has more values than the header."))
            continue
        try:
            yield to_record(row, line=reader.line_num, default_source=default_source)
        except MalformedRecord as error:
            yield RecordError(reader.line_num, str(error))
