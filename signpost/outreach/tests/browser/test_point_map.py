"""The distribution points map: Leaflet from the app's own static files, markers for the points,
and the table still there when the tiles cannot be loaded."""

from __future__ import annotations

import pytest

from signpost.outreach.tests import factories as f
from signpost.testing.browser import assert_accessible, sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_map_shows_every_point_and_says_so_when_tiles_fail(page, live_server, world, settings):
    # A tile server that answers 404 for every tile: the map still draws the markers.
    settings.MAP_TILE_URL = f"{live_server.url}/static/no-tiles/{{z}}/{{x}}/{{y}}.png"
    f.point(world.a)
    f.point(world.a, "Digbeth Coach Station", kind="hostel")
    refused: list[str] = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security" in message.text else None
        ),
    )

    sign_in_as(page, live_server, world.a.handler, next_path="/staff/outreach/points/")

    page.locator("#point-map .leaflet-marker-icon").nth(1).wait_for()
    assert page.locator("#point-map .leaflet-marker-icon").count() == 2
    page.locator("#point-map-failed").wait_for()
    table = page.get_by_test_id("points")
    assert table.get_by_role("link", name="Hurst Street").is_visible()
    assert table.get_by_role("link", name="Digbeth Coach Station").is_visible()
    assert not refused
    assert_accessible(page)
