from signpost.outreach import access
from signpost.outreach.models import DistributionPoint, LeafletEdition
from signpost.outreach.tests import factories as f
from signpost.outreach.tests.conftest import CHARITY_VIEWERS, make_coordinator


def entries(user):
    return set(access.distributions_visible_to(user))


def test_volunteer_sees_only_own_entries(world, scene):
    assert entries(world.a.volunteer) == {scene.own_entry}
    assert entries(scene.colleague) == {scene.colleague_entry}


def test_partner_coordinator_sees_the_organisations_entries_only(world, scene):
    coordinator = make_coordinator(world.a.volunteer)
    assert entries(coordinator) == {scene.own_entry, scene.colleague_entry}


def test_charity_staff_see_their_regions_entries(world, scene):
    for role in CHARITY_VIEWERS:
        assert entries(world.a.users[role]) == {scene.own_entry, scene.colleague_entry}, role
        assert entries(world.b.users[role]) == {scene.entry_b}, role


def test_police_and_admins_see_no_distribution_log(world, scene):
    assert entries(world.a.police_liaison) == set()
    assert entries(world.a.admin) == set()
    assert not access.may_see_log(world.a.police_liaison)
    assert not access.may_see_log(world.a.admin)


def test_points_for_viewing_managing_and_recording(world, scene):
    region_a = set(DistributionPoint.objects.filter(area__region=world.a.region))
    assert set(access.points_visible_to(world.a.handler)) == region_a
    assert set(access.points_visible_to(world.a.admin)) == set(DistributionPoint.objects.all())
    assert set(access.points_visible_to(world.a.volunteer)) == set()
    assert set(access.points_visible_to(world.a.police_liaison)) == set()
    assert set(access.points_manageable_by(world.a.lead)) == region_a
    assert set(access.points_manageable_by(world.a.investigator)) == set()
    assert set(access.points_for_recording(world.a.volunteer)) == region_a


def test_retired_points_and_editions_are_not_offered_for_recording(world, scene):
    from signpost.outreach import services

    services.point_update(point=scene.point, is_active=False, by=world.a.lead)
    services.edition_update(edition=scene.edition, is_current=False, by=world.a.lead)
    assert not access.points_for_recording(world.a.volunteer).exists()
    assert not access.editions_for_recording(world.a.volunteer).exists()


def test_editions_are_managed_by_the_regions_lead_and_configured_by_admins(world, scene):
    assert set(access.editions_manageable_by(world.a.lead)) == {scene.edition}
    assert set(access.editions_manageable_by(world.a.admin)) == set(LeafletEdition.objects.all())
    for role in ("volunteer", "handler", "investigator", "analyst", "police_liaison"):
        assert not access.editions_manageable_by(world.a.users[role]).exists(), role


def test_channels_are_seen_by_charity_staff_of_the_region_only(world):
    channel = f.channel(world.a)
    for role in CHARITY_VIEWERS:
        assert list(access.channels_visible_to(world.a.users[role])) == [channel]
        assert list(access.channels_visible_to(world.b.users[role])) == []
    for role in ("volunteer", "police_liaison", "admin"):
        assert list(access.channels_visible_to(world.a.users[role])) == []


def test_attribution_is_for_charity_staff_and_partner_coordinators(world):
    assert access.may_see_attribution(world.a.analyst)
    assert not access.may_see_attribution(world.a.volunteer)
    assert not access.may_see_attribution(world.a.admin)
    assert not access.may_see_attribution(world.a.police_liaison)
    assert access.may_see_attribution(make_coordinator(world.a.volunteer))
    assert access.is_charity_staff(world.a.handler)
    assert not access.is_charity_staff(make_coordinator(world.a.volunteer))
