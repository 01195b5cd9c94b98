"""Adverts collected from adult-service sites, what was read from them, and their groups.

Advert text and contact details are personal data: encrypted at rest (one encrypted JSON
document per advert, so an import encrypts once per advert, kept in a table of its own so that
the advert's row stays narrow). What must be matched (phones,
emails, handles) carries a blind index in AdvertIdentifier; grouping tokens are truncated blind
indexes and MinHash band keys, which reveal nothing on their own.
"""

from __future__ import annotations

import secrets
import time
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from signpost.core.fields import EncryptedJSONField, EncryptedTextField
from signpost.core.models import Region


def new_public_ids(count: int) -> list[str]:
    """Opaque, stable ids for URLs and exports (never the database key of personal data): the
    time they are made (milliseconds, 12 hex digits), then 64 random bits from one read of the
    system's randomness. Ids made later sort later, so that an import adds to the end of the
    unique index on them; random ids rewrote pages all over it, and the cost of a chunk of
    adverts grew with the store. The random part keeps them unguessable."""
    stamp = f"{time.time_ns() // 1_000_000:012x}"
    text = secrets.token_hex(8 * count)
    return [stamp + text[start : start + 16] for start in range(0, len(text), 16)]


def new_public_id() -> str:
    return new_public_ids(1)[0]


class AdvertGroup(models.Model):
    """Adverts linked by a shared contact or near-duplicate text: likely one poster."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="advert_groups")
    public_id = models.CharField(max_length=32, unique=True, default=new_public_id)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    advert_count = models.PositiveIntegerField(default=0)
    first_posted_at = models.DateTimeField(null=True, blank=True)
    last_posted_at = models.DateTimeField(null=True, blank=True)
    # Names, ages, phones, emails, handles, towns over time: personal data, so encrypted.
    summary = EncryptedJSONField(default=dict)
    # Indicator code -> number of adverts (or contacts) it fired on; codes only.
    indicator_counts = models.JSONField(default=dict, blank=True)
    strong_evidence = models.PositiveSmallIntegerField(default=0)
    moderate_evidence = models.PositiveSmallIntegerField(default=0)
    weak_evidence = models.PositiveSmallIntegerField(default=0)
    town_count = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-strong_evidence", "-moderate_evidence", "-weak_evidence", "-advert_count"]
        verbose_name = _("advert group")
        verbose_name_plural = _("advert groups")
        indexes = [models.Index(fields=["region", "-strong_evidence"], name="advertgroup_rank")]

    def __str__(self) -> str:
        return f"Group {self.public_id}"


class Advert(models.Model):
    # No index of its own: the unique (region, source, external_id) index starts with it, and
    # every index costs each advert an import writes.
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="adverts", db_index=False
    )
    public_id = models.CharField(max_length=32, unique=True, default=new_public_id)
    source = models.CharField(_("source"), max_length=100)
    external_id = models.CharField(_("id at the source"), max_length=200)
    fingerprint = models.CharField(max_length=64)
    posted_at = models.DateTimeField(_("posted"), null=True, blank=True, db_index=True)
    town = models.CharField(_("town"), max_length=100, blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    # Indicator code -> [[start, end], ...] offsets into the advert text: positions, not words.
    indicator_hits = models.JSONField(default=dict, blank=True)
    group_tokens = models.TextField(blank=True)
    group = models.ForeignKey(
        AdvertGroup, on_delete=models.SET_NULL, null=True, blank=True, related_name="adverts"
    )
    imported_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-posted_at", "-id"]
        verbose_name = _("advert")
        verbose_name_plural = _("adverts")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "source", "external_id"], name="advert_unique_in_source"
            ),
        ]

    def __str__(self) -> str:
        return f"Advert {self.public_id}"

    @property
    def record(self) -> dict[str, Any]:
        return dict(self.document.content.get("record", {}))

    @property
    def extracted(self) -> dict[str, Any]:
        return dict(self.document.content.get("extracted", {}))

    @property
    def text(self) -> str:
        record = self.record
        title, body = record.get("title", ""), record.get("body", "")
        return f"{title}\n\n{body}" if title else body


class AdvertDocument(models.Model):
    """What an advert says and what was read from it, encrypted.

    Apart from the advert's row so that the row stays narrow: an import moves tens of
    thousands of adverts to their final group at its end, and with the document in the row each
    move rewrote a page holding a handful of wide rows (35,000 moves among 200,000 adverts
    dirtied nearly every page of the table: 1.45 s to write and commit, 0.3 s narrow).
    """

    advert = models.OneToOneField(
        Advert, on_delete=models.CASCADE, primary_key=True, related_name="document"
    )
    # {"record": {url, title, body, location, phone, email, image_hashes}, "extracted": {...}}
    content = EncryptedJSONField()

    class Meta:
        verbose_name = _("advert document")
        verbose_name_plural = _("advert documents")

    def __str__(self) -> str:
        return f"Document of advert {self.advert_id}"


class IdentifierKind(models.TextChoices):
    PHONE = "phone", _("Phone number")
    EMAIL = "email", _("Email address")
    HANDLE = "handle", _("Social media handle")


class AdvertIdentifier(models.Model):
    """A contact read from an advert, by blind index (signpost.core.crypto.blind_index)."""

    Kind = IdentifierKind

    # Neither key has an index of its own: the unique (advert, kind, value_index) index starts
    # with the advert, and identifiers are looked up by value, never by region.
    advert = models.ForeignKey(
        Advert, on_delete=models.CASCADE, related_name="identifiers", db_index=False
    )
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", db_index=False)
    kind = models.CharField(max_length=10, choices=IdentifierKind.choices)
    value_index = models.CharField(max_length=64, db_index=True)
    obfuscated = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["advert", "kind", "value_index"], name="advert_identifier_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} of advert {self.advert_id}"


class ImportJob(models.Model):
    """An analyst's upload, imported by the worker; the page polls its progress."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Importing")
        DONE = "done", _("Finished")
        FAILED = "failed", _("Failed")

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    public_id = models.CharField(max_length=32, unique=True, default=new_public_id)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    file_format = models.CharField(max_length=10)
    source = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)
    # The uploaded file, encrypted, kept only until the import has run.
    payload = EncryptedTextField(blank=True, default="")
    total = models.PositiveIntegerField(default=0)
    processed = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)
    # [{"line": n, "reason": "..."}]: line numbers and reasons only, never record content.
    errors = models.JSONField(default=list, blank=True)
    failure = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("advert import")
        verbose_name_plural = _("advert imports")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["queued", "running", "done", "failed"]),
                name="importjob_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"Import {self.public_id}"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return int(100 * self.processed / self.total) if self.total else 0

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


