from django.urls import reverse

from signpost.core.models import AuditEvent
from signpost.outreach.models import DistributionPoint

URL = reverse("outreach:point_create")


def data(area, **changes):
    return {
        "name": "Smallbrook Queensway",
        "kind": "night_venue",
        "area": area.pk,
        "latitude": "52.47600",
        "longitude": "-1.89700",
        "is_active": "on",
        **changes,
    }


def test_lead_adds_a_place_in_the_region(world, signed_in):
    response = signed_in(world.a.lead).post(URL, data(world.a.areas[1]))

    point = DistributionPoint.objects.get()
    assert response.status_code == 302
    assert (point.area, point.kind) == (world.a.areas[1], "night_venue")
    assert AuditEvent.objects.filter(
        action="create", target_type="outreach.distributionpoint", actor=world.a.lead
    ).exists()


def test_bad_coordinates_and_other_regions_areas_are_refused(world, signed_in):
    client = signed_in(world.a.lead)

    north = client.post(URL, data(world.a.areas[0], latitude="95")).content.decode()
    words = client.post(URL, data(world.a.areas[0], longitude="west")).content.decode()
    elsewhere = client.post(URL, data(world.b.areas[0])).content.decode()

    assert "less than or equal to 90" in north
    assert "Enter the longitude as a number" in words
    assert "Select a valid choice" in elsewhere
    assert not DistributionPoint.objects.exists()


def test_admin_configures_places_in_any_region(world, signed_in):
    assert signed_in(world.a.admin).post(URL, data(world.b.areas[0])).status_code == 302
    assert DistributionPoint.objects.get().area == world.b.areas[0]


def test_viewers_and_volunteers_cannot_add_places(world, signed_in):
    for role in ("volunteer", "handler", "investigator", "analyst", "police_liaison"):
        client = signed_in(world.a.users[role])
        assert client.get(URL).status_code == 404, role
        assert client.post(URL, data(world.a.areas[0])).status_code == 404
    assert not DistributionPoint.objects.exists()
