from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, ThrottlingMixin

from signpost.core.roles import Role


class Region(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name


class Area(models.Model):
    """A reporting and routing area inside a region (e.g. a local authority)."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="areas")
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100)

    class Meta:
        ordering = ["region__name", "name"]
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        constraints = [
            models.UniqueConstraint(fields=["region", "slug"], name="area_unique_slug_in_region"),
        ]

    def __str__(self) -> str:
        return self.name


class OrganisationKind(models.TextChoices):
    CHARITY = "charity", _("Charity")
    PARTNER = "partner", _("Partner organisation")
    POLICE = "police", _("Police force or agency")
    COUNCIL = "council", _("Council")
    SUPPORT_PROVIDER = "support_provider", _("Support provider")


class Organisation(models.Model):
    Kind = OrganisationKind

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="organisations")
    is_first_responder = models.BooleanField(
        _("first responder organisation"),
        default=False,
        help_text=_("May refer people to the National Referral Mechanism."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=OrganisationKind.values),
                name="organisation_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="team_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("Users need an email address.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):  # type: ignore[django-manager-missing]
    """A person who signs in: charity staff, partner volunteers, police liaison, admins."""

    email = models.EmailField(_("email address"), unique=True)
    display_name = models.CharField(_("name"), max_length=150)
    language = models.CharField(_("language"), max_length=10, default="en")
    languages_spoken = models.JSONField(
        _("languages spoken"),
        default=list,
        blank=True,
        help_text=_("ISO 639-1 codes, used to route referrals to a speaker of the language."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(
        _("Django admin access"),
        default=False,
        help_text=_("Administrators only: may open the configuration screens."),
    )
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["display_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.email

    def clean(self) -> None:
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()


class Membership(models.Model):
    """A user's role in an organisation, for some areas of the organisation's region."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    areas = models.ManyToManyField(Area, blank=True, related_name="memberships")
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, null=True, blank=True, related_name="memberships"
    )
    is_coordinator = models.BooleanField(
        _("partner coordinator"),
        default=False,
        help_text=_("Sees the whole partner organisation's submissions and distributions."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="membership_unique_role"
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values),
                name="membership_role_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.organisation}"

    @property
    def region(self) -> Region:
        return self.organisation.region


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise PermissionError("Audit events are append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("Audit events are append-only.")


class AuditEvent(models.Model):
    """Append-only record of who did what to which object, when and from where.

    Details never hold personal data: ids, field names, counts and codes only.
    """

    class Action(models.TextChoices):
        VIEW = "view", _("Viewed")
        CREATE = "create", _("Created")
        UPDATE = "update", _("Changed")
        DELETE = "delete", _("Deleted")
        EXPORT = "export", _("Exported")
        DISCLOSE = "disclose", _("Disclosed")
        SIGN_IN = "sign_in", _("Signed in")
        SIGN_IN_FAILURE = "sign_in_failure", _("Sign-in failed")
        SIGN_OUT = "sign_out", _("Signed out")
        LOCKED_OUT = "locked_out", _("Locked out")
        ACCESS_DENIED = "access_denied", _("Access denied")
        MFA_ENROL = "mfa_enrol", _("Second factor enrolled")
        REAUTHENTICATE = "reauthenticate", _("Re-authenticated")
        KEY_ROTATION = "key_rotation", _("Encryption keys rotated")

    actor = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=30, choices=Action.choices, db_index=True)
    target_type = models.CharField(max_length=60, blank=True, db_index=True)
    target_id = models.CharField(max_length=64, blank=True)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    occurred_at = models.DateTimeField(default=timezone.now, db_index=True)
    client_address = models.GenericIPAddressField(null=True, blank=True)
    details = models.JSONField(default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["target_type", "target_id"], name="audit_target_idx")]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M:%S} {self.action} {self.target_type}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("Audit events are append-only.")


class RecoveryCodeDevice(ThrottlingMixin, Device):
    """One-time recovery codes, stored only as keyed hashes, as a django-otp device."""

    def get_throttle_factor(self) -> int:
        return 1

    def verify_token(self, token: Any) -> bool:
        from signpost.core.mfa import recovery_code_hash

        verify_allowed, _unused = self.verify_is_allowed()
        if not verify_allowed:
            return False
        digest = recovery_code_hash(str(token))
        used = self.codes.filter(code_hash=digest, used_at__isnull=True).update(
            used_at=timezone.now()
        )
        if used:
            self.throttle_reset()
            return True
        self.throttle_increment()
        return False


class RecoveryCode(models.Model):
    device = models.ForeignKey(RecoveryCodeDevice, on_delete=models.CASCADE, related_name="codes")
    code_hash = models.CharField(max_length=64)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["device", "code_hash"], name="recovery_code_unique"),
        ]

    def __str__(self) -> str:
        return f"Recovery code {self.pk} ({'used' if self.used_at else 'unused'})"
