"""Referrals: what someone noticed, from every source, until the charity decides what to do.

Free text about people, contact details and places are encrypted at rest; the phone number and
email address carry blind indexes so that later referrals and cases can be matched exactly.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from signpost.core.fields import EncryptedJSONField, EncryptedTextField
from signpost.core.models import Area, Organisation, Region

# No 0/O, 1/I/L, U: a reference read aloud on the phone is not misheard.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
REFERENCE_PREFIX = "SP-R-"
REFERENCE_LENGTH = 6


def new_reference() -> str:
    code = "".join(secrets.choice(REFERENCE_ALPHABET) for _i in range(REFERENCE_LENGTH))
    return f"{REFERENCE_PREFIX}{code}"


class ReferralSource(models.TextChoices):
    SELF = "self", _("The person themselves")
    PUBLIC = "public", _("A member of the public")
    PARTNER = "partner", _("A partner volunteer")
    AGENCY = "agency", _("An agency (keyed by staff)")


class ReferralStatus(models.TextChoices):
    NEW = "new", _("New")
    INFO_REQUESTED = "info_requested", _("More information requested")
    ACCEPTED = "accepted", _("Accepted as a case")
    LINKED = "linked", _("Linked to a case")
    DECLINED = "declined", _("Declined")


class ContactMethod(models.TextChoices):
    PHONE = "phone", _("Phone call")
    WHATSAPP = "whatsapp", _("WhatsApp")
    EMAIL = "email", _("Email")
    PARTNER = "partner", _("Through a partner organisation")
    NONE = "none", _("Do not contact")


class AgeBand(models.TextChoices):
    UNDER_18 = "under_18", _("Possibly under 18")
    AGE_18_24 = "18_24", _("18 to 24")
    AGE_25_34 = "25_34", _("25 to 34")
    AGE_35_PLUS = "35_plus", _("35 or older")
    UNKNOWN = "unknown", _("Not sure")


class WhoAtRisk(models.TextChoices):
    ME = "me", _("Me")
    SOMEONE_ELSE = "someone_else", _("Someone else")
    SEVERAL = "several", _("Several people")
    UNSURE = "unsure", _("Not sure")


class ContactConsent(models.TextChoices):
    YES = "yes", _("Yes, they agreed to be contacted")
    NO = "no", _("No, they did not want to be contacted")
    NOT_ASKED = "not_asked", _("It was not possible to ask")


class RiskBand(models.TextChoices):
    URGENT = "urgent", _("Urgent")
    HIGH = "high", _("High")
    STANDARD = "standard", _("Standard")


# What a referring volunteer may know about the charity's work: only these three words.
class SubmitterStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    BEING_HANDLED = "being_handled", _("Being handled")
    CLOSED = "closed", _("Closed")


SUBMITTER_STATUS = {
    ReferralStatus.NEW: SubmitterStatus.RECEIVED,
    ReferralStatus.INFO_REQUESTED: SubmitterStatus.BEING_HANDLED,
    ReferralStatus.ACCEPTED: SubmitterStatus.BEING_HANDLED,
    ReferralStatus.LINKED: SubmitterStatus.BEING_HANDLED,
    ReferralStatus.DECLINED: SubmitterStatus.CLOSED,
}


OPEN_STATUSES = (ReferralStatus.NEW, ReferralStatus.INFO_REQUESTED)


def response_target(band: str) -> timedelta:
    """How long the charity has to act on a referral of this risk band (RESPONSE_TARGETS_HOURS,
    its first figure)."""
    first_action_hours, _case_hours = settings.RESPONSE_TARGETS_HOURS[band]
    return timedelta(hours=first_action_hours)


def due_at_for(band: str, received: datetime) -> datetime:
    return received + response_target(band)


class Referral(models.Model):
    Source = ReferralSource
    Status = ReferralStatus
    ContactMethod = ContactMethod
    AgeBand = AgeBand
    WhoAtRisk = WhoAtRisk
    ContactConsent = ContactConsent
    RiskBand = RiskBand

    reference = models.CharField(_("reference"), max_length=16, unique=True, editable=False)
    source = models.CharField(_("source"), max_length=10, choices=ReferralSource.choices)
    # No index of its own: referral_open_queue_idx starts with the region and serves lookups by
    # region; a second one tempts SQLite's planner away from the queue's ordered walk.
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="referrals", db_index=False
    )
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, null=True, blank=True, related_name="referrals"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals_submitted",
    )
    partner_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals_submitted",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ReferralStatus.choices, default=ReferralStatus.NEW
    )
    # Kept by the database from the status, so that the triage queue can walk one index in
    # its display order (a partial index on `status IN (...)` is not used by SQLite once the
    # values are bound parameters).
    # 1 or 0 rather than a boolean: Django writes a boolean filter as a bare column, which
    # SQLite cannot use as an index equality.
    in_queue = models.GeneratedField(
        expression=models.Case(
            models.When(status__in=OPEN_STATUSES, then=models.Value(1)),
            default=models.Value(0),
        ),
        output_field=models.PositiveSmallIntegerField(),
        db_persist=True,
    )

    urgent = models.BooleanField(_("urgent"), default=False)
    danger_now = models.BooleanField(_("in danger now"), default=False)
    possible_child = models.BooleanField(_("possibly under 18"), default=False)
    who_at_risk = models.CharField(
        _("who is at risk"), max_length=20, choices=WhoAtRisk.choices, blank=True
    )
    indicators = models.JSONField(_("indicators"), default=list, blank=True)
    age_band = models.CharField(
        _("apparent age"), max_length=10, choices=AgeBand.choices, default=AgeBand.UNKNOWN
    )
    languages = models.JSONField(_("languages spoken"), default=list, blank=True)
    nationality = models.CharField(_("nationality"), max_length=2, blank=True)

    contact_consent = models.CharField(
        _("agreed to be contacted"), max_length=10, choices=ContactConsent.choices, blank=True
    )
    contact_method = models.CharField(
        _("how to make contact"),
        max_length=10,
        choices=ContactMethod.choices,
        default=ContactMethod.NONE,
    )
    contact_language = models.CharField(_("contact language"), max_length=10, blank=True)
    contact_value = EncryptedTextField(_("contact details"), null=True, blank=True)
    safe_times = EncryptedTextField(_("safe times to make contact"), null=True, blank=True)
    what_is_happening = EncryptedTextField(_("what is happening"), null=True, blank=True)
    person_description = EncryptedTextField(_("description of the person"), null=True, blank=True)
    place_description = EncryptedTextField(_("place"), null=True, blank=True)
    location = EncryptedJSONField(_("coordinates"), null=True, blank=True)
    referrer_details = EncryptedTextField(_("who referred"), null=True, blank=True)

    phone_index = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    email_index = models.CharField(max_length=64, blank=True, db_index=True, editable=False)

    risk_score = models.PositiveIntegerField(_("risk score"), default=0)
    risk_band = models.CharField(
        _("risk band"), max_length=10, choices=RiskBand.choices, default=RiskBand.STANDARD
    )
    created_at = models.DateTimeField(_("received"), default=timezone.now, db_index=True)
    occurred_at = models.DateTimeField(_("when it was seen"), null=True, blank=True)
    landing_token = models.ForeignKey(
        "public.LandingToken",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("QR or channel link"),
    )

    # Triage: who is handling it, what was decided, and by when it must be acted on.
    due_at = models.DateTimeField(_("respond by"), null=True, blank=True, db_index=True)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals_taken",
        verbose_name=_("handler"),
    )
    locked_at = models.DateTimeField(_("taken at"), null=True, blank=True)
    assigned_investigator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals_assigned",
        verbose_name=_("investigator"),
    )
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("case"),
    )
    first_action_at = models.DateTimeField(_("first action"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decline_reason = EncryptedTextField(_("reason for declining"), null=True, blank=True)
    info_request = EncryptedTextField(_("question to the referrer"), null=True, blank=True)
    info_requested_at = models.DateTimeField(null=True, blank=True)
    info_response = EncryptedTextField(_("referrer's answer"), null=True, blank=True)
    info_responded_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(source__in=ReferralSource.values),
                name="referral_source_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=ReferralStatus.values),
                name="referral_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(risk_band__in=RiskBand.values),
                name="referral_risk_band_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(contact_method__in=ContactMethod.values),
                name="referral_contact_method_valid",
            ),
            # Danger now and a possible child always make a referral urgent.
            models.CheckConstraint(
                condition=models.Q(danger_now=False, possible_child=False)
                | models.Q(urgent=True, risk_band=RiskBand.URGENT),
                name="referral_danger_or_child_is_urgent",
            ),
            models.CheckConstraint(
                condition=~models.Q(source=ReferralSource.PARTNER)
                | models.Q(partner_organisation__isnull=False, submitted_by__isnull=False),
                name="referral_partner_has_organisation",
            ),
        ]
        indexes = [
            models.Index(fields=["submitted_by", "-created_at"], name="referral_submitter_idx"),
            # The triage queue walks this index in its display order and stops after one page.
            models.Index(
                fields=["region", "in_queue", "-urgent", "-risk_score", "created_at", "id", "area"],
                name="referral_open_queue_idx",
            ),
            # The overdue list: open referrals of a region, the longest past their target first.
            models.Index(fields=["region", "in_queue", "due_at"], name="referral_overdue_idx"),
            # Quarter statistics count a region's referrals by area and source over a date range
            # from this index alone.
            models.Index(
                fields=["region", "created_at", "area", "source"],
                name="referral_region_month_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_at is not None and self.due_at < timezone.now()

    @property
    def submitter_status(self) -> SubmitterStatus:
        return SUBMITTER_STATUS[ReferralStatus(self.status)]


class ReferralIdentifierKind(models.TextChoices):
    PHONE = "phone", _("Phone number")
    EMAIL = "email", _("Email address")
    HANDLE = "handle", _("Social media handle")
    NAME = "name", _("Name")


class ReferralIdentifier(models.Model):
    """A blind index of something that identifies a person in a referral: its contact phone or
    email, and the phones, emails, handles and names written in its free text. The values
    themselves stay in the referral's encrypted fields; these rows only let referrals, cases
    and people be matched."""

    Kind = ReferralIdentifierKind

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="identifiers")
    kind = models.CharField(max_length=10, choices=ReferralIdentifierKind.choices)
    value_index = models.CharField(max_length=64, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["referral", "kind", "value_index"], name="referral_identifier_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=ReferralIdentifierKind.values),
                name="referral_identifier_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} of {self.referral_id}"
