import pytest

from signpost.adverts.models import AdvertGroup
from signpost.adverts.tests.conftest import advert
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


TEMPLATE = (
    "<b>Lovely</b> new girls just arrived in town, sweet and discreet, outcall only tonight, "
    "ask for our special menu, private flat near the station, clean and quiet, friendly team "
    "waiting for your message, booking with the manager only, please text before you call"
)


def test_near_duplicates_are_shown_side_by_side_with_their_text_escaped(
    world, signed_in, import_adverts
):
    import_adverts(
        world.a.region,
        [
            advert("tpl-1", f"{TEMPLATE} Call 07700 900111.", location="Walsall"),
            advert("tpl-2", f"{TEMPLATE} Call 07700 900222.", location="Dudley"),
        ],
    )
    group = AdvertGroup.objects.get()
    assert group.summary["near_duplicates"]
    html = signed_in(world.a.users["analyst"]).get(url(group)).content.decode()
    # Each text is read from its advert's document, and escaped.
    assert html.count("&lt;b&gt;Lovely&lt;/b&gt; new girls just arrived") == 2
    assert "<b>Lovely" not in html