class GroupingState(models.Model):
    """Per-region shingle counters that tell boilerplate from an operation's template."""

    region = models.OneToOneField(Region, on_delete=models.CASCADE, related_name="+")
    counters = models.BinaryField(default=bytes)
    adverts = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"Grouping state of {self.region}"


class Alert(models.Model):
    """An advert whose contact matches an identifier on a case or a referral's contact."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    advert = models.ForeignKey(Advert, on_delete=models.CASCADE, related_name="alerts")
    group = models.ForeignKey(
        AdvertGroup, on_delete=models.SET_NULL, null=True, blank=True, related_name="alerts"
    )
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, null=True, blank=True, related_name="advert_alerts"
    )
    referral = models.ForeignKey(
        "referrals.Referral",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="advert_alerts",
    )
    kind = models.CharField(max_length=10, choices=IdentifierKind.choices)
    value_index = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("advert alert")
        verbose_name_plural = _("advert alerts")
        constraints = [
            models.UniqueConstraint(
                fields=["advert", "case", "value_index"], name="advert_alert_unique_case"
            ),
            models.UniqueConstraint(
                fields=["advert", "referral", "value_index"], name="advert_alert_unique_referral"
            ),
            models.CheckConstraint(
                condition=models.Q(case__isnull=False, referral__isnull=True)
                | models.Q(case__isnull=True, referral__isnull=False),
                name="advert_alert_case_or_referral",
            ),
        ]

    def __str__(self) -> str:
        return f"Alert {self.pk} on advert {self.advert_id}"
