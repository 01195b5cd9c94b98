from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from signpost.core.models import AuditEvent
from signpost.outreach import leaflet_text, services
from signpost.outreach.models import Distribution, DistributionPoint, PointLeaflet
from signpost.outreach.tests import factories as f
from signpost.public.models import LandingToken


def events(action, target_type):
    return AuditEvent.objects.filter(action=action, target_type=target_type)


def test_new_edition_starts_with_the_shipped_text_in_its_language(world):
    edition = f.edition(world.a, "ro")

    with translation.override("ro"):
        assert edition.title == str(leaflet_text.TITLE)
        assert edition.signs == str(leaflet_text.SIGNS)
    assert edition.title.startswith("Te obligă cineva")
    assert "Charity West Midlands" in edition.contact
    assert events("create", "outreach.leafletedition").filter(target_id=edition.pk).exists()


def test_edition_text_changes_are_audited_by_field_name_and_can_be_reset(world):
    edition = f.edition(world.a, "en")

    changed = services.edition_update(edition=edition, by=world.a.lead, title="Need help?")
    assert changed == ["title"]
    event = events("update", "outreach.leafletedition").get(target_id=edition.pk)
    assert event.details == {"fields": ["title"]}
    assert "Need help?" not in str(event.details.values())

    services.edition_text_reset(edition=edition, by=world.a.lead)
    edition.refresh_from_db()
    assert edition.title == str(leaflet_text.TITLE)


def test_edition_in_a_language_the_public_site_does_not_offer_is_refused(world):
    with pytest.raises(ValidationError):
        services.edition_create(region=world.a.region, name="X", language="de", by=world.a.lead)
    assert not AuditEvent.objects.filter(target_type="outreach.leafletedition").exists()


def test_point_with_impossible_coordinates_is_not_saved(world):
    with pytest.raises(ValidationError):
        services.point_create(
            area=world.a.areas[0],
            name="Nowhere",
            kind="street",
            latitude=Decimal("91"),
            longitude=Decimal("0"),
            by=world.a.lead,
        )
    assert not DistributionPoint.objects.exists()
    assert not AuditEvent.objects.filter(target_type="outreach.distributionpoint").exists()


def test_point_cannot_move_to_another_region(world):
    point = f.point(world.a)
    with pytest.raises(ValidationError):
        services.point_update(point=point, area=world.b.areas[0], by=world.a.lead)


def test_leaflet_for_a_point_gets_its_own_token_once_per_edition(world):
    point, other_point = f.point(world.a), f.point(world.a, "Digbeth Coach Station")
    romanian, polish = f.edition(world.a, "ro"), f.edition(world.a, "pl")

    first = f.leaflet(world.a, point, romanian)
    again = f.leaflet(world.a, point, romanian)
    second_language = f.leaflet(world.a, point, polish)
    elsewhere = f.leaflet(world.a, other_point, romanian)

    assert first == again
    tokens = {first.landing_token_id, second_language.landing_token_id, elsewhere.landing_token_id}
    assert len(tokens) == 3
    assert first.landing_token.language == "ro"
    assert second_language.landing_token.language == "pl"
    assert LandingToken.objects.count() == 3
    assert events("create", "outreach.pointleaflet").count() == 3


def test_leaflet_edition_must_belong_to_the_points_region(world):
    with pytest.raises(ValidationError):
        f.leaflet(world.a, f.point(world.a), f.edition(world.b))
    assert not PointLeaflet.objects.exists()
    assert not LandingToken.objects.exists()


def test_volunteer_records_a_distribution_credited_to_their_partner(world):
    point, edition = f.point(world.a), f.edition(world.a, "ro")

    entry = f.distribution(world.a.volunteer, point, edition, quantity=25, method="left")

    assert entry.organisation == world.a.partner
    assert entry.recorded_by == world.a.volunteer
    event = events("create", "outreach.distribution").get(target_id=entry.pk)
    assert event.actor == world.a.volunteer
    assert event.region == world.a.region
    assert event.details == {"point": point.pk, "edition": edition.pk, "quantity": 25}


def test_volunteer_cannot_record_outside_their_areas_or_with_a_retired_edition(world):
    point_b, edition_b = f.point(world.b), f.edition(world.b)
    with pytest.raises(ValidationError):
        f.distribution(world.a.volunteer, point_b, edition_b)

    retired = f.edition(world.a, "en", name="Old")
    services.edition_update(edition=retired, is_current=False, by=world.a.lead)
    with pytest.raises(ValidationError):
        f.distribution(world.a.volunteer, f.point(world.a), retired)
    assert not Distribution.objects.exists()


@pytest.mark.parametrize("quantity", [0, -3, 5001])
def test_impossible_quantities_are_refused(world, quantity):
    with pytest.raises(ValidationError):
        f.distribution(world.a.volunteer, f.point(world.a), f.edition(world.a), quantity=quantity)
    assert not Distribution.objects.exists()


def test_a_distribution_in_the_future_is_refused(world):
    with pytest.raises(ValidationError):
        f.distribution(
            world.a.volunteer,
            f.point(world.a),
            f.edition(world.a),
            distributed_at=timezone.now() + timedelta(hours=2),
        )


def test_removing_a_distribution_is_audited_with_what_it_was(world):
    entry = f.distribution(world.a.volunteer, f.point(world.a), f.edition(world.a), quantity=7)

    services.distribution_remove(distribution=entry, by=world.a.lead)

    assert not Distribution.objects.exists()
    event = events("delete", "outreach.distribution").get()
    assert event.details["quantity"] == 7
    assert event.details["recorded_by"] == world.a.volunteer.pk


def test_channel_contact_person_is_encrypted_at_rest_and_kept_out_of_the_audit(world):
    from django.db import connection

    channel = f.channel(world.a)

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT contact_person FROM outreach_communitychannel WHERE id = %s", [channel.pk]
        )
        (stored,) = cursor.fetchone()
    assert "Ioana" not in stored
    channel.refresh_from_db()
    assert channel.contact_person.startswith("Ioana")
    for event in AuditEvent.objects.filter(target_type="outreach.communitychannel"):
        assert "Ioana" not in str(event.details)


def test_each_awareness_post_gets_its_own_token_in_the_channels_language(world):
    channel = f.channel(world.a, language="sq")

    first, second = f.post(world.a, channel), f.post(world.a, channel)

    assert first.landing_token != second.landing_token
    assert first.landing_token.language == "sq"
    assert events("create", "outreach.awarenesspost").count() == 2


def test_post_with_a_bad_link_is_not_saved_and_leaves_no_token(world):
    channel = f.channel(world.a)
    with pytest.raises(ValidationError):
        services.post_create(
            channel=channel,
            posted_on=timezone.localdate(),
            campaign="Winter",
            link="not a link",
            by=world.a.lead,
        )
    assert not LandingToken.objects.exists()
