"""Intelligence: graded reports and their disclosure to police, and people resolved across records.

Report content (title, text, linked entities, handling conditions, replies) is personal data and
encrypted at rest. Once disclosed, a report is frozen: the disclosed snapshot and its SHA-256
hash are kept with the disclosure, and services refuse any change (a correction is a new
version linked to the old one).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from signpost.core.fields import EncryptedJSONField, EncryptedTextField
from signpost.core.models import Organisation, Region


class SourceGrade(models.TextChoices):
    RELIABLE = "1", _("1: Reliable")
    UNTESTED = "2", _("2: Untested source")
    NOT_RELIABLE = "3", _("3: Not reliable")


class IntelligenceGrade(models.TextChoices):
    KNOWN_DIRECTLY = "A", _("A: Known directly to the source")
    CORROBORATED = "B", _("B: Known indirectly to the source but corroborated")
    KNOWN_INDIRECTLY = "C", _("C: Known indirectly to the source")
    NOT_KNOWN = "D", _("D: Not known")
    SUSPECTED_FALSE = "E", _("E: Suspected to be false")


class HandlingCode(models.TextChoices):
    PERMITTED = "P", _("P: Lawful sharing permitted")
    CONDITIONS = "C", _("C: Lawful sharing permitted with conditions")


# What each grade means, shown beside each choice (the 3x5x2 model).
SOURCE_GRADE_MEANINGS = {
    SourceGrade.RELIABLE: _(
        "The source's reliability is not in doubt, or the information comes from a reliable "
        "technical means."
    ),
    SourceGrade.UNTESTED: _(
        "The source has not previously provided information, or its reliability cannot be judged."
    ),
    SourceGrade.NOT_RELIABLE: _(
        "There are doubts about the source's reliability, or the source has given information "
        "that proved wrong."
    ),
}
INTELLIGENCE_GRADE_MEANINGS = {
    IntelligenceGrade.KNOWN_DIRECTLY: _("The source saw or heard it themselves."),
    IntelligenceGrade.CORROBORATED: _(
        "The source was told it, and it is confirmed by another source or by evidence."
    ),
    IntelligenceGrade.KNOWN_INDIRECTLY: _(
        "The source was told it by someone else and it is not corroborated."
    ),
    IntelligenceGrade.NOT_KNOWN: _("How the source came to know it is not known."),
    IntelligenceGrade.SUSPECTED_FALSE: _("There are reasons to believe it is false or malicious."),
}
HANDLING_MEANINGS = {
    HandlingCode.PERMITTED: _(
        "It may be shared for a policing purpose or another lawful purpose without conditions."
    ),
    HandlingCode.CONDITIONS: _(
        "It may be shared only under the conditions written below; the conditions are printed "
        "on every page."
    ),
}


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")
    DISCLOSED = "disclosed", _("Disclosed")


class IntelReport(models.Model):
    Status = ReportStatus
    SourceGrade = SourceGrade
    IntelligenceGrade = IntelligenceGrade
    Handling = HandlingCode

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="intel_reports",
        verbose_name=_("case"),
    )
    # The network a report was written from, when not from a case: node ids of the graph.
    network_nodes = models.JSONField(default=list, blank=True)
    version = models.PositiveSmallIntegerField(default=1)
    previous = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="correction",
        verbose_name=_("corrects"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    title = EncryptedTextField(_("title"))
    body = EncryptedTextField(_("what is known"))
    linked_entities = EncryptedJSONField(_("linked entities"), default=list, blank=True)

    source_grade = models.CharField(
        _("source evaluation"), max_length=1, choices=SourceGrade.choices, blank=True
    )
    intelligence_grade = models.CharField(
        _("intelligence assessment"), max_length=1, choices=IntelligenceGrade.choices, blank=True
    )
    handling_code = models.CharField(
        _("handling code"), max_length=1, choices=HandlingCode.choices, blank=True
    )
    handling_conditions = EncryptedTextField(_("handling conditions"), blank=True, default="")

    # Sanitisation: the masked text the author confirmed, and a hash of what it was made from,
    # so that any later edit shows the report as not sanitised any more.
    sanitised_title = EncryptedTextField(blank=True, default="")
    sanitised_body = EncryptedTextField(blank=True, default="")
    sanitised_entities = EncryptedJSONField(default=list, blank=True)
    sanitised_from_hash = models.CharField(max_length=64, blank=True)
    masked_count = models.PositiveIntegerField(default=0)
    sanitised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    sanitised_at = models.DateTimeField(null=True, blank=True)

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="intel_reports"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(default=timezone.now)

    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    disclosed_to = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="intel_reports_received",
        verbose_name=_("disclosed to"),
    )
    disclosed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    disclosed_at = models.DateTimeField(null=True, blank=True)
    disclosed_content = EncryptedJSONField(null=True, blank=True)
    content_hash = models.CharField(
        _("SHA-256 of the disclosed content"), max_length=64, blank=True
    )

    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("intelligence report")
        verbose_name_plural = _("intelligence reports")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=ReportStatus.values), name="intel_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(source_grade="") | models.Q(source_grade__in=SourceGrade.values),
                name="intel_source_grade_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(intelligence_grade="")
                | models.Q(intelligence_grade__in=IntelligenceGrade.values),
                name="intel_intelligence_grade_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(handling_code="")
                | models.Q(handling_code__in=HandlingCode.values),
                name="intel_handling_code_valid",
            ),
            # Four eyes: the approver and the discloser are never the author.
            models.CheckConstraint(
                condition=models.Q(approved_by__isnull=True)
                | ~models.Q(approved_by=models.F("author")),
                name="intel_approval_four_eyes",
            ),
            models.CheckConstraint(
                condition=models.Q(disclosed_by__isnull=True)
                | ~models.Q(disclosed_by=models.F("author")),
                name="intel_disclosure_four_eyes",
            ),
            # Nothing leaves ungraded, unsanitised or unapproved, and never without its hash.
            models.CheckConstraint(
                condition=~models.Q(status=ReportStatus.DISCLOSED)
                | (
                    models.Q(
                        disclosed_to__isnull=False,
                        disclosed_at__isnull=False,
                        approved_by__isnull=False,
                        sanitised_at__isnull=False,
                    )
                    & ~models.Q(content_hash="")
                    & ~models.Q(source_grade="")
                    & ~models.Q(intelligence_grade="")
                    & ~models.Q(handling_code="")
                ),
                name="intel_disclosed_complete",
            ),
        ]
        indexes = [
            models.Index(fields=["region", "status"], name="intel_report_region_idx"),
            models.Index(fields=["disclosed_to", "-disclosed_at"], name="intel_report_police_idx"),
        ]

    def __str__(self) -> str:
        return self.reference

    def save(self, *args: Any, **kwargs: Any) -> None:
        # A disclosed report is frozen: only its acknowledgement may still be recorded.
        if self.pk is not None:
            stored = IntelReport.objects.filter(pk=self.pk).values_list("status", flat=True).first()
            allowed = {"acknowledged_by", "acknowledged_at"}
            update_fields = kwargs.get("update_fields")
            if stored == ReportStatus.DISCLOSED and not (
                update_fields is not None and set(update_fields) <= allowed
            ):
                raise PermissionError("A disclosed intelligence report cannot be changed.")
        super().save(*args, **kwargs)

    @property
    def reference(self) -> str:
        return f"IR-{self.pk or 0:05d}-v{self.version}"

    @property
    def grading(self) -> str:
        if not (self.source_grade and self.intelligence_grade and self.handling_code):
            return ""
        return f"{self.source_grade}{self.intelligence_grade}{self.handling_code}"

    @property
    def is_graded(self) -> bool:
        if not self.grading:
            return False
        return self.handling_code != HandlingCode.CONDITIONS or bool(
            self.handling_conditions.strip()
        )

    @property
    def is_disclosed(self) -> bool:
        return self.status == ReportStatus.DISCLOSED


class ReplyKind(models.TextChoices):
    OUTCOME = "outcome", _("An outcome")
    REQUEST = "request", _("A request for more information")


class ReportReply(models.Model):
    """What the receiving police force says back about a disclosed report."""

    Kind = ReplyKind

    report = models.ForeignKey(IntelReport, on_delete=models.PROTECT, related_name="replies")
    kind = models.CharField(_("kind of reply"), max_length=10, choices=ReplyKind.choices)
    text = EncryptedTextField(_("reply"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    # The case timeline entry the reply was copied to (None when the case is closed).
    timeline_entry_id = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("reply to a report")
        verbose_name_plural = _("replies to reports")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=ReplyKind.values), name="intel_reply_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"Reply {self.pk} to {self.report_id}"


# --- Entity resolution ---------------------------------------------------------------------------


class MatchStatus(models.TextChoices):
    PROPOSED = "proposed", _("Waiting for review")
    CONFIRMED = "confirmed", _("Confirmed: same person")
    REJECTED = "rejected", _("Rejected: different people")
    SPLIT = "split", _("Merged, then split again")


class ResolvedPerson(models.Model):
    """One real person behind several records (case people, referral subjects), as confirmed."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("resolved person")
        verbose_name_plural = _("resolved people")

    def __str__(self) -> str:
        return f"Resolved person {self.pk}"


