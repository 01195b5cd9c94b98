"""Outreach: leaflet editions, the places leaflets go, who left how many, community channels.

Only counts and places live here, never anything about the people who pick up a leaflet. The one
piece of personal data is a channel's contact person, encrypted at rest.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from signpost.core.fields import EncryptedTextField
from signpost.core.models import Area, Organisation, Region


def language_choices() -> list[tuple[str, Any]]:
    return [(code, name) for code, name in settings.LANGUAGES]


class LeafletEdition(models.Model):
    """One printing of the leaflet in one language, for one region's charity.

    The text fields start as the shipped text in the edition's language; staff may change them.
    """

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="leaflet_editions")
    name = models.CharField(
        _("edition"),
        max_length=100,
        help_text=_("How staff and volunteers tell editions apart, e.g. 'Spring 2026'."),
    )
    language = models.CharField(_("language"), max_length=10, choices=language_choices())
    title = models.CharField(_("headline"), max_length=120)
    what_is = models.TextField(_("what modern slavery is"), max_length=1200)
    signs = models.TextField(
        _("the signs"),
        max_length=1200,
        help_text=_("One sign a line. Each line becomes a point in a list."),
    )
    get_help = models.TextField(_("how to get help safely"), max_length=1200)
    contact = models.TextField(
        _("the charity's contact"),
        max_length=400,
        help_text=_("Name, phone and opening hours, as they should be printed."),
    )
    is_current = models.BooleanField(
        _("in use"),
        default=True,
        help_text=_("Volunteers can only record editions that are in use."),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["region__name", "-is_current", "name", "language"]
        verbose_name = _("leaflet edition")
        verbose_name_plural = _("leaflet editions")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "name", "language"], name="outreach_edition_unique_language"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_language_display()})"


class PointKind(models.TextChoices):
    NIGHT_VENUE = "night_venue", _("Night-time venue")
    HOSTEL = "hostel", _("Hostel or shelter")
    CLINIC = "clinic", _("Clinic or health service")
    COMMUNITY_CENTRE = "community_centre", _("Community centre")
    CHURCH = "church", _("Church or place of worship")
    STREET = "street", _("Street or public place")
    OTHER = "other", _("Other place")


class DistributionPoint(models.Model):
    """A place where people at risk are known to go and where leaflets are left or handed out."""

    Kind = PointKind

    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="distribution_points")
    name = models.CharField(
        _("name"),
        max_length=120,
        help_text=_("The place, not a person: e.g. 'Hurst Street, night-time'."),
    )
    kind = models.CharField(_("kind of place"), max_length=20, choices=PointKind.choices)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=8,
        decimal_places=5,
        validators=[MinValueValidator(Decimal("-90")), MaxValueValidator(Decimal("90"))],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=8,
        decimal_places=5,
        validators=[MinValueValidator(Decimal("-180")), MaxValueValidator(Decimal("180"))],
    )
    is_active = models.BooleanField(_("in use"), default=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["area__name", "name"]
        verbose_name = _("distribution point")
        verbose_name_plural = _("distribution points")
        constraints = [
            models.UniqueConstraint(fields=["area", "name"], name="outreach_point_unique_name"),
            models.CheckConstraint(
                condition=models.Q(kind__in=PointKind.values), name="outreach_point_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(latitude__gte=-90, latitude__lte=90)
                & models.Q(longitude__gte=-180, longitude__lte=180),
                name="outreach_point_coordinates_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def region(self) -> Region:
        return self.area.region


class PointLeaflet(models.Model):
    """A leaflet edition printed for one point: its own landing token, so scans are attributed."""

    point = models.ForeignKey(DistributionPoint, on_delete=models.PROTECT, related_name="leaflets")
    edition = models.ForeignKey(LeafletEdition, on_delete=models.PROTECT, related_name="leaflets")
    landing_token = models.OneToOneField(
        "public.LandingToken", on_delete=models.PROTECT, related_name="point_leaflet"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("leaflet for a point")
        verbose_name_plural = _("leaflets for points")
        constraints = [
            models.UniqueConstraint(
                fields=["point", "edition"], name="outreach_point_leaflet_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.edition} · {self.point}"

    @property
    def region(self) -> Region:
        return self.point.area.region


class DistributionMethod(models.TextChoices):
    HANDED_OUT = "handed_out", _("Handed out to people")
    LEFT = "left", _("Left at the place")


class Distribution(models.Model):
    """A volunteer's record: at this point, at this time, so many leaflets of this edition."""

    Method = DistributionMethod

    point = models.ForeignKey(
        DistributionPoint, on_delete=models.PROTECT, related_name="distributions"
    )
    edition = models.ForeignKey(
        LeafletEdition, on_delete=models.PROTECT, related_name="distributions"
    )
    quantity = models.PositiveIntegerField(
        _("how many leaflets"), validators=[MinValueValidator(1), MaxValueValidator(5000)]
    )
    method = models.CharField(
        _("how"),
        max_length=12,
        choices=DistributionMethod.choices,
        default=DistributionMethod.HANDED_OUT,
    )
    distributed_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="distributions"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="distributions"
    )
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        ordering = ["-distributed_at", "-id"]
        verbose_name = _("distribution")
        verbose_name_plural = _("distributions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity__gte=1, quantity__lte=5000),
                name="outreach_distribution_quantity_range",
            ),
            models.CheckConstraint(
                condition=models.Q(method__in=DistributionMethod.values),
                name="outreach_distribution_method_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["recorded_by", "-distributed_at"], name="outreach_dist_own_idx"),
            # The record form's "last place used" and recent places: a volunteer's entries in
            # the order she made them (80-97 ms each without it, for 40,000 entries).
            models.Index(fields=["recorded_by", "-created_at"], name="outreach_dist_made_idx"),
            models.Index(fields=["organisation", "-distributed_at"], name="outreach_dist_org_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.edition} · {self.point}"

    @property
    def region(self) -> Region:
        return self.point.area.region


class ChannelKind(models.TextChoices):
    BLOG = "blog", _("Blog or community website")
    SOCIAL_GROUP = "social_group", _("Social-media group")
    SOCIAL_PAGE = "social_page", _("Social-media page or account")
    MESSAGING_GROUP = "messaging_group", _("Messaging group")
    RADIO = "radio", _("Community radio")
    OTHER = "other", _("Other channel")


class ChannelStatus(models.TextChoices):
    PROPOSED = "proposed", _("Not yet approached")
    ACTIVE = "active", _("Posting")
    PAUSED = "paused", _("Paused")
    ENDED = "ended", _("No longer used")


class CommunityChannel(models.Model):
    """A blog, group, page or radio show through which the charity reaches a community."""

    Kind = ChannelKind
    Status = ChannelStatus

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="community_channels")
    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind of channel"), max_length=20, choices=ChannelKind.choices)
    platform = models.CharField(
        _("platform"), max_length=60, help_text=_("e.g. Facebook, WhatsApp, a radio station.")
    )
    language = models.CharField(_("language"), max_length=10, choices=language_choices())
    audience_size = models.PositiveIntegerField(
        _("audience size"),
        null=True,
        blank=True,
        help_text=_("Members, followers or listeners, roughly."),
    )
    contact_person = EncryptedTextField(
        _("contact person"),
        null=True,
        blank=True,
        help_text=_("Who runs it and how to reach them. Stored encrypted."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ChannelStatus.choices, default=ChannelStatus.PROPOSED
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["region__name", "name"]
        verbose_name = _("community channel")
        verbose_name_plural = _("community channels")
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="outreach_channel_unique_name"),
            models.CheckConstraint(
                condition=models.Q(kind__in=ChannelKind.values), name="outreach_channel_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=ChannelStatus.values),
                name="outreach_channel_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class AwarenessPost(models.Model):
    """One post, article or broadcast on a channel, with its own landing token."""

    channel = models.ForeignKey(CommunityChannel, on_delete=models.PROTECT, related_name="posts")
    posted_on = models.DateField(_("date"), default=timezone.localdate)
    campaign = models.CharField(
        _("campaign"),
        max_length=100,
        help_text=_("Posts with the same campaign name are counted together."),
    )
    link = models.URLField(_("link to the post"), max_length=500, blank=True)
    reach = models.PositiveIntegerField(
        _("reach"), null=True, blank=True, help_text=_("Views or listeners, if known.")
    )
    landing_token = models.OneToOneField(
        "public.LandingToken", on_delete=models.PROTECT, related_name="awareness_post"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["-posted_on", "-id"]
        verbose_name = _("awareness post")
        verbose_name_plural = _("awareness posts")

    def __str__(self) -> str:
        return f"{self.campaign} · {self.channel} · {self.posted_on}"

    @property
    def region(self) -> Region:
        return self.channel.region
