"""Writes of the public app: landing tokens, scan counts, page text."""

from __future__ import annotations

import threading
from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection

from signpost.core.models import AuditEvent
from signpost.public.models import DailyScan, PageContent
from signpost.public.services import (
    landing_scan_record,
    landing_token_create,
    landing_token_set_active,
    page_content_delete,
    page_content_save,
)
from signpost.testing.factories import RegionFactory, UserFactory


@pytest.mark.django_db
def test_landing_tokens_are_unguessable_url_safe_and_audited():
    user = UserFactory(email="outreach@example.org")
    region = RegionFactory(name="West Midlands")
    tokens = [
        landing_token_create(language="ro", label=f"Leaflet {n}", by=user, region=region)
        for n in range(20)
    ]
    assert len({token.token for token in tokens}) == 20
    for token in tokens:
        assert len(token.token) >= 22
        assert token.token.replace("-", "").replace("_", "").isalnum()
        assert token.is_active and token.region == region
    events = AuditEvent.objects.filter(target_type="public.landingtoken", action="create")
    assert events.count() == 20
    assert {event.actor for event in events} == {user}


@pytest.mark.django_db
def test_a_token_needs_a_public_language_and_a_label():
    with pytest.raises(ValidationError):
        landing_token_create(language="de", label="Leaflet", by=None)
    with pytest.raises(ValidationError):
        landing_token_create(language="ro", label="   ", by=None)
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_switching_a_token_off_is_audited():
    token = landing_token_create(language="en", label="Poster", by=None)
    landing_token_set_active(token=token, is_active=False, by=None)
    token.refresh_from_db()
    assert token.is_active is False
    assert AuditEvent.objects.filter(action="update", target_id=str(token.pk)).exists()


@pytest.mark.django_db
def test_scans_are_counted_per_day_in_the_site_time_zone():
    token = landing_token_create(language="en", label="Poster", by=None)
    # 23:30 UTC on 30 June is already 1 July in London (summer time).
    with time_machine.travel("2026-06-30 23:30:00+00:00", tick=False):
        landing_scan_record(token=token)
    assert DailyScan.objects.get().day == date(2026, 7, 1)


@pytest.mark.django_db(transaction=True)
def test_scans_arriving_at_once_are_all_counted():
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        # Shared-cache in-memory SQLite fails on table locks instead of waiting; real
        # deployments use a file (WAL, busy timeout) or PostgreSQL, where this test runs.
        pytest.skip("needs a database that concurrent connections can wait on")
    token = landing_token_create(language="en", label="Poster", by=None)
    threads_count, scans_each = 4, 10
    errors: list[BaseException] = []

    def scan() -> None:
        try:
            for _ in range(scans_each):
                landing_scan_record(token=token)
        except BaseException as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=scan) for _ in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    assert DailyScan.objects.get().count == threads_count * scans_each


@pytest.mark.django_db
def test_page_text_is_created_then_replaced_then_removed_with_an_audit_event_each():
    user = UserFactory(email="editor@example.org")
    page_content_save(page="rights", language="pl", title="Prawa", body="Tekst.", by=user)
    page_content_save(page="rights", language="pl", title="Prawa", body="Nowy.", by=user)
    content = PageContent.objects.get()
    assert content.body == "Nowy."
    page_content_delete(content=content, by=user)
    assert not PageContent.objects.exists()
    actions = list(
        AuditEvent.objects.filter(target_type="public.pagecontent")
        .order_by("occurred_at", "pk")
        .values_list("action", flat=True)
    )
    assert actions == ["create", "update", "delete"]


@pytest.mark.django_db
def test_page_text_for_an_unknown_page_or_language_is_refused():
    with pytest.raises(ValidationError):
        page_content_save(page="nope", language="en", title="T", body="B", by=None)
    with pytest.raises(ValidationError):
        page_content_save(page="home", language="de", title="T", body="B", by=None)
    assert not PageContent.objects.exists()
    assert not AuditEvent.objects.exists()
