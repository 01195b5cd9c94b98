"""Public site: staff-editable page text, and the landing tokens printed on leaflets and channels.

Nothing here is about a visitor: a scan is a number per token and day, never an address, a cookie
or a browser signature.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from signpost.core.models import Region

# 16 random bytes: 22 url-safe characters, far beyond guessing. Older or hand-made tokens may be
# shorter, so the pattern only fixes the alphabet.
TOKEN_BYTES = 16
TOKEN_PATTERN = r"[A-Za-z0-9_-]{8,64}"  # noqa: S105  (a format, not a secret)
token_validator = RegexValidator(rf"\A{TOKEN_PATTERN}\Z", _("Use 8 to 64 letters, digits, - or _."))


def new_landing_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def language_choices() -> list[tuple[str, Any]]:
    return [(code, name) for code, name in settings.LANGUAGES]


class PageKey(models.TextChoices):
    HOME = "home", _("Home")
    SIGNS = "signs", _("Spot the signs")
    HOW_WE_HELP = "how_we_help", _("How we help")
    RIGHTS = "rights", _("Your rights")
    GET_HELP = "get_help", _("Get help now")
    SELF_REFERRAL = "self_referral", _("Ask for help")
    THANK_YOU = "thank_you", _("Thank you")


class PageContent(models.Model):
    """Staff's own text for one page in one language; without a row the shipped text is shown.

    The body is plain text: blank lines separate paragraphs, lines starting with "- " make a
    list and lines starting with "## " a heading. It is always escaped before it is shown.
    """

    page = models.CharField(_("page"), max_length=20, choices=PageKey.choices)
    language = models.CharField(_("language"), max_length=10, choices=language_choices())
    title = models.CharField(_("title"), max_length=120)
    body = models.TextField(
        _("text"),
        max_length=20_000,
        help_text=_(
            'Plain text. Leave a blank line between paragraphs. Start a line with "- " for a '
            'list item or "## " for a heading. Markup is shown as typed, never run.'
        ),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    class Meta:
        ordering = ["page", "language"]
        verbose_name = _("page text")
        verbose_name_plural = _("page texts")
        constraints = [
            models.UniqueConstraint(
                fields=["page", "language"], name="public_page_language_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(page__in=PageKey.values), name="public_page_key_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_page_display()} ({self.language})"


class LandingToken(models.Model):
    """The code behind a QR or channel link (/q/<token>): where a visit came from, not who."""

    token = models.CharField(
        _("token"),
        max_length=64,
        unique=True,
        default=new_landing_token,
        validators=[token_validator],
        editable=False,
    )
    language = models.CharField(_("language"), max_length=10, choices=language_choices())
    label = models.CharField(
        _("label"),
        max_length=200,
        help_text=_("Where it is used, e.g. 'Leaflet 2026 spring, Digbeth'. Never about a person."),
    )
    # Where the leaflet or channel reaches people: a self-referral made after the scan goes to
    # this region's intake when the person does not say where they are.
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("region"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("landing token")
        verbose_name_plural = _("landing tokens")

    def __str__(self) -> str:
        return self.label


class DailyScan(models.Model):
    """How many times one token was opened on one day (site time zone). Nothing else about it."""

    token = models.ForeignKey(LandingToken, on_delete=models.CASCADE, related_name="daily_scans")
    day = models.DateField(_("day"))
    count = models.PositiveIntegerField(_("scans"), default=0)

    class Meta:
        ordering = ["-day"]
        verbose_name = _("daily scan count")
        verbose_name_plural = _("daily scan counts")
        constraints = [
            models.UniqueConstraint(fields=["token", "day"], name="public_scan_token_day_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.token_id} {self.day}: {self.count}"
