import pytest

from signpost.adverts.tests.helpers import NO_ACCESS_ROLES, populate

URL = "/staff/adverts/alerts/"


@pytest.mark.parametrize("role", ["analyst", "lead", "investigator"])
def test_alerts_link_to_advert_and_case(world, signed_in, role):
    data = populate(world)
    response = signed_in(world.a.users[role]).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert f"/staff/cases/{data['case'].pk}/" in html
    assert f"/staff/adverts/a/{data['advert'].public_id}/" in html


def test_outsiders_see_no_alerts(world, signed_in):
    populate(world)
    response = signed_in(world.b.analyst).get(URL)
    assert list(response.context["page"].object_list) == []


@pytest.mark.parametrize("role", NO_ACCESS_ROLES)
def test_roles_without_access_get_404(world, signed_in, role):
    assert signed_in(world.a.users[role]).get(URL).status_code == 404
