from datetime import timedelta

import pytest
from django.utils import timezone

from signpost.outreach import selectors
from signpost.outreach.models import (
    AwarenessPost,
    CommunityChannel,
    DistributionPoint,
    LeafletEdition,
)
from signpost.outreach.tests import factories as f
from signpost.public.models import DailyScan
from signpost.public.services import landing_scan_record
from signpost.referrals.models import Referral, new_reference

REFERRAL_FIELDS = {field.name for field in Referral._meta.get_fields()}
needs_referral_token = pytest.mark.skipif(
    "landing_token" not in REFERRAL_FIELDS,
    reason="the referrals app has not added Referral.landing_token (its contract) yet",
)


def scan(token, times=1):
    for _ in range(times):
        landing_scan_record(token=token)


def referral_through(token, world_region, source, *, accepted=False):
    extra = {}
    if source == "partner":
        extra = {
            "partner_organisation": world_region.partner,
            "submitted_by": world_region.volunteer,
        }
    referral = Referral.objects.create(
        reference=new_reference(),
        source=source,
        region=world_region.region,
        landing_token=token,
        status="accepted" if accepted else "new",
        **extra,
    )
    if accepted and "case" in REFERRAL_FIELDS:
        from signpost.cases.services import case_open

        case = case_open(
            region=world_region.region,
            area=world_region.areas[0],
            lead_investigator=world_region.investigator,
            exploitation_types=["sexual"],
            by=world_region.lead,
        )
        Referral.objects.filter(pk=referral.pk).update(case=case)
    return referral


def by_key(rows):
    return {row.key: row.outcome for row in rows}


def test_point_counts_leaflets_and_scans_over_all_its_editions(world):
    point, quiet_point = f.point(world.a), f.point(world.a, "Digbeth Coach Station")
    romanian, polish = f.edition(world.a, "ro"), f.edition(world.a, "pl")
    scan(f.leaflet(world.a, point, romanian).landing_token, 3)
    scan(f.leaflet(world.a, point, polish).landing_token, 2)
    f.distribution(world.a.volunteer, point, romanian, quantity=40)
    f.distribution(world.a.volunteer, point, polish, quantity=10)

    rows = by_key(
        selectors.attribution_by_point(
            points=DistributionPoint.objects.filter(area__region=world.a.region)
        )
    )

    assert rows[point.pk].distributed == 50
    assert rows[point.pk].scans == 5
    assert rows[quiet_point.pk].distributed == 0
    assert rows[quiet_point.pk].scans == 0


def test_edition_counts_its_leaflets_and_scans_at_every_point(world):
    romanian = f.edition(world.a, "ro")
    first, second = f.point(world.a), f.point(world.a, "Digbeth Coach Station")
    scan(f.leaflet(world.a, first, romanian).landing_token, 1)
    scan(f.leaflet(world.a, second, romanian).landing_token, 4)
    f.distribution(world.a.volunteer, first, romanian, quantity=5)
    f.distribution(world.a.volunteer, second, romanian, quantity=6)

    (row,) = selectors.attribution_by_edition(
        editions=LeafletEdition.objects.filter(pk=romanian.pk)
    )

    assert (row.outcome.distributed, row.outcome.scans) == (11, 5)
    assert row.detail == "Romanian"


def test_period_limits_leaflets_and_scans(world):
    point, edition = f.point(world.a), f.edition(world.a)
    token = f.leaflet(world.a, point, edition).landing_token
    today = timezone.localdate()
    DailyScan.objects.create(token=token, day=today - timedelta(days=40), count=7)
    scan(token, 2)
    f.distribution(
        world.a.volunteer,
        point,
        edition,
        quantity=30,
        distributed_at=timezone.now() - timedelta(days=40),
    )
    f.distribution(world.a.volunteer, point, edition, quantity=3)

    (recent,) = selectors.attribution_by_point(
        points=DistributionPoint.objects.filter(pk=point.pk),
        date_from=today - timedelta(days=7),
        date_to=today,
    )
    (ever,) = selectors.attribution_by_point(points=DistributionPoint.objects.filter(pk=point.pk))

    assert (recent.outcome.distributed, recent.outcome.scans) == (3, 2)
    assert (ever.outcome.distributed, ever.outcome.scans) == (33, 9)


