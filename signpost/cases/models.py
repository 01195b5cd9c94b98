"""Case files: the charity's record of one investigation, from opening to closure.

Everything said about people (names, dates of birth, contact details, addresses, free text) is
encrypted at rest; what must be matched across cases and apps (identifiers, name keys) carries a
keyed blind index next to it.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from signpost.core.fields import EncryptedJSONField, EncryptedTextField
from signpost.core.models import Area, Organisation, Region, Team


class ExploitationType(models.TextChoices):
    SEXUAL = "sexual", _("Sexual exploitation")
    LABOUR = "labour", _("Labour exploitation")
    DOMESTIC_SERVITUDE = "domestic_servitude", _("Domestic servitude")
    CRIMINAL = "criminal", _("Criminal exploitation")
    ORGAN_HARVESTING = "organ_harvesting", _("Organ harvesting")
    UNKNOWN = "unknown", _("Not known yet")


class CaseStatus(models.TextChoices):
    # Contexts: the same English words name referral statuses, whose Romanian differs.
    OPEN = "open", pgettext_lazy("case status", "Open")
    ACTIVE = "active", _("Active investigation")
    SAFEGUARDING = "safeguarding", _("Safeguarding")
    SUPPORT = "support", _("Support")
    CLOSED = "closed", pgettext_lazy("case status", "Closed")


# Closing is not a plain transition: it needs a request and a lead's approval (closure_*).
# Reopening a closed case is a lead's decision (enforced in services).
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    CaseStatus.OPEN: frozenset({CaseStatus.ACTIVE, CaseStatus.SAFEGUARDING, CaseStatus.SUPPORT}),
    CaseStatus.ACTIVE: frozenset({CaseStatus.SAFEGUARDING, CaseStatus.SUPPORT}),
    CaseStatus.SAFEGUARDING: frozenset({CaseStatus.ACTIVE, CaseStatus.SUPPORT}),
    CaseStatus.SUPPORT: frozenset({CaseStatus.ACTIVE, CaseStatus.SAFEGUARDING}),
    CaseStatus.CLOSED: frozenset({CaseStatus.ACTIVE}),
}


class ClosureOutcome(models.TextChoices):
    SAFEGUARDED = "safeguarded", _("Safeguarded")
    SUPPORTED = "supported", _("Supported")
    NRM_REFERRED = "nrm_referred", _("Referred to the National Referral Mechanism")
    DECLINED_SUPPORT = "declined_support", _("Declined support")
    NO_TRACE = "no_trace", _("No trace")
    NO_FURTHER_ACTION = "no_further_action", _("No further action")


class CaseReferenceCounter(models.Model):
    """The last sequence number given in a year; incremented under a row lock."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("case reference counter")
        verbose_name_plural = _("case reference counters")

    def __str__(self) -> str:
        return f"{self.year}: {self.last_value}"