class ResolvedMember(models.Model):
    """A record that belongs to a resolved person: "person:<pk>" or "referral:<pk>"."""

    resolved = models.ForeignKey(ResolvedPerson, on_delete=models.CASCADE, related_name="members")
    record_key = models.CharField(max_length=40, unique=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("resolved record")
        verbose_name_plural = _("resolved records")

    def __str__(self) -> str:
        return self.record_key


class MatchCandidate(models.Model):
    """A pair of records that may be the same person, proposed by the resolution run."""

    Status = MatchStatus

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    left_key = models.CharField(max_length=40)
    right_key = models.CharField(max_length=40)
    match_weight = models.FloatField()
    match_probability = models.FloatField()
    # Comparison name -> level label; codes and labels only, no personal data.
    reasons = models.JSONField(default=list, blank=True)
    exact = models.BooleanField(default=False)
    status = models.CharField(
        max_length=10, choices=MatchStatus.choices, default=MatchStatus.PROPOSED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-match_weight", "id"]
        verbose_name = _("possible match")
        verbose_name_plural = _("possible matches")
        constraints = [
            models.UniqueConstraint(fields=["left_key", "right_key"], name="intel_match_pair"),
            models.CheckConstraint(
                condition=models.Q(status__in=MatchStatus.values), name="intel_match_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(left_key__lt=models.F("right_key")),
                name="intel_match_ordered_pair",
            ),
        ]
        indexes = [models.Index(fields=["region", "status"], name="intel_match_queue_idx")]

    def __str__(self) -> str:
        return f"{self.left_key} ~ {self.right_key}"


class NetworkSnapshot(models.Model):
    """The largest networks of a region's whole graph, computed by a periodic job.

    Holds only node ids ("case:12", "phone:<blind index prefix>") and kinds, never names or
    values: labels are filled at view time through the viewer's own access rules.
    """

    region = models.OneToOneField(Region, on_delete=models.CASCADE, related_name="+")
    computed_at = models.DateTimeField(default=timezone.now)
    seconds = models.FloatField(default=0)
    item_count = models.PositiveIntegerField(default=0)
    link_count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("network snapshot")
        verbose_name_plural = _("network snapshots")

    def __str__(self) -> str:
        return f"Network snapshot {self.region_id}"


class SnapshotNetwork(models.Model):
    snapshot = models.ForeignKey(NetworkSnapshot, on_delete=models.CASCADE, related_name="networks")
    rank = models.PositiveIntegerField()
    size = models.PositiveIntegerField()
    # Items of each kind in the whole network, e.g. {"case": 3, "phone": 2}.
    counts = models.JSONField(default=dict)

    class Meta:
        ordering = ["rank"]
        constraints = [
            models.UniqueConstraint(fields=["snapshot", "rank"], name="intel_snapshot_rank_unique")
        ]

    def __str__(self) -> str:
        return f"Network {self.rank}"


class SnapshotItemRole(models.TextChoices):
    PERSON = "person", _("Most connected person")
    PHONE = "phone", _("Most connected phone")
    START = "start", _("Record to start the network from")


class SnapshotItem(models.Model):
    network = models.ForeignKey(SnapshotNetwork, on_delete=models.CASCADE, related_name="items")
    role = models.CharField(max_length=10, choices=SnapshotItemRole.choices)
    position = models.PositiveIntegerField()
    node = models.CharField(max_length=60)
    degree = models.PositiveIntegerField()
    betweenness = models.FloatField(default=0)

    class Meta:
        ordering = ["network", "role", "position"]

    def __str__(self) -> str:
        return self.node
