"""Journey 7 in a real browser: a lead reads the dashboard for Birmingham in one quarter and
downloads a chart's figures; a partner coordinator sees their own figures, suppressed; a
signed-out visitor reads published statistics."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import clear_url_caches

from signpost.insights import services
from signpost.insights.models import PublishedReport
from signpost.insights.tests import helpers
from signpost.outreach.tests import factories as outreach
from signpost.testing.browser import assert_accessible, sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_lead_filters_the_dashboard_to_birmingham_for_a_quarter(page, live_server, world):
    birmingham, coventry = world.a.areas
    helpers.referrals(world.a, 6, source="self", area=birmingham, at=helpers.moment(2025, 11, 3))
    helpers.referrals(world.a, 4, source="public", area=coventry, at=helpers.moment(2025, 11, 3))
    helpers.case(world.a, area=birmingham, at=helpers.moment(2025, 11, 4), outcome="supported")
    services.summaries_refresh(region=world.a.region)

    sign_in_as(page, live_server, world.a.lead)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Insights").click()
    page.get_by_label("Quarter").select_option(label="2025 Q4")
    page.get_by_label("Area", exact=True).select_option(label="Birmingham")
    page.get_by_role("button", name="Show figures").click()

    page.locator("#figure-referrals-by-month canvas").wait_for(state="visible")
    page.locator("#area-map").wait_for(state="visible")
    by_area = page.get_by_test_id("table-referrals-by-area")
    assert "Birmingham" in by_area.inner_text()
    assert "Coventry" not in by_area.inner_text()
    by_month = page.get_by_test_id("table-referrals-by-month").inner_text()
    assert "2025-11" in by_month and "6" in by_month
    assert page.locator(".leaflet-interactive").count() == 1  # one area drawn, no points

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download “Referrals by area” as CSV").click()
    content = Path(download_info.value.path()).read_text(encoding="utf-8-sig")
    assert content.splitlines() == ["Area,Referrals", "Birmingham,6"]
    assert_accessible(page)


def test_partner_coordinator_sees_own_figures_suppressed(page, live_server, world):
    membership = world.a.volunteer.memberships.get()
    membership.is_coordinator = True
    membership.save()
    helpers.referrals(world.a, 3, source="partner", at=helpers.moment(2025, 11, 3))
    helpers.referrals(world.a, 20, source="public", at=helpers.moment(2025, 11, 3))
    point = outreach.point(world.a)
    outreach.distribution(world.a.volunteer, point, outreach.edition(world.a), quantity=2)

    sign_in_as(page, live_server, world.a.volunteer, next_path="/staff/insights/partner/")
    page.get_by_label("Quarter").select_option(label="2025 Q4")
    page.get_by_role("button", name="Show figures").click()
    table = page.get_by_test_id("statistics-table-1").inner_text()
    assert "fewer than 5" in table
    cells = [cell.strip() for line in table.splitlines() for cell in line.split("\t")]
    assert "20" not in cells and "23" not in cells  # the public's referrals are not theirs
    assert "fewer than 5" in page.get_by_test_id("statistics-table-attribution").inner_text()
    assert_accessible(page)


def test_signed_out_visitor_reads_published_statistics(page, live_server, world, settings):
    settings.ROOT_URLCONF = "signpost.insights.tests.urls_with_public"
    clear_url_caches()
    PublishedReport.objects.create(
        region=world.a.region,
        year=2025,
        quarter=4,
        published_by=world.a.lead,
        tables=[
            {
                "title": "Referrals received, by area and source",
                "headers": ["Area", "Self", "Total"],
                "rows": [["Birmingham", "fewer than 5", 12]],
                "totals": ["Total", "fewer than 5", 12],
            }
        ],
    )
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(f"{live_server.url}/en/statistics/")
    page.get_by_role("link", name="West Midlands: 2025 Q4").click()
    page.get_by_role("heading", name="West Midlands: 2025 Q4").wait_for()
    assert "fewer than 5" in page.get_by_test_id("statistics-table-1").inner_text()
    assert page.context.cookies() == []
    assert all(url.startswith(live_server.url) for url in requests)
    assert_accessible(page)
    clear_url_caches()
