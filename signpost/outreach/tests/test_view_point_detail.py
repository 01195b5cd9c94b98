from django.urls import reverse

from signpost.outreach.tests import factories as f
from signpost.outreach.tests.conftest import CHARITY_VIEWERS
from signpost.public.services import landing_scan_record


def url(point):
    return reverse("outreach:point_detail", args=[point.pk])


def test_staff_see_the_place_its_leaflets_and_scans(world, scene, signed_in):
    leaflet = f.leaflet(world.a, scene.point, scene.edition)
    landing_scan_record(token=leaflet.landing_token)
    for role in CHARITY_VIEWERS:
        page = signed_in(world.a.users[role]).get(url(scene.point)).content.decode()
        assert "Hurst Street" in page, role
        assert 'data-testid="scans-ro">1<' in page
        assert 'data-testid="point-distributed">24<' in page


def test_only_the_lead_is_offered_to_make_and_download_leaflets(world, scene, signed_in):
    f.leaflet(world.a, scene.point, scene.edition)
    lead = signed_in(world.a.lead).get(url(scene.point)).content.decode()
    handler = signed_in(world.a.handler).get(url(scene.point)).content.decode()
    assert "Make the leaflet" in lead
    assert ".pdf" in lead
    assert "Make the leaflet" not in handler
    assert ".pdf" not in handler


def test_outsiders_volunteers_and_police_get_404(world, scene, signed_in):
    for role in CHARITY_VIEWERS:
        assert signed_in(world.b.users[role]).get(url(scene.point)).status_code == 404, role
    assert signed_in(world.a.volunteer).get(url(scene.point)).status_code == 404
    assert signed_in(world.a.police_liaison).get(url(scene.point)).status_code == 404
