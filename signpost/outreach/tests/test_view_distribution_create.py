from django.urls import reverse
from django.utils import timezone

from signpost.core.models import AuditEvent
from signpost.outreach.models import Distribution

URL = reverse("outreach:distribution_create")


def form_data(scene, **changes):
    data = {
        "point": scene.point.pk,
        "edition": scene.edition.pk,
        "quantity": "25",
        "method": "left",
        "distributed_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
    }
    return {**data, **changes}


def test_volunteer_records_leaflets_in_one_post(world, scene, signed_in):
    client = signed_in(world.a.volunteer)

    response = client.post(URL, form_data(scene), follow=True)

    entry = Distribution.objects.latest("created_at")
    assert (entry.quantity, entry.method, entry.recorded_by) == (25, "left", world.a.volunteer)
    assert "Recorded: 25 leaflets at Hurst Street." in response.content.decode()
    assert AuditEvent.objects.filter(
        action="create", target_type="outreach.distribution", target_id=entry.pk
    ).exists()


def test_form_offers_the_volunteers_places_and_remembers_the_last_one(world, scene, signed_in):
    page = signed_in(world.a.volunteer).get(URL).content.decode()

    assert "Hurst Street" in page
    assert "Hockley Flyover" not in page
    assert f'<option value="{scene.point.pk}" selected>' in page
    assert 'inputmode="numeric"' in page


def test_bad_input_gets_a_clear_message_and_nothing_is_saved(world, scene, signed_in):
    client = signed_in(world.a.volunteer)
    before = Distribution.objects.count()

    zero = client.post(URL, form_data(scene, quantity="0")).content.decode()
    words = client.post(URL, form_data(scene, quantity="lots")).content.decode()
    elsewhere = client.post(URL, form_data(scene, point=scene.point_b.pk)).content.decode()

    assert "Enter at least 1 leaflet." in zero
    assert "Enter a number, like 20." in words
    assert "Select a valid choice" in elsewhere
    assert Distribution.objects.count() == before


def test_only_volunteers_may_record(world, scene, signed_in):
    for role in ("handler", "investigator", "lead", "analyst", "police_liaison", "admin"):
        assert signed_in(world.a.users[role]).get(URL).status_code == 404, role
        assert signed_in(world.a.users[role]).post(URL, form_data(scene)).status_code == 404


def test_outsider_volunteer_cannot_record_at_another_regions_point(world, scene, signed_in):
    client = signed_in(world.b.volunteer)
    before = Distribution.objects.count()

    page = client.get(URL).content.decode()
    response = client.post(URL, form_data(scene))

    assert "Hurst Street" not in page
    assert response.status_code == 200
    assert Distribution.objects.count() == before
