"""Insights keeps only counts: monthly tallies that the worker refreshes from the other apps,
and the anonymised statistics a lead has published. Nothing here can identify a person.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from signpost.core.models import Area, Region


class MonthlyTally(models.Model):
    """One count for a region, an area (or none), a month and a measure's key.

    Months, not days: the dashboard's periods are whole months, so a large region's two years
    fit in a few thousand rows that the dashboard sums in milliseconds.
    """

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    area = models.ForeignKey(
        Area, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    month = models.DateField(_("month"))
    measure = models.CharField(max_length=40)
    key = models.CharField(max_length=100, blank=True)
    count = models.PositiveIntegerField(default=0)
    # For durations: the sum of hours (averages) and how many were within the target.
    hours = models.FloatField(default=0)
    within_target = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("monthly tally")
        verbose_name_plural = _("monthly tallies")
        indexes = [
            models.Index(fields=["region", "measure", "month"], name="insights_tally_lookup_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.measure} {self.key} {self.month:%Y-%m}: {self.count}"


class SummaryState(models.Model):
    """When a region's tallies were last rebuilt."""

    region = models.OneToOneField(Region, on_delete=models.CASCADE, related_name="+")
    refreshed_at = models.DateTimeField()
    seconds = models.FloatField(default=0)

    class Meta:
        verbose_name = _("summary state")
        verbose_name_plural = _("summary states")

    def __str__(self) -> str:
        return f"{self.region} at {self.refreshed_at:%Y-%m-%d %H:%M}"


class PublishedReport(models.Model):
    """A quarter's anonymised statistics, frozen as published: small numbers already suppressed.

    The public page shows exactly these figures; later changes to cases do not alter them.
    """

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    tables = models.JSONField(default=list)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(_("published"), default=timezone.now)

    class Meta:
        ordering = ["-year", "-quarter", "region__name"]
        verbose_name = _("published statistics")
        verbose_name_plural = _("published statistics")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "year", "quarter"], name="insights_report_unique_quarter"
            ),
            models.CheckConstraint(
                condition=models.Q(quarter__gte=1, quarter__lte=4),
                name="insights_report_quarter_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.year} Q{self.quarter}"

    @property
    def label(self) -> str:
        return f"{self.year} Q{self.quarter}"
