"""Reads of the public app: scan counts for the outreach and insights pages, tokens."""

from __future__ import annotations

from datetime import date

import pytest

from signpost.public.models import DailyScan, LandingToken
from signpost.public.selectors import active_landing_token, landing_url, scan_counts
from signpost.public.services import landing_token_create

pytestmark = pytest.mark.django_db


def test_scan_counts_add_up_days_in_the_range_and_give_zero_for_unscanned_tokens():
    first = landing_token_create(language="ro", label="A", by=None)
    second = landing_token_create(language="ro", label="B", by=None)
    unscanned = landing_token_create(language="ro", label="C", by=None)
    DailyScan.objects.create(token=first, day=date(2026, 3, 1), count=2)
    DailyScan.objects.create(token=first, day=date(2026, 3, 5), count=3)
    DailyScan.objects.create(token=first, day=date(2026, 3, 9), count=7)
    DailyScan.objects.create(token=second, day=date(2026, 3, 5), count=1)
    ids = [first.pk, second.pk, unscanned.pk]
    assert scan_counts(token_ids=ids) == {first.pk: 12, second.pk: 1, unscanned.pk: 0}
    assert scan_counts(token_ids=ids, date_from=date(2026, 3, 5)) == {
        first.pk: 10,
        second.pk: 1,
        unscanned.pk: 0,
    }
    assert scan_counts(token_ids=ids, date_from=date(2026, 3, 2), date_to=date(2026, 3, 5)) == {
        first.pk: 3,
        second.pk: 1,
        unscanned.pk: 0,
    }
    assert scan_counts(token_ids=[]) == {}
    as_subquery = LandingToken.objects.filter(pk__in=ids).values_list("pk", flat=True)
    assert scan_counts(token_ids=as_subquery, date_from=date(2026, 3, 5)) == {
        first.pk: 10,
        second.pk: 1,
        unscanned.pk: 0,
    }


def test_active_landing_token_accepts_only_active_well_formed_tokens():
    token = landing_token_create(language="en", label="Poster", by=None)
    assert active_landing_token(token.token) == token
    assert active_landing_token(None) is None
    assert active_landing_token("") is None
    assert active_landing_token(token.token + "'; DROP TABLE") is None
    LandingToken.objects.filter(pk=token.pk).update(is_active=False)
    assert active_landing_token(token.token) is None


def test_landing_url_is_the_full_address_of_the_token(settings):
    settings.SITE_URL = "https://help.example.org"
    token = landing_token_create(language="ro", label="Leaflet", by=None)
    assert landing_url(token) == f"https://help.example.org/q/{token.token}"
