import re

from django.urls import reverse

from signpost.outreach.tests import factories as f
from signpost.outreach.tests.conftest import CHARITY_VIEWERS, make_coordinator
from signpost.outreach.views import RESULT_PLACES_PER_PAGE
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


def place_names(page):
    return re.findall(r'<th scope="row" class="govuk-table__header">([^<]+)</th>', cells(page))


def test_places_with_most_results_come_first_a_page_at_a_time(world, scene, signed_in):
    places = [f.point(world.a, f"Place {number:02}") for number in range(RESULT_PLACES_PER_PAGE)]
    for _scan in range(2):
        landing_scan_record(token=f.leaflet(world.a, places[7], scene.edition).landing_token)
    landing_scan_record(token=f.leaflet(world.a, places[3], scene.edition).landing_token)
    client = signed_in(world.a.lead)

    first = client.get(URL, {"date_from": "2026-01-01"}).content.decode()
    second = client.get(URL, {"date_from": "2026-01-01", "page": "2"}).content.decode()

    # Scans first (Place 07 two, Place 03 one), then leaflets (Hurst Street's 24), then names.
    assert place_names(first)[:4] == ["Place 07", "Place 03", "Hurst Street", "Place 00"]
    assert len(place_names(first)) == RESULT_PLACES_PER_PAGE
    assert place_names(second) == ["Place 49"]
    assert f"Places 1 to {RESULT_PLACES_PER_PAGE} of {RESULT_PLACES_PER_PAGE + 1}" in first
    assert 'href="?date_from=2026-01-01&amp;page=2"' in first


def test_outside_the_charity_hidden_numbers_do_not_order_the_places(world, scene, signed_in):
    quiet = f.point(world.a, "Aston Park")
    f.distribution(world.a.volunteer, quiet, scene.edition, quantity=2)
    landing_scan_record(token=f.leaflet(world.a, quiet, scene.edition).landing_token)
    coordinator = make_coordinator(world.a.volunteer)

    names = place_names(signed_in(coordinator).get(URL).content.decode())

    # Hurst Street's 24 leaflets show; Aston Park's one scan and two leaflets are "fewer than 5".
    assert names == ["Hurst Street", "Aston Park"]
