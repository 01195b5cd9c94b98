from django.urls import reverse

from signpost.outreach.tests import factories as f
from signpost.outreach.tests.conftest import CHARITY_VIEWERS, make_coordinator
from signpost.public.services import landing_scan_record

URL = reverse("outreach:attribution")


def cells(page):
    return page.split('data-testid="attribution-1"')[1].split("</table>")[0]


def test_charity_staff_see_exact_counts_per_point_edition_channel_and_campaign(
    world, scene, signed_in
):
    landing_scan_record(token=f.leaflet(world.a, scene.point, scene.edition).landing_token)
    f.post(world.a, f.channel(world.a), campaign="Winter 2026")
    for role in CHARITY_VIEWERS:
        page = signed_in(world.a.users[role]).get(URL).content.decode()
        assert "By leaflet edition" in page
        assert "Winter 2026" in page
        assert "Românii din Birmingham" in page
        points = cells(page)
        assert "Hurst Street" in points
        assert ">24<" in points
        assert ">1<" in points
        assert "fewer than 5" not in page
        assert "Hockley Flyover" not in page


def test_partner_coordinator_sees_own_organisations_points_with_small_numbers_hidden(
    world, scene, signed_in
):
    landing_scan_record(token=f.leaflet(world.a, scene.point, scene.edition).landing_token)
    page = signed_in(make_coordinator(world.a.volunteer)).get(URL).content.decode()

    points = cells(page)
    assert "Hurst Street" in points
    assert ">24<" in points
    assert "fewer than 5" in points
    assert ">1<" not in points
    assert "By community channel" not in page


def test_period_filter_must_be_in_order(world, scene, signed_in):
    page = (
        signed_in(world.a.lead)
        .get(URL, {"date_from": "2026-11-20", "date_to": "2026-11-01"})
        .content.decode()
    )
    assert "The end date must be on or after the start date." in page


def test_volunteers_police_and_admins_get_404(world, scene, signed_in):
    for role in ("volunteer", "police_liaison", "admin"):
        assert signed_in(world.a.users[role]).get(URL).status_code == 404, role
