import pytest

from signpost.adverts.tests.helpers import NO_ACCESS_ROLES, READER_ROLES, populate

URL = "/staff/adverts/groups/"


@pytest.mark.parametrize("role", READER_ROLES)
def test_groups_are_listed_with_reasons_strongest_first(world, signed_in, role):
    data = populate(world, with_case=False)
    response = signed_in(world.a.users[role]).get(URL)
    assert response.status_code == 200
    [row] = response.context["rows"]
    assert row["group"] == data["group"]
    assert row["reasons"][0]["indicator"].weight == 3
    assert b"weak" in response.content


def test_outsiders_see_no_groups(world, signed_in):
    populate(world, with_case=False)
    assert signed_in(world.b.analyst).get(URL).context["rows"] == []


@pytest.mark.parametrize("role", NO_ACCESS_ROLES)
def test_roles_without_access_get_404(world, signed_in, role):
    assert signed_in(world.a.users[role]).get(URL).status_code == 404
