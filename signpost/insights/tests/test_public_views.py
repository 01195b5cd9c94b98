"""The public list of published statistics (view functions, until the URLs are mounted)."""

from __future__ import annotations

import pytest
from django.http import Http404
from django.test import RequestFactory

from signpost.insights import public_views
from signpost.insights.models import PublishedReport

TABLES = [
    {
        "title": "Referrals received, by area and source",
        "headers": ["Area", "Self", "Total"],
        "rows": [["Birmingham", "fewer than 5", 12]],
        "totals": ["Total", "fewer than 5", 12],
    }
]


@pytest.fixture
def report(world):
    return PublishedReport.objects.create(
        region=world.a.region, year=2025, quarter=4, tables=TABLES, published_by=world.a.lead
    )


@pytest.mark.django_db
def test_list_and_report_for_a_signed_out_visitor(report) -> None:
    request = RequestFactory().get("/en/statistics/")
    response = public_views.published_list(request)
    assert response.status_code == 200
    body = response.content.decode()
    assert "West Midlands: 2025 Q4" in body
    assert not response.cookies
    detail = public_views.published_detail(RequestFactory().get("/"), report.pk).content.decode()
    assert "fewer than 5" in detail
    assert "http://" not in detail and "https://" not in detail  # nothing from third parties


@pytest.mark.django_db
def test_downloads_of_a_published_report(report) -> None:
    csv = public_views.published_csv(RequestFactory().get("/"), report.pk)
    assert "Birmingham,Self,fewer than 5" in csv.content.decode("utf-8-sig")
    pdf = public_views.published_pdf(RequestFactory().get("/"), report.pk)
    assert pdf.content.startswith(b"%PDF")


@pytest.mark.django_db
def test_unknown_report_is_404(db) -> None:
    with pytest.raises(Http404):
        public_views.published_detail(RequestFactory().get("/"), 999)


@pytest.mark.django_db
def test_only_get(report) -> None:
    response = public_views.published_list(RequestFactory().post("/"))
    assert response.status_code == 405


@pytest.mark.django_db
def test_a_published_report_reads_in_the_visitors_language(report) -> None:
    from django.utils import translation

    with translation.override("ro"):
        detail = public_views.published_detail(RequestFactory().get("/"), report.pk)
        csv_body = public_views.published_csv(RequestFactory().get("/"), report.pk)
    body = detail.content.decode()
    assert "mai puțin de 5" in body
    assert "Sesizări primite, după zonă și sursă" in body
    assert "Birmingham" in body and "12" in body
    assert "mai puțin de 5" in csv_body.content.decode()
