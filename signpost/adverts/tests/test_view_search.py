import pytest

from signpost.adverts.tests.helpers import NO_ACCESS_ROLES, READER_ROLES, populate
from signpost.core.models import AuditEvent

URL = "/staff/adverts/"


@pytest.mark.parametrize("role", READER_ROLES)
def test_search_by_phone_in_any_style_finds_the_adverts(world, signed_in, role):
    populate(world, with_case=False)
    client = signed_in(world.a.users[role])
    assert client.get(URL).status_code == 200
    response = client.post(URL, {"phone": "+44 7911 123 456"})
    assert response.status_code == 200
    rows = response.context["results"]
    assert {row["advert"].external_id for row in rows} == {"op-1", "op-2", "hostile"}
    assert AuditEvent.objects.filter(target_type="adverts.search").exists()
    assert "07911" not in response.request["PATH_INFO"]


def test_search_by_indicator_and_town(world, signed_in):
    populate(world, with_case=False)
    client = signed_in(world.a.analyst)
    rows = client.post(URL, {"indicator": "new_arrival"}).context["results"]
    assert {row["advert"].external_id for row in rows} == {"op-1", "op-2", "hostile"}
    rows = client.post(URL, {"town": "Walsall"}).context["results"]
    assert [row["advert"].external_id for row in rows] == ["ind-1"]


def test_empty_search_is_refused_with_a_message(world, signed_in):
    response = signed_in(world.a.analyst).post(URL, {})
    assert response.status_code == 200
    assert b"Enter a phone, email or handle" in response.content


def test_outsiders_find_nothing(world, signed_in):
    populate(world, with_case=False)
    rows = signed_in(world.b.analyst).post(URL, {"phone": "07911123456"}).context["results"]
    assert rows == []


@pytest.mark.parametrize("role", NO_ACCESS_ROLES)
def test_roles_without_access_get_404(world, signed_in, role):
    assert signed_in(world.a.users[role]).get(URL).status_code == 404
    assert signed_in(world.a.users[role]).post(URL, {"phone": "07911123456"}).status_code == 404