def test_organisation_filter_counts_only_that_partners_leaflets(world):
    from signpost.testing.factories import MembershipFactory, OrganisationFactory, UserFactory

    point, edition = f.point(world.a), f.edition(world.a)
    other_partner = OrganisationFactory(
        name="Church Night Team", kind="partner", region=world.a.region
    )
    other_volunteer = UserFactory()
    MembershipFactory(
        user=other_volunteer, organisation=other_partner, role="volunteer", areas=world.a.areas
    )
    f.distribution(world.a.volunteer, point, edition, quantity=12)
    f.distribution(other_volunteer, point, edition, quantity=100)

    (row,) = selectors.attribution_by_point(
        points=DistributionPoint.objects.filter(pk=point.pk),
        organisation_ids=[world.a.partner.pk],
    )

    assert row.outcome.distributed == 12


def test_channel_and_campaign_count_reach_and_scans_of_their_posts(world):
    romanian_group = f.channel(world.a)
    albanian_page = f.channel(world.a, "Shqiptarët në Birmingham", language="sq")
    first = f.post(world.a, romanian_group, campaign="Winter 2026")
    second = f.post(world.a, albanian_page, campaign="Winter 2026")
    third = f.post(world.a, albanian_page, campaign="Summer 2026")
    scan(first.landing_token, 2)
    scan(second.landing_token, 3)
    scan(third.landing_token, 1)

    channels = by_key(selectors.attribution_by_channel(channels=CommunityChannel.objects.all()))
    campaigns = by_key(selectors.attribution_by_campaign(posts=AwarenessPost.objects.all()))

    assert channels[romanian_group.pk].scans == 2
    assert channels[albanian_page.pk].scans == 4
    assert channels[albanian_page.pk].distributed == 1600
    assert campaigns["Winter 2026"].scans == 5
    assert campaigns["Winter 2026"].distributed == 1600
    assert campaigns["Summer 2026"].scans == 1


def test_numbers_below_five_are_suppressed_only_outside_the_charity():
    assert selectors.shown_count(0, shared_outside=True) == "fewer than 5"
    assert selectors.shown_count(4, shared_outside=True) == "fewer than 5"
    assert selectors.shown_count(5, shared_outside=True) == 5
    assert selectors.shown_count(3, shared_outside=False) == 3


@needs_referral_token
def test_referrals_through_a_points_tokens_are_counted_by_source_with_cases(world):
    point, other = f.point(world.a), f.point(world.a, "Digbeth Coach Station")
    romanian, polish = f.edition(world.a, "ro"), f.edition(world.a, "pl")
    ro_token = f.leaflet(world.a, point, romanian).landing_token
    pl_token = f.leaflet(world.a, point, polish).landing_token
    other_token = f.leaflet(world.a, other, romanian).landing_token
    referral_through(ro_token, world.a, "self", accepted=True)
    referral_through(ro_token, world.a, "self")
    referral_through(pl_token, world.a, "partner")
    referral_through(pl_token, world.a, "public")
    referral_through(other_token, world.a, "self")

    rows = by_key(
        selectors.attribution_by_point(
            points=DistributionPoint.objects.filter(pk__in=[point.pk, other.pk])
        )
    )

    outcome = rows[point.pk]
    assert (outcome.self_referrals, outcome.partner_referrals, outcome.public_referrals) == (
        2,
        1,
        1,
    )
    assert outcome.cases == 1
    assert rows[other.pk].self_referrals == 1
    assert rows[other.pk].cases == 0


@needs_referral_token
def test_referrals_through_a_post_count_for_its_channel_and_campaign(world):
    channel = f.channel(world.a)
    post = f.post(world.a, channel, campaign="Winter 2026")
    referral_through(post.landing_token, world.a, "self", accepted=True)

    (channel_row,) = selectors.attribution_by_channel(
        channels=CommunityChannel.objects.filter(pk=channel.pk)
    )
    (campaign_row,) = selectors.attribution_by_campaign(posts=AwarenessPost.objects.all())

    assert channel_row.outcome.self_referrals == 1
    assert channel_row.outcome.cases == 1
    assert campaign_row.outcome.self_referrals == 1


def test_token_outcomes_without_tokens_is_empty():
    assert selectors.token_outcomes(token_ids=[]) == {}


def test_a_tokens_region_is_its_points_or_its_channels(world):
    leaflet = f.leaflet(world.b, f.point(world.b), f.edition(world.b))
    post = f.post(world.a, f.channel(world.a))
    assert selectors.region_for_landing_token(token_id=leaflet.landing_token_id) == world.b.region
    assert selectors.region_for_landing_token(token_id=post.landing_token_id) == world.a.region
    assert selectors.region_for_landing_token(token_id=0) is None
