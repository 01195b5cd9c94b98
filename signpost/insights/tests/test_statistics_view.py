"""Staff statistics: preview, CSV and PDF of a quarter."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from signpost.core.models import AuditEvent
from signpost.insights.tests import helpers

URL = "/staff/insights/statistics/"


@pytest.fixture
def quarter(world):
    helpers.referrals(world.a, 8, source="public", at=helpers.moment(2025, 11, 3))
    helpers.referrals(world.a, 1, source="self", at=helpers.moment(2025, 11, 3))
    return world


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["lead", "analyst", "admin"])
def test_statistics_page_shows_suppressed_tables(quarter, signed_in, role) -> None:
    response = signed_in(quarter.a.users[role]).get(URL, {"quarter": "2025-4"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "fewer than 5" in body
    assert "Referrals received, by area and source" in body
    assert ("Publish 2025 Q4" in body) == (role in ("lead", "admin"))


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["volunteer", "handler", "investigator", "police_liaison"])
def test_roles_without_statistics_get_404(world, signed_in, role) -> None:
    client = signed_in(world.a.users[role])
    assert client.get(URL).status_code == 404
    assert client.get(URL + "statistics.csv").status_code == 404
    assert client.get(URL + "statistics.pdf").status_code == 404


@pytest.mark.django_db
def test_csv_download_is_suppressed_and_audited(quarter, signed_in) -> None:
    response = signed_in(quarter.a.lead).get(URL + "statistics.csv", {"quarter": "2025-4"})
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0] == "Table,Row,Column,Count"
    assert "The person themselves,fewer than 5" in text
    assert ",1\r\n" not in text
    assert AuditEvent.objects.filter(
        target_type="insights.statistics", action="export", details__format="csv"
    ).exists()


@pytest.mark.django_db
def test_pdf_report_has_the_same_figures(quarter, signed_in) -> None:
    response = signed_in(quarter.a.lead).get(URL + "statistics.pdf", {"quarter": "2025-4"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "2025" in text and "Q4" in text
    assert "fewer than 5" in text
