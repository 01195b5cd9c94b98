from django.urls import reverse

from signpost.core.models import AuditEvent
from signpost.outreach.tests import factories as f


def url(channel):
    return reverse("outreach:channel_edit", args=[channel.pk])


def test_lead_pauses_a_channel(world, signed_in):
    channel = f.channel(world.a)
    data = {
        "name": channel.name,
        "kind": channel.kind,
        "platform": channel.platform,
        "language": channel.language,
        "audience_size": "2600",
        "contact_person": channel.contact_person,
        "status": "paused",
    }

    response = signed_in(world.a.lead).post(url(channel), data)

    channel.refresh_from_db()
    assert response.status_code == 302
    assert (channel.status, channel.audience_size) == ("paused", 2600)
    event = AuditEvent.objects.get(action="update", target_type="outreach.communitychannel")
    assert event.details == {"fields": ["audience_size", "status"]}


def test_viewers_and_outsiders_cannot_edit(world, signed_in):
    channel = f.channel(world.a)
    for user in (world.b.lead, world.a.handler, world.a.analyst, world.a.admin):
        assert signed_in(user).get(url(channel)).status_code == 404
