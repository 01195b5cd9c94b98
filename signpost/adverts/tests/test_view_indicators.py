import pytest

from signpost.adverts.tests.helpers import NO_ACCESS_ROLES

URL = "/staff/adverts/indicators/"


def test_catalogue_page_lists_indicators_and_sources(world, signed_in):
    response = signed_in(world.a.investigator).get(URL)
    assert response.status_code == 200
    assert b"Ibanez" in response.content and b"New arrival or short stay" in response.content


@pytest.mark.parametrize("role", NO_ACCESS_ROLES)
def test_roles_without_access_get_404(world, signed_in, role):
    assert signed_in(world.a.users[role]).get(URL).status_code == 404
