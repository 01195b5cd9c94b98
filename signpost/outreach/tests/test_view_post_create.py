from django.urls import reverse
from django.utils import timezone

from signpost.outreach.models import AwarenessPost
from signpost.outreach.tests import factories as f
from signpost.public.models import LandingToken


def url(channel):
    return reverse("outreach:post_create", args=[channel.pk])


def data(**changes):
    return {
        "posted_on": timezone.localdate().isoformat(),
        "campaign": "Winter 2026",
        "link": "https://www.facebook.com/groups/example/posts/1",
        "reach": "950",
        **changes,
    }


def test_lead_adds_a_post_with_its_own_token(world, signed_in):
    channel = f.channel(world.a)
    response = signed_in(world.a.lead).post(url(channel), data())
    post = AwarenessPost.objects.get()
    assert response.status_code == 302
    assert (post.channel, post.reach, post.landing_token.language) == (channel, 950, "ro")


def test_bad_link_is_refused_and_no_token_is_made(world, signed_in):
    channel = f.channel(world.a)
    response = signed_in(world.a.lead).post(url(channel), data(link="javascript:alert(1)"))
    assert "Enter a full web address" in response.content.decode()
    assert not AwarenessPost.objects.exists()
    assert not LandingToken.objects.exists()


def test_others_cannot_add_posts(world, signed_in):
    channel = f.channel(world.a)
    for user in (world.b.lead, world.a.investigator, world.a.volunteer, world.a.admin):
        assert signed_in(user).post(url(channel), data()).status_code == 404
    assert not AwarenessPost.objects.exists()
