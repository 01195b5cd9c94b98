from django.urls import reverse

from signpost.outreach.models import CommunityChannel

URL = reverse("outreach:channel_create")

DATA = {
    "name": "Radio Tirana UK",
    "kind": "radio",
    "platform": "DAB and online",
    "language": "sq",
    "audience_size": "1500",
    "contact_person": "Presenter: Arben, via the station",
    "status": "active",
}


def test_lead_adds_a_channel_in_the_region(world, signed_in):
    response = signed_in(world.a.lead).post(URL, DATA)
    channel = CommunityChannel.objects.get()
    assert response.status_code == 302
    assert channel.region == world.a.region
    assert channel.contact_person == "Presenter: Arben, via the station"


def test_missing_platform_and_negative_audience_are_refused(world, signed_in):
    response = signed_in(world.a.lead).post(URL, {**DATA, "platform": "", "audience_size": "-4"})
    page = response.content.decode()
    assert "Enter the platform, like Facebook." in page
    assert "greater than or equal to 0" in page
    assert not CommunityChannel.objects.exists()


def test_only_leads_add_channels(world, signed_in):
    for role in ("volunteer", "handler", "investigator", "analyst", "police_liaison", "admin"):
        assert signed_in(world.a.users[role]).post(URL, DATA).status_code == 404, role
    assert not CommunityChannel.objects.exists()
