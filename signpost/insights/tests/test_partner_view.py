"""A partner coordinator's own figures, suppressed; everyone else: 404."""

from __future__ import annotations

import pytest

from signpost.insights.tests import helpers
from signpost.outreach.tests import factories

URL = "/staff/insights/partner/"


def make_coordinator(side) -> None:
    membership = side.volunteer.memberships.get()
    membership.is_coordinator = True
    membership.save()


@pytest.fixture
def partner_figures(world):
    a = world.a
    make_coordinator(a)
    helpers.referrals(a, 7, source="partner", at=helpers.moment(2025, 11, 3))
    helpers.referrals(a, 2, source="partner", area=a.areas[1], at=helpers.moment(2025, 11, 3))
    helpers.referrals(a, 9, source="public", at=helpers.moment(2025, 11, 3))  # not theirs
    edition = factories.edition(a)
    point = factories.point(a)
    factories.distribution(a.volunteer, point, edition, quantity=40)
    return world


@pytest.mark.django_db
def test_coordinator_sees_own_figures_with_small_numbers_suppressed(
    partner_figures, signed_in
) -> None:
    response = signed_in(partner_figures.a.volunteer).get(URL, {"quarter": "2025-4"})
    assert response.status_code == 200
    referrals = response.context["tables"][0]
    by_area = {row[0]: row for row in referrals["rows"]}
    assert by_area["Coventry"][2] == "fewer than 5"
    # Birmingham's 7 with Coventry's 2 in November: the month total would give the 2 away.
    assert referrals["totals"][2] == "fewer than 5" or by_area["Birmingham"][2] == "fewer than 5"
    assert 16 not in [cell for row in referrals["rows"] for cell in row]  # public ones excluded
    attribution = response.context["attribution"]
    assert attribution["rows"][0][1] == 40
    body = response.content.decode()
    assert "fewer than 5" in body


@pytest.mark.django_db
def test_partner_csv_is_suppressed_too(partner_figures, signed_in) -> None:
    response = signed_in(partner_figures.a.volunteer).get(
        "/staff/insights/partner/figures.csv", {"quarter": "2025-4"}
    )
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    assert "fewer than 5" in text
    assert ",2\r\n" not in text


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["volunteer", "lead", "handler", "police_liaison", "admin"])
def test_anyone_but_a_coordinator_gets_404(world, signed_in, role) -> None:
    # world.a.volunteer is not a coordinator here.
    assert signed_in(world.a.users[role]).get(URL).status_code == 404


@pytest.mark.django_db
def test_another_partners_coordinator_does_not_see_these_figures(
    partner_figures, signed_in
) -> None:
    make_coordinator(partner_figures.b)
    response = signed_in(partner_figures.b.volunteer).get(URL, {"quarter": "2025-4"})
    assert response.status_code == 200
    referrals = response.context["tables"][0]
    assert {row[0] for row in referrals["rows"]} == {"Leicester", "Nottingham"}
    assert all(cell == "fewer than 5" for row in referrals["rows"] for cell in row[1:])
    assert response.context["attribution"]["rows"] == [
        ["-", "fewer than 5"] * 1 + ["fewer than 5"] * 3
    ]


@pytest.mark.django_db
def test_the_staff_navigation_leads_coordinators_only_to_their_figures(world, signed_in) -> None:
    link = f'href="{URL}"'
    assert link not in signed_in(world.a.volunteer).get("/staff/").content.decode()
    make_coordinator(world.a)
    assert link in signed_in(world.a.volunteer).get("/staff/").content.decode()
