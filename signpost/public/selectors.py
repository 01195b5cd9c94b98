"""Reads of the public app."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

from django.conf import settings
from django.db.models import QuerySet, Sum
from django.urls import reverse

from signpost.public.models import TOKEN_PATTERN, DailyScan, LandingToken, PageContent

_TOKEN_RE = re.compile(rf"\A{TOKEN_PATTERN}\Z")


def active_landing_token(value: str | None) -> LandingToken | None:
    """The active token with this text, or None for anything else (never an error)."""
    if not value or not _TOKEN_RE.match(value):
        return None
    return LandingToken.objects.filter(token=value, is_active=True).first()


def landing_url(token: LandingToken) -> str:
    """The full address to print as a QR code or post in a channel."""
    return settings.SITE_URL + reverse("public_landing", kwargs={"token": token.token})


def scan_counts(
    *, token_ids: Iterable[int], date_from: date | None = None, date_to: date | None = None
) -> dict[int, int]:
    """Scans per token between two days (both included); tokens never scanned count 0.

    A queryset of token ids is sent to the database as a subquery: thousands of ids sent as
    parameters cost Django's lookups more time than the query itself."""
    ids = list(token_ids)
    wanted = token_ids if isinstance(token_ids, QuerySet) else ids
    rows = DailyScan.objects.filter(token_id__in=wanted)
    if date_from is not None:
        rows = rows.filter(day__gte=date_from)
    if date_to is not None:
        rows = rows.filter(day__lte=date_to)
    counts = dict.fromkeys(ids, 0)
    for row in rows.values("token_id").annotate(total=Sum("count")):
        counts[row["token_id"]] = row["total"]
    return counts


def page_content_for(*, page: str, language: str) -> PageContent | None:
    return PageContent.objects.filter(page=page, language=language).first()
