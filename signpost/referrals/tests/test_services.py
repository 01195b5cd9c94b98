import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from signpost.core.crypto import blind_index
from signpost.core.models import AuditEvent
from signpost.referrals import services
from signpost.referrals.models import Referral
from signpost.referrals.tests.helpers import partner_data

pytestmark = pytest.mark.django_db


def raw_row(referral: Referral, *columns: str) -> tuple:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(columns)} FROM referrals_referral WHERE id = %s",  # noqa: S608
            [referral.pk],
        )
        return cursor.fetchone()


def test_partner_referral_is_stored_encrypted_with_blind_index_and_audit(world):
    referral = services.referral_submit_partner(
        data=partner_data(world.a.areas[0]), by=world.a.volunteer
    )
    referral.refresh_from_db()
    assert referral.reference.startswith("SP-R-") and len(referral.reference) == 11
    assert referral.source == "partner"
    assert referral.partner_organisation == world.a.partner
    assert referral.contact_value == "+447700900982"
    assert referral.phone_index == blind_index("phone", "+44 7700 900982")
    assert referral.email_index == ""
    contact, place, person = raw_row(
        referral, "contact_value", "place_description", "person_description"
    )
    for stored, plaintext in [
        (contact, "7700900982"),
        (place, "Hurst Street"),
        (person, "red coat"),
    ]:
        assert plaintext not in stored
        assert stored.startswith("gAAAA")  # a Fernet token
    event = AuditEvent.objects.get(target_type="referrals.referral", target_id=str(referral.pk))
    assert event.action == "create"
    assert event.actor == world.a.volunteer
    assert event.region == world.a.region
    assert "Hurst" not in str(event.details)


def test_risk_score_is_the_sum_of_taxonomy_weights(world):
    referral = services.referral_submit_partner(
        data=partner_data(world.a.areas[0]), by=world.a.volunteer
    )
    # controlling_boyfriend 4 + restricted_movement 4
    assert referral.risk_score == 8
    assert referral.risk_band == "high"
    assert not referral.urgent


@pytest.mark.parametrize(
    "overrides",
    [{"danger_now": True}, {"age_band": "under_18"}, {"possible_child": True}],
)
def test_danger_now_or_possible_child_is_always_urgent(world, overrides):
    referral = services.referral_submit_partner(
        data=partner_data(world.a.areas[0], indicators=[], **overrides), by=world.a.volunteer
    )
    assert referral.urgent
    assert referral.risk_band == "urgent"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("07700 900982", "+447700900982"),
        ("+40 712 345 678", "+40712345678"),
        ("0040712345678", "+40712345678"),
        ("(0121) 496 0000", "+441214960000"),
    ],
)
def test_phone_numbers_are_normalised_to_e164(world, given, expected):
    referral = services.referral_submit_partner(
        data=partner_data(world.a.areas[0], contact_value=given), by=world.a.volunteer
    )
    assert referral.contact_value == expected
    assert referral.phone_index == blind_index("phone", expected)


def test_email_contact_gets_an_email_blind_index(world):
    referral = services.referral_submit_self(
        data={
            "who_at_risk": "me",
            "danger_now": False,
            "contact_method": "email",
            "contact_value": "Ana.Pop@Example.com",
            "area": world.a.areas[1],
        }
    )
    assert referral.source == "self"
    assert referral.email_index == blind_index("email", "ana.pop@example.com")
    assert referral.submitted_by is None
    assert AuditEvent.objects.filter(
        target_id=str(referral.pk), actor__isnull=True, action="create"
    ).exists()


def test_self_referral_matches_a_town_to_an_area_and_keeps_an_unknown_town(world):
    matched = services.referral_submit_self(
        data={"who_at_risk": "someone_else", "contact_method": "none", "town": "coventry"}
    )
    assert matched.area == world.a.areas[1]
    assert matched.source == "public"
    unknown = services.referral_submit_self(
        data={"who_at_risk": "someone_else", "contact_method": "none", "town": "Dudley"}
    )
    assert unknown.area is None
    assert unknown.place_description == "Dudley"


@pytest.mark.parametrize(
    "overrides",
    [
        {"contact_value": "not a number"},
        {"indicators": ["made_up"]},
        {"languages": ["<script>"]},
        {"age_band": "ancient"},
        {"contact_method": "pigeon"},
        {"person_description": "x" * 5000},
        {"nationality": "Romania"},
        {"latitude": 123.0, "longitude": 1.0},
    ],
)
def test_bad_input_is_refused_and_nothing_is_saved(world, overrides):
    with pytest.raises(ValidationError):
        services.referral_submit_partner(
            data=partner_data(world.a.areas[0], **overrides), by=world.a.volunteer
        )
    assert Referral.objects.count() == 0
    assert not AuditEvent.objects.filter(target_type="referrals.referral").exists()


def test_partner_cannot_refer_for_another_region_or_without_the_role(world):
    with pytest.raises(ValidationError):
        services.referral_submit_partner(data=partner_data(world.b.areas[0]), by=world.a.volunteer)
    with pytest.raises(ValidationError):
        services.referral_submit_partner(
            data=partner_data(world.a.areas[0]), by=world.a.investigator
        )
    with pytest.raises((ValidationError, PermissionDenied)):
        services.referral_submit_agency(data=partner_data(world.a.areas[0]), by=world.a.volunteer)
    assert Referral.objects.count() == 0


def test_agency_referral_keyed_by_a_handler(world):
    referral = services.referral_submit_agency(
        data=partner_data(world.a.areas[0], referrer_details="PC Smith, West Midlands Police, 101"),
        by=world.a.handler,
    )
    assert referral.source == "agency"
    assert referral.submitted_by == world.a.handler
    assert "PC Smith" not in raw_row(referral, "referrer_details")[0]


def test_urgent_referral_enqueues_notification_only_after_commit(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        services.referral_submit_partner(
            data=partner_data(world.a.areas[0], danger_now=True), by=world.a.volunteer
        )
    assert len(callbacks) == 1
    with django_capture_on_commit_callbacks() as callbacks:
        services.referral_submit_partner(data=partner_data(world.a.areas[0]), by=world.a.volunteer)
    assert callbacks == []


def test_urgent_recipients_are_the_area_handlers_else_the_region_leads(world):
    referral = services.referral_submit_partner(
        data=partner_data(world.a.areas[0], danger_now=True), by=world.a.volunteer
    )
    assert services.urgent_recipients(referral) == [world.a.handler]
    world.a.handler.memberships.update(is_active=False)
    assert services.urgent_recipients(referral) == [world.a.lead]


def test_references_are_unique_and_unambiguous(world):
    references = {
        services.referral_submit_self(
            data={"who_at_risk": "me", "contact_method": "none"}
        ).reference
        for _i in range(20)
    }
    assert len(references) == 20
    for reference in references:
        assert not set(reference[5:]) & set("01ILOU")
