"""Publishing a quarter: leads and admins, after re-authentication, audited."""

from __future__ import annotations

import pytest
from django.utils import timezone

from signpost.core.decorators import REAUTH_SESSION_KEY
from signpost.core.models import AuditEvent
from signpost.insights.models import PublishedReport
from signpost.insights.tests import helpers

URL = "/staff/insights/statistics/publish/"


def reauthenticated(client):
    session = client.session
    session[REAUTH_SESSION_KEY] = timezone.now().timestamp()
    session.save()
    return client


@pytest.mark.django_db
def test_publishing_asks_for_reauthentication_first(world, signed_in) -> None:
    response = signed_in(world.a.lead).get(URL, {"quarter": "2025-4"})
    assert response.status_code == 302
    assert response["Location"].startswith("/staff/")
    assert "reauth" in response["Location"] or "confirm" in response["Location"]
    assert signed_in(world.a.lead).post(URL, {"quarter": "2025-4"}).status_code == 302
    assert not PublishedReport.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["lead", "admin"])
def test_lead_or_admin_publishes_a_quarter(world, signed_in, role) -> None:
    helpers.referrals(world.a, 7, at=helpers.moment(2025, 11, 3))
    client = reauthenticated(signed_in(world.a.users[role]))
    assert client.get(URL, {"quarter": "2025-4"}).status_code == 200
    response = client.post(URL, {"quarter": "2025-4"})
    assert response.status_code == 302
    report = PublishedReport.objects.get()
    assert (report.region, report.year, report.quarter) == (world.a.region, 2025, 4)
    assert report.tables[0]["title"] == "Referrals received, by area and source"
    event = AuditEvent.objects.get(target_type="insights.publishedreport")
    assert event.actor == world.a.users[role]
    again = client.post(URL, {"quarter": "2025-4"})
    assert again.status_code == 200
    assert "already published" in again.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role", ["analyst", "handler", "investigator", "volunteer", "police_liaison"]
)
def test_others_cannot_publish(world, signed_in, role) -> None:
    client = reauthenticated(signed_in(world.a.users[role]))
    assert client.post(URL, {"quarter": "2025-4"}).status_code == 404
    assert not PublishedReport.objects.exists()


@pytest.mark.django_db
def test_a_bad_quarter_is_refused_with_a_message(world, signed_in) -> None:
    client = reauthenticated(signed_in(world.a.lead))
    response = client.post(URL, {"quarter": "2999-9"})
    assert response.status_code == 200
    assert "govuk-error-message" in response.content.decode()
    assert not PublishedReport.objects.exists()