class Case(models.Model):
    Status = CaseStatus
    Outcome = ClosureOutcome

    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    reference_year = models.PositiveSmallIntegerField(editable=False)
    reference_number = models.PositiveIntegerField(editable=False)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="cases", verbose_name=_("region")
    )
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="cases", verbose_name=_("area")
    )
    lead_investigator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="cases_led",
        verbose_name=_("lead investigator"),
    )
    team = models.ForeignKey(
        Team,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("team"),
    )
    handlers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="cases_handled",
        verbose_name=_("assigned intake handlers"),
        help_text=_("Intake handlers see a case only while they are assigned to it."),
    )
    exploitation_types = models.JSONField(_("types of exploitation"), default=list)
    status = models.CharField(
        _("status"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.OPEN
    )
    summary = EncryptedTextField(_("summary"), blank=True, default="")

    closure_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closure requested by"),
    )
    closure_requested_at = models.DateTimeField(_("closure requested at"), null=True, blank=True)
    closure_outcome = models.CharField(
        _("outcome"), max_length=30, choices=ClosureOutcome.choices, blank=True
    )
    closure_reason = EncryptedTextField(_("reason for closing"), blank=True, default="")
    closure_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closure approved by"),
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("opened at"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        constraints = [
            models.UniqueConstraint(
                fields=["reference_year", "reference_number"], name="case_reference_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=CaseStatus.values), name="case_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(closure_outcome="")
                | models.Q(closure_outcome__in=ClosureOutcome.values),
                name="case_outcome_valid",
            ),
            # A closed case always has its outcome, approver and closing time.
            models.CheckConstraint(
                condition=~models.Q(status=CaseStatus.CLOSED)
                | (
                    models.Q(closed_at__isnull=False, closure_approved_by__isnull=False)
                    & ~models.Q(closure_outcome="")
                ),
                name="case_closed_complete",
            ),
            # The lead who approves closure is never the person who asked for it.
            models.CheckConstraint(
                condition=models.Q(closure_approved_by__isnull=True)
                | models.Q(closure_requested_by__isnull=True)
                | ~models.Q(closure_approved_by=models.F("closure_requested_by")),
                name="case_closure_four_eyes",
            ),
        ]
        indexes = [
            # The lead investigator too: the caseload per investigator reads this index alone.
            models.Index(
                fields=["region", "status", "lead_investigator"], name="case_region_status_idx"
            ),
            models.Index(fields=["lead_investigator", "status"], name="case_lead_status_idx"),
            models.Index(fields=["team", "status"], name="case_team_status_idx"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_closed(self) -> bool:
        return self.status == CaseStatus.CLOSED

    @property
    def closure_pending(self) -> bool:
        return self.closure_requested_at is not None and not self.is_closed

    def exploitation_type_labels(self) -> list[str]:
        labels = dict(ExploitationType.choices)
        return [str(labels.get(value, value)) for value in self.exploitation_types]

    def allowed_next_statuses(self) -> list[str]:
        return sorted(ALLOWED_TRANSITIONS.get(self.status, frozenset()))


class PersonRole(models.TextChoices):
    POTENTIAL_VICTIM = "potential_victim", _("Potential victim")
    SUSPECT = "suspect", _("Suspect")
    WITNESS = "witness", _("Witness")
    OTHER = "other", _("Other")


class Person(models.Model):
    """Someone in a case. Every descriptive field is encrypted; name_index allows matching."""

    Role = PersonRole

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="people")
    role = models.CharField(_("role in the case"), max_length=20, choices=PersonRole.choices)
    full_name = EncryptedTextField(_("name"))
    aliases = EncryptedJSONField(_("other names"), default=list, blank=True)
    date_of_birth = EncryptedTextField(_("date of birth"), null=True, blank=True)
    estimated_age = EncryptedJSONField(_("estimated age"), null=True, blank=True)
    nationality = EncryptedTextField(_("nationality"), blank=True, default="")
    languages = EncryptedJSONField(_("languages"), default=list, blank=True)
    description = EncryptedTextField(_("description"), blank=True, default="")
    contact_details = EncryptedTextField(
        _("safe contact details"),
        blank=True,
        default="",
        help_text=_("How and when it is safe to contact them."),
    )
    name_index = models.CharField(max_length=64, db_index=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=PersonRole.values), name="person_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.pk}"

    @property
    def birth_date(self) -> datetime.date | None:
        if not self.date_of_birth:
            return None
        return datetime.date.fromisoformat(self.date_of_birth)

    def age_on(self, day: datetime.date) -> int | None:
        born = self.birth_date
        if born is not None:
            return day.year - born.year - ((day.month, day.day) < (born.month, born.day))
        if self.estimated_age is not None:
            return int(self.estimated_age)
        return None

    @property
    def age(self) -> int | None:
        return self.age_on(timezone.localdate())

    @property
    def is_victim(self) -> bool:
        return self.role == PersonRole.POTENTIAL_VICTIM


class IdentifierKind(models.TextChoices):
    PHONE = "phone", _("Phone number")
    EMAIL = "email", _("Email address")
    HANDLE = "handle", _("Social media handle")
    VEHICLE = "vehicle", _("Vehicle registration")
    DOCUMENT = "document", _("Document number")


class Identifier(models.Model):
    """A phone, email, handle, vehicle or document. Other apps match on value_index."""

    Kind = IdentifierKind

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="identifiers")
    person = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="identifiers",
        verbose_name=_("person"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=IdentifierKind.choices)
    value = EncryptedTextField(_("value"))
    value_index = models.CharField(max_length=64, db_index=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["kind", "created_at", "id"]
        verbose_name = _("identifier")
        verbose_name_plural = _("identifiers")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=IdentifierKind.values), name="identifier_kind_valid"
            ),
            models.UniqueConstraint(
                fields=["case", "value_index"], name="identifier_unique_in_case"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.pk}"


