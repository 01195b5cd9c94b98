from django.urls import reverse

from signpost.outreach.tests.conftest import CHARITY_VIEWERS

URL = reverse("outreach:point_list")


def test_staff_see_their_regions_points_in_a_table(world, scene, signed_in):
    for role in CHARITY_VIEWERS:
        page = signed_in(world.a.users[role]).get(URL).content.decode()
        assert "Hurst Street" in page, role
        assert "Hockley Flyover" not in page
        assert "52.47512, -1.89406" in page


def test_admin_configures_points_in_every_region(world, scene, signed_in):
    page = signed_in(world.a.admin).get(URL).content.decode()
    assert "Hurst Street" in page
    assert "Hockley Flyover" in page


def test_volunteers_and_police_get_404(world, scene, signed_in):
    assert signed_in(world.a.volunteer).get(URL).status_code == 404
    assert signed_in(world.a.police_liaison).get(URL).status_code == 404


def test_without_a_tile_server_there_is_no_map_but_the_table(world, scene, signed_in, settings):
    settings.MAP_TILE_URL = ""
    response = signed_in(world.a.lead).get(URL)
    page = response.content.decode()
    assert 'id="point-map"' not in page
    assert "leaflet.js" not in page
    assert "Hurst Street" in page


def test_with_a_tile_server_the_map_is_drawn_by_the_apps_own_script(
    world, scene, signed_in, settings
):
    settings.MAP_TILE_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    response = signed_in(world.a.lead).get(URL)
    page = response.content.decode()
    assert 'id="point-map"' in page
    assert 'data-tile-url="https://tiles.example.org/{z}/{x}/{y}.png"' in page
    assert "/static/dist/leaflet/leaflet.js" in page
    assert "/static/outreach/point-map.js" in page
    assert '"lat": 52.47512' in page
    assert "https://tiles.example.org" in response["Content-Security-Policy"]
    assert "<script>" not in page


def test_the_table_pages_through_many_places_and_the_map_shows_them_all(world, signed_in, settings):
    from signpost.outreach.tests import factories
    from signpost.outreach.views import POINTS_PER_PAGE

    for number in range(POINTS_PER_PAGE + 3):
        factories.point(world.a, name=f"Place {number:03d}")
    settings.MAP_TILE_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    client = signed_in(world.a.lead)
    first = client.get(URL)
    assert first.content.decode().count('data-testid="points"') == 1
    assert len(first.context["page"].object_list) == POINTS_PER_PAGE
    assert len(first.context["map_points"]) == POINTS_PER_PAGE + 3
    assert f"{POINTS_PER_PAGE + 3} places" in first.content.decode()
    assert 'rel="next"' in first.content.decode()
    second = client.get(URL, {"page": 2})
    assert [point.name for point in second.context["page"]] == [
        "Place 100",
        "Place 101",
        "Place 102",
    ]
