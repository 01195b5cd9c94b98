from django.urls import reverse

from signpost.outreach.models import LeafletEdition

URL = reverse("outreach:edition_create")


def test_lead_creates_a_vietnamese_edition_with_the_shipped_text(world, signed_in):
    response = signed_in(world.a.lead).post(
        URL, {"region": world.a.region.pk, "name": "Spring 2026", "language": "vi"}
    )

    edition = LeafletEdition.objects.get()
    assert response.status_code == 302
    assert edition.language == "vi"
    assert edition.title.startswith("Bạn có đang bị ép làm việc")


def test_same_name_and_language_twice_is_refused_with_a_message(world, signed_in):
    client = signed_in(world.a.lead)
    data = {"region": world.a.region.pk, "name": "Spring 2026", "language": "ro"}
    client.post(URL, data)
    again = client.post(URL, data)
    assert again.status_code == 200
    assert "already exists" in again.content.decode()
    assert LeafletEdition.objects.count() == 1


def test_lead_cannot_create_for_another_region_and_others_get_404(world, signed_in):
    response = signed_in(world.a.lead).post(
        URL, {"region": world.b.region.pk, "name": "X", "language": "ro"}
    )
    assert "Select a valid choice" in response.content.decode()
    for role in ("volunteer", "handler", "investigator", "analyst", "police_liaison"):
        assert signed_in(world.a.users[role]).get(URL).status_code == 404, role
    assert not LeafletEdition.objects.exists()