class PlaceKind(models.TextChoices):
    RESIDENCE = "residence", _("Residence")
    WORKPLACE = "workplace", _("Workplace")
    HOTEL = "hotel", _("Hotel")
    BROTHEL = "brothel", _("Brothel")
    PICK_UP_POINT = "pick_up_point", _("Pick-up point")


class Place(models.Model):
    Kind = PlaceKind

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="places")
    person = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="places"
    )
    kind = models.CharField(_("kind of place"), max_length=20, choices=PlaceKind.choices)
    address = EncryptedTextField(_("address"))
    postcode = models.CharField(_("postcode"), max_length=10, blank=True, db_index=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=8, decimal_places=5, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=8, decimal_places=5, null=True, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("place")
        verbose_name_plural = _("places")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=PlaceKind.values), name="place_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True, longitude__isnull=True)
                | models.Q(
                    latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180
                ),
                name="place_coordinates_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.postcode}".strip()


class TimelineEntryKind(models.TextChoices):
    NOTE = "note", _("Note")
    EVENT = "event", _("Event")


class TimelineEntry(models.Model):
    Kind = TimelineEntryKind

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="timeline")
    kind = models.CharField(_("kind"), max_length=10, choices=TimelineEntryKind.choices)
    occurred_at = models.DateTimeField(_("when"), default=timezone.now)
    text = EncryptedTextField(_("text"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("timeline entry")
        verbose_name_plural = _("timeline entries")
        indexes = [models.Index(fields=["case", "-occurred_at"], name="timeline_case_when_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.pk}"


class Task(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="tasks")
    title = EncryptedTextField(_("task"))
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="case_tasks",
        verbose_name=_("assigned to"),
    )
    due_on = models.DateField(_("due date"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["completed_at", "due_on", "id"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")

    def __str__(self) -> str:
        return f"Task {self.pk}"

    @property
    def is_overdue(self) -> bool:
        return (
            self.completed_at is None
            and self.due_on is not None
            and self.due_on < timezone.localdate()
        )


class SafeguardingActionKind(models.TextChoices):
    SAFETY_PLAN = "safety_plan", _("Safety plan agreed")
    EMERGENCY_ACCOMMODATION = "emergency_accommodation", _("Emergency accommodation")
    MEDICAL_CARE = "medical_care", _("Medical care arranged")
    POLICE_NOTIFIED = "police_notified", _("Police notified")
    CHILDRENS_SERVICES = "childrens_services", _("Children's services notified")
    REMOVED_FROM_DANGER = "removed_from_danger", _("Removed from immediate danger")
    OTHER = "other", _("Other")


class SafeguardingAction(models.Model):
    Kind = SafeguardingActionKind

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="safeguarding_actions")
    person = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(_("action"), max_length=30, choices=SafeguardingActionKind.choices)
    taken_on = models.DateField(_("date taken"), default=timezone.localdate)
    details = EncryptedTextField(_("details"), blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-taken_on", "-id"]
        verbose_name = _("safeguarding action")
        verbose_name_plural = _("safeguarding actions")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.pk}"


class SupportNeed(models.TextChoices):
    ACCOMMODATION = "accommodation", _("Safe accommodation")
    LEGAL = "legal", _("Legal advice")
    MEDICAL = "medical", _("Medical or mental health care")
    COUNSELLING = "counselling", _("Counselling")
    SUBSTANCE = "substance", _("Drug or alcohol support")
    INTERPRETING = "interpreting", _("Interpreting")
    FINANCIAL = "financial", _("Financial support")
    OTHER = "other", _("Other")


class SupportReferralStatus(models.TextChoices):
    MADE = "made", _("Referral made")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class SupportReferral(models.Model):
    """A referral of someone in the case to a support provider (core.Organisation)."""

    Need = SupportNeed
    Status = SupportReferralStatus

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="support_referrals")
    person = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    provider = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="case_support_referrals",
        verbose_name=_("support provider"),
    )
    need = models.CharField(_("support needed"), max_length=20, choices=SupportNeed.choices)
    referred_on = models.DateField(_("date referred"), default=timezone.localdate)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=SupportReferralStatus.choices,
        default=SupportReferralStatus.MADE,
    )
    notes = EncryptedTextField(_("notes"), blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-referred_on", "-id"]
        verbose_name = _("referral to support")
        verbose_name_plural = _("referrals to support")

    def __str__(self) -> str:
        return f"{self.get_need_display()} {self.pk}"


class NrmRoute(models.TextChoices):
    NRM = "nrm", _("National Referral Mechanism")
    DUTY_TO_NOTIFY = "duty_to_notify", _("Anonymous Duty to Notify")


class NrmConsent(models.TextChoices):
    GIVEN = "given", _("Informed consent given")
    REFUSED = "refused", _("Consent not given")
    NOT_NEEDED = "not_needed", _("Not needed: under 18")


class NrmDecision(models.TextChoices):
    POSITIVE = "positive", _("Positive")
    NEGATIVE = "negative", _("Negative")


class NrmReferral(models.Model):
    """The National Referral Mechanism or Duty to Notify record for one potential victim.

    The rules (route from age and consent, decision order, recovery period) live in services.
    """

    Route = NrmRoute
    Consent = NrmConsent
    Decision = NrmDecision

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="nrm_referrals")
    person = models.OneToOneField(
        Person, on_delete=models.PROTECT, related_name="nrm", verbose_name=_("potential victim")
    )
    is_child = models.BooleanField(_("under 18"))
    consent = models.CharField(_("consent"), max_length=12, choices=NrmConsent.choices)
    consent_recorded_at = models.DateTimeField(_("consent recorded at"))
    route = models.CharField(_("route"), max_length=20, choices=NrmRoute.choices)
    first_responder = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("first responder organisation"),
    )
    submitted_on = models.DateField(_("date submitted"), null=True, blank=True)
    reasonable_grounds = models.CharField(
        _("Reasonable Grounds decision"), max_length=10, choices=NrmDecision.choices, blank=True
    )
    reasonable_grounds_on = models.DateField(
        _("date of the Reasonable Grounds decision"), null=True, blank=True
    )
    recovery_period_ends_on = models.DateField(_("end of recovery period"), null=True, blank=True)
    conclusive_grounds = models.CharField(
        _("Conclusive Grounds decision"), max_length=10, choices=NrmDecision.choices, blank=True
    )
    conclusive_grounds_on = models.DateField(
        _("date of the Conclusive Grounds decision"), null=True, blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("NRM or Duty to Notify record")
        verbose_name_plural = _("NRM or Duty to Notify records")
        constraints = [
            # Children always go to the NRM; adults only with consent; without it, Duty to Notify.
            models.CheckConstraint(
                condition=(
                    models.Q(is_child=True, consent=NrmConsent.NOT_NEEDED, route=NrmRoute.NRM)
                    | models.Q(is_child=False, consent=NrmConsent.GIVEN, route=NrmRoute.NRM)
                    | models.Q(
                        is_child=False, consent=NrmConsent.REFUSED, route=NrmRoute.DUTY_TO_NOTIFY
                    )
                ),
                name="nrm_route_follows_age_and_consent",
            ),
            models.CheckConstraint(
                condition=models.Q(reasonable_grounds="") | models.Q(submitted_on__isnull=False),
                name="nrm_rg_after_submission",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_route_display()} {self.pk}"

    @property
    def reasonable_grounds_due_on(self) -> datetime.date | None:
        if self.submitted_on is None or self.route != NrmRoute.NRM:
            return None
        return add_working_days(self.submitted_on, REASONABLE_GROUNDS_TARGET_WORKING_DAYS)

    @property
    def reasonable_grounds_overdue(self) -> bool:
        due = self.reasonable_grounds_due_on
        return due is not None and not self.reasonable_grounds and timezone.localdate() > due

    @property
    def earliest_recovery_period_end(self) -> datetime.date | None:
        if self.reasonable_grounds != NrmDecision.POSITIVE or self.reasonable_grounds_on is None:
            return None
        return self.reasonable_grounds_on + datetime.timedelta(days=MINIMUM_RECOVERY_PERIOD_DAYS)


REASONABLE_GROUNDS_TARGET_WORKING_DAYS = 5
MINIMUM_RECOVERY_PERIOD_DAYS = 30


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """Monday to Friday; bank holidays are not counted out (the target is a guide)."""
    day = start
    remaining = days
    while remaining > 0:
        day += datetime.timedelta(days=1)
        if day.weekday() < 5:
            remaining -= 1
    return day
