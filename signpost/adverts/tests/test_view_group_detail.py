import pytest

from signpost.adverts.tests.helpers import NO_ACCESS_ROLES, READER_ROLES, populate
from signpost.core.models import AuditEvent


def url(group):
    return f"/staff/adverts/groups/{group.public_id}/"


@pytest.mark.parametrize("role", READER_ROLES)
def test_group_page_shows_timeline_towns_names_and_indicators(world, signed_in, role):
    data = populate(world)
    response = signed_in(world.a.users[role]).get(url(data["group"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Alina (1)" in html and "Maria (1)" in html
    assert "+447911123456" in html
    assert html.index(">Birmingham<") < html.index(">Coventry<")
    assert "<svg" in html and "<polyline" in html
    assert "Same contact across towns within days (circuit)" in html
    assert "siteA · hostile" in html  # the hostile advert shares the phone
    assert "<script>alert" not in html
    assert AuditEvent.objects.filter(action="view", target_type="adverts.advertgroup").exists()


@pytest.mark.parametrize("role", READER_ROLES)
def test_outsiders_get_404(world, signed_in, role):
    data = populate(world, with_case=False)
    assert signed_in(world.b.users[role]).get(url(data["group"])).status_code == 404


@pytest.mark.parametrize("role", NO_ACCESS_ROLES)
def test_roles_without_access_get_404(world, signed_in, role):
    data = populate(world, with_case=False)
    assert signed_in(world.a.users[role]).get(url(data["group"])).status_code == 404
