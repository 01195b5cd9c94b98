import re

from django.urls import reverse
from django.utils import timezone

from signpost.core.models import AuditEvent
from signpost.outreach.models import Distribution
from signpost.outreach.selectors import PLACES_LISTED
from signpost.outreach.tests import factories as f

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


# --- Areas with more places than a list can hold ---------------------------------------------


def many_places(world):
    return [f.point(world.a, f"Place {number:03}") for number in range(PLACES_LISTED + 1)]


def offered(page):
    """The places offered as answers to "Where": {point id: checked}."""
    return {
        int(value): bool(checked)
        for value, checked in re.findall(
            r'<input type="radio" name="point" value="(\d+)"[^>]*?( checked)?>', page
        )
    }


def test_too_many_places_to_list_offers_a_search_and_the_last_place_used(world, scene, signed_in):
    places = many_places(world)

    page = signed_in(world.a.volunteer).get(URL).content.decode()

    assert 'name="q"' in page
    assert '<select name="point"' not in page
    assert offered(page) == {scene.point.pk: True}
    assert places[0].name not in page


def test_searching_finds_places_in_the_volunteers_areas_by_name(world, scene, signed_in):
    places = many_places(world)
    client = signed_in(world.a.volunteer)

    found = offered(client.get(URL, {"q": "place 00"}).content.decode())
    elsewhere = client.get(URL, {"q": "Hockley"}).content.decode()

    assert set(found) == {place.pk for place in places[:10]}
    assert not offered(elsewhere)
    assert "No place in your areas matches" in elsewhere


def test_searching_by_area_lists_at_most_a_page_of_places(world, scene, signed_in):
    many_places(world)

    page = signed_in(world.a.volunteer).get(URL, {"q": world.a.areas[0].name}).content.decode()

    assert len(offered(page)) == PLACES_LISTED


def test_a_place_found_by_search_is_recorded_and_stays_chosen_after_a_mistake(
    world, scene, signed_in
):
    place = many_places(world)[30]
    client = signed_in(world.a.volunteer)

    mistake = client.post(URL, form_data(scene, point=place.pk, quantity="0")).content.decode()
    client.post(URL, form_data(scene, point=place.pk))

    assert offered(mistake)[place.pk] is True
    assert "Enter at least 1 leaflet." in mistake
    assert Distribution.objects.latest("created_at").point == place


def test_a_place_outside_the_volunteers_areas_is_refused_when_searching(world, scene, signed_in):
    many_places(world)
    before = Distribution.objects.count()

    page = signed_in(world.a.volunteer).post(URL, form_data(scene, point=scene.point_b.pk))

    assert "Select a valid choice" in page.content.decode()
    assert scene.point_b.pk not in offered(page.content.decode())
    assert Distribution.objects.count() == before


def test_a_made_up_place_number_gets_a_clear_message(world, scene, signed_in):
    many_places(world)

    page = signed_in(world.a.volunteer).post(URL, form_data(scene, point="9" * 30))

    assert page.status_code == 200
    assert "Select a valid choice" in page.content.decode()


def test_a_first_entry_among_many_places_starts_with_the_search(world, scene, signed_in):
    many_places(world)
    Distribution.objects.filter(recorded_by=world.a.volunteer).delete()

    page = signed_in(world.a.volunteer).get(URL).content.decode()

    assert not offered(page)
    assert "Find the place above" in page
