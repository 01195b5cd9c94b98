"""/q/<token>: a QR or channel landing counts an anonymous scan and opens the help page."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.contrib.sessions.models import Session

from signpost.core.models import AuditEvent
from signpost.public.models import DailyScan, LandingToken
from signpost.public.selectors import scan_counts
from signpost.public.services import landing_token_create
from signpost.public.tests.helpers import anonymous, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def leaflet() -> LandingToken:
    return landing_token_create(language="ro", label="Leaflet spring 2026, Digbeth", by=None)


def test_a_scan_opens_the_help_page_in_the_token_language_and_carries_the_token(leaflet):
    response = anonymous().get(f"/q/{leaflet.token}", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    assert response["Location"] == f"{url('public:how_we_help', 'ro')}?via={leaflet.token}"
    page = anonymous().get(response["Location"])
    assert page.status_code == 200
    assert 'lang="ro"' in page.content.decode()


def test_each_scan_counts_once_per_token_per_day(leaflet):
    other = landing_token_create(language="en", label="Instagram channel", by=None)
    with time_machine.travel("2026-03-01 10:00:00+00:00", tick=False):
        for _ in range(3):
            anonymous().get(f"/q/{leaflet.token}")
        anonymous().get(f"/q/{other.token}")
    with time_machine.travel("2026-03-02 09:00:00+00:00", tick=False):
        anonymous().get(f"/q/{leaflet.token}")
    rows = {(row.token_id, row.day): row.count for row in DailyScan.objects.all()}
    assert rows == {
        (leaflet.pk, date(2026, 3, 1)): 3,
        (other.pk, date(2026, 3, 1)): 1,
        (leaflet.pk, date(2026, 3, 2)): 1,
    }
    assert scan_counts(token_ids=[leaflet.pk, other.pk]) == {leaflet.pk: 4, other.pk: 1}


def test_a_scan_stores_no_address_no_browser_and_sets_no_cookie(leaflet):
    client = anonymous()
    response = client.get(
        f"/q/{leaflet.token}",
        HTTP_USER_AGENT="Mozilla/5.0 (Linux; Android 14) TestPhone",
        REMOTE_ADDR="203.0.113.77",
    )
    assert "Set-Cookie" not in response.headers
    assert not client.cookies
    assert Session.objects.count() == 0
    assert {field.name for field in DailyScan._meta.get_fields()} == {"id", "token", "day", "count"}
    # No audit event either: it would hold the address.
    assert not AuditEvent.objects.filter(client_address="203.0.113.77").exists()
    assert response["Cache-Control"] == "no-store"
    assert response["Referrer-Policy"] == "no-referrer"


@pytest.mark.parametrize("token", ["unknown-token-123", "x", "%3Cscript%3E", "a" * 300])
def test_an_unknown_token_lands_on_the_home_page_in_the_visitor_language(token):
    response = anonymous().get(f"/q/{token}", HTTP_ACCEPT_LANGUAGE="pl-PL,pl;q=0.9")
    assert response.status_code == 302
    assert response["Location"] == url("public:home", "pl")
    assert DailyScan.objects.count() == 0


def test_a_switched_off_token_lands_on_the_home_page_and_is_not_counted(leaflet):
    LandingToken.objects.filter(pk=leaflet.pk).update(is_active=False)
    response = anonymous().get(f"/q/{leaflet.token}", HTTP_ACCEPT_LANGUAGE="sq")
    assert response["Location"] == url("public:home", "sq")
    assert DailyScan.objects.count() == 0


def test_an_unknown_token_without_a_known_language_lands_in_english():
    response = anonymous().get("/q/unknown-token-123", HTTP_ACCEPT_LANGUAGE="de")
    assert response["Location"] == url("public:home", "en")


def test_a_head_request_is_answered_but_not_counted(leaflet):
    response = anonymous().head(f"/q/{leaflet.token}")
    assert response.status_code == 302
    assert DailyScan.objects.count() == 0
