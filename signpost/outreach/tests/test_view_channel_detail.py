from django.conf import settings
from django.urls import reverse

from signpost.core.models import AuditEvent
from signpost.outreach.tests import factories as f
from signpost.outreach.tests.conftest import CHARITY_VIEWERS


def url(channel):
    return reverse("outreach:channel_detail", args=[channel.pk])


def test_staff_see_the_contact_person_and_the_read_is_audited(world, signed_in):
    channel = f.channel(world.a)
    post = f.post(world.a, channel)

    page = signed_in(world.a.analyst).get(url(channel)).content.decode()

    assert "Ioana, group admin" in page
    assert f"{settings.SITE_URL}/q/{post.landing_token.token}" in page
    event = AuditEvent.objects.get(action="view", target_type="outreach.communitychannel")
    assert event.actor == world.a.analyst
    assert "Ioana" not in str(event.details)


def test_outsiders_and_others_get_404(world, signed_in):
    channel = f.channel(world.a)
    for role in CHARITY_VIEWERS:
        assert signed_in(world.b.users[role]).get(url(channel)).status_code == 404, role
    for role in ("volunteer", "police_liaison", "admin"):
        assert signed_in(world.a.users[role]).get(url(channel)).status_code == 404, role
    assert not AuditEvent.objects.filter(action="view", target_type="outreach.communitychannel")
