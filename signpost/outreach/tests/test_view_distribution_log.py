from django.urls import reverse

from signpost.outreach.tests.conftest import CHARITY_VIEWERS, make_coordinator

URL = reverse("outreach:distribution_log")


def test_volunteer_sees_own_entries_only(world, scene, signed_in):
    page = signed_in(world.a.volunteer).get(URL).content.decode()
    assert "Colleague A" not in page
    assert "11 leaflets in all" in page


def test_coordinator_sees_the_organisations_log(world, scene, signed_in):
    page = signed_in(make_coordinator(world.a.volunteer)).get(URL).content.decode()
    assert "Colleague A" in page
    assert "24 leaflets in all" in page
    assert "Hockley Flyover" not in page


def test_charity_staff_see_their_regions_log(world, scene, signed_in):
    for role in CHARITY_VIEWERS:
        page = signed_in(world.a.users[role]).get(URL).content.decode()
        assert "24 leaflets in all" in page, role
        assert "Hockley Flyover" not in page
        outsider = signed_in(world.b.users[role]).get(URL).content.decode()
        assert "Hurst Street" not in outsider
        assert "17 leaflets in all" in outsider


def test_police_and_admin_get_404(world, scene, signed_in):
    assert signed_in(world.a.police_liaison).get(URL).status_code == 404
    assert signed_in(world.a.admin).get(URL).status_code == 404
