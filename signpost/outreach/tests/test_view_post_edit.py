from django.urls import reverse

from signpost.core.models import AuditEvent
from signpost.outreach.tests import factories as f


def url(post):
    return reverse("outreach:post_edit", args=[post.channel_id, post.pk])


def test_lead_adds_the_reach_once_the_post_has_run(world, signed_in):
    post = f.post(world.a, f.channel(world.a))
    token = post.landing_token_id

    response = signed_in(world.a.lead).post(
        url(post),
        {
            "posted_on": post.posted_on.isoformat(),
            "campaign": post.campaign,
            "link": post.link,
            "reach": "4100",
        },
    )

    post.refresh_from_db()
    assert response.status_code == 302
    assert (post.reach, post.landing_token_id) == (4100, token)
    event = AuditEvent.objects.get(action="update", target_type="outreach.awarenesspost")
    assert event.details == {"fields": ["reach"]}


def test_a_post_is_reached_only_through_its_own_channel(world, signed_in):
    channel, other = f.channel(world.a), f.channel(world.a, "Polacy w Birmingham", language="pl")
    post = f.post(world.a, channel)
    wrong = reverse("outreach:post_edit", args=[other.pk, post.pk])
    assert signed_in(world.a.lead).get(wrong).status_code == 404


def test_others_cannot_change_posts(world, signed_in):
    post = f.post(world.a, f.channel(world.a))
    for user in (world.b.lead, world.a.analyst, world.a.volunteer, world.a.admin):
        assert signed_in(user).get(url(post)).status_code == 404
