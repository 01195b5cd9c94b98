"""The dashboard page: sections per role, scoping to the region and areas, filters."""

from __future__ import annotations

import pytest

from signpost.core.models import AuditEvent
from signpost.insights import services
from signpost.insights.tests import helpers

URL = "/staff/insights/"


@pytest.fixture
def figures(world):
    helpers.referrals(world.a, 6, source="self", at=helpers.moment(2025, 11, 3))
    helpers.referrals(
        world.a, 3, source="public", area=world.a.areas[1], at=helpers.moment(2025, 12, 3)
    )
    helpers.case(world.a, at=helpers.moment(2025, 11, 5), outcome="safeguarded")
    helpers.referrals(world.b, 4, source="agency", at=helpers.moment(2025, 11, 3))
    services.summaries_refresh_all()
    return world


def slugs(response) -> set[str]:
    return set(response.context["chart_data"]) | (
        {"referrals-by-area"} if response.context["map_data"] else set()
    )


@pytest.mark.django_db
def test_lead_sees_every_section_with_tables_and_csv_links(figures, signed_in) -> None:
    response = signed_in(figures.a.lead).get(URL, {"quarter": "2025-4"})
    assert response.status_code == 200
    body = response.content.decode()
    assert {
        "referrals-by-month",
        "referrals-by-area",
        "response-times",
        "case-outcomes",
        "nrm-decisions",
        "caseload",
        "outreach-points",
        "adverts-by-month",
    } <= slugs(response)
    assert 'data-testid="table-referrals-by-area"' in body
    assert "/staff/insights/csv/referrals-by-area/?quarter=2025-4" in body
    assert 'id="area-map-data"' in body
    assert "<script>" not in body  # data only in application/json elements
    assert 'data-testid="overdue"' in body or "Overdue referrals" in body
    charts = {chart["title"]: chart for chart in response.context["chart_data"].values()}
    by_month = charts["Referrals each month, by source"]
    assert by_month["labels"] == ["2025-10", "2025-11", "2025-12"]
    assert AuditEvent.objects.filter(
        target_type="insights.dashboard", actor=figures.a.lead
    ).exists()


@pytest.mark.django_db
def test_area_filter_narrows_the_counts(figures, signed_in) -> None:
    coventry = figures.a.areas[1]
    response = signed_in(figures.a.lead).get(URL, {"quarter": "2025-4", "area": coventry.pk})
    assert response.status_code == 200
    table = response.context["sections"][0][2][1]  # referrals by area
    assert table.rows == [["Coventry", 3]]


@pytest.mark.django_db
def test_other_regions_figures_are_not_there(figures, signed_in) -> None:
    response = signed_in(figures.b.lead).get(URL, {"quarter": "2025-4"})
    assert response.status_code == 200
    areas = {row[0] for row in response.context["sections"][0][2][1].rows}
    assert areas == {"Nottingham", "Leicester"}
    # Asking for another region's area is answered as if it did not exist.
    foreign = signed_in(figures.b.lead).get(URL, {"area": figures.a.areas[0].pk})
    assert foreign.status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "present", "absent"),
    [
        ("analyst", {"referrals-by-month", "case-outcomes"}, {"caseload"}),
        (
            "handler",
            {"referrals-by-month", "response-times", "outreach-points"},
            {"case-outcomes", "caseload", "adverts-by-month"},
        ),
        (
            "investigator",
            {"outreach-points", "adverts-by-month"},
            {"referrals-by-month", "case-outcomes", "caseload"},
        ),
    ],
)
def test_sections_follow_the_access_matrix(figures, signed_in, role, present, absent) -> None:
    response = signed_in(figures.a.users[role]).get(URL)
    assert response.status_code == 200
    shown = slugs(response)
    assert present <= shown
    assert not (absent & shown)
    overdue_shown = 'id="section-overdue"' in response.content.decode()
    assert overdue_shown == (role == "handler")


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["volunteer", "police_liaison", "admin"])
def test_roles_without_a_dashboard_get_404(figures, signed_in, role) -> None:
    assert signed_in(figures.a.users[role]).get(URL).status_code == 404


@pytest.mark.django_db
def test_signed_out_visitors_are_sent_to_sign_in(client) -> None:
    response = client.get(URL)
    assert response.status_code == 302


@pytest.mark.django_db
def test_a_handler_sees_only_their_own_areas(figures, signed_in) -> None:
    membership = figures.a.handler.memberships.get()
    membership.areas.set([figures.a.areas[1]])
    response = signed_in(figures.a.handler).get(URL, {"quarter": "2025-4"})
    rows = response.context["sections"][0][2][1].rows
    assert rows == [["Coventry", 3]]
    birmingham = signed_in(figures.a.handler).get(URL, {"area": figures.a.areas[0].pk})
    assert birmingham.status_code == 404


@pytest.mark.django_db
def test_months_in_the_wrong_order_are_explained(figures, signed_in) -> None:
    response = signed_in(figures.a.lead).get(URL, {"start": "2025-12", "end": "2025-10"})
    assert response.status_code == 200
    assert "must not be before" in response.content.decode()


@pytest.mark.django_db
def test_a_lead_of_two_regions_switches_between_them(figures, signed_in) -> None:
    from signpost.testing.factories import MembershipFactory

    MembershipFactory(user=figures.a.lead, organisation=figures.b.charity, role="lead")
    client = signed_in(figures.a.lead)
    first = client.get(URL)
    assert first.context["region"] == figures.a.region
    assert [region.pk for region in first.context["other_regions"]] == [figures.b.region.pk]
    assert f'href="?region={figures.b.region.pk}"' in first.content.decode()
    second = client.get(URL, {"region": figures.b.region.pk})
    assert second.context["region"] == figures.b.region
    statistics = client.get("/staff/insights/statistics/", {"region": figures.b.region.pk})
    assert statistics.context["region"] == figures.b.region
    assert f"region={figures.b.region.pk}" in statistics.context["query"]


@pytest.mark.django_db
def test_another_regions_dashboard_is_a_404(figures, signed_in) -> None:
    client = signed_in(figures.a.lead)
    assert client.get(URL, {"region": figures.b.region.pk}).status_code == 404
    assert client.get(URL, {"region": "x"}).status_code == 404
    statistics = client.get("/staff/insights/statistics/", {"region": figures.b.region.pk})
    assert statistics.status_code == 404
