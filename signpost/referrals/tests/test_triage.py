from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from signpost.cases.services import case_open, identifier_add
from signpost.core.crypto import blind_index
from signpost.core.models import AuditEvent
from signpost.core.roles import Role
from signpost.referrals import selectors, services
from signpost.referrals.models import Referral, ReferralIdentifier, ReferralStatus
from signpost.referrals.tests.helpers import extra_user, partner_data
from signpost.referrals.tests.smtp import body_of, smtp_server

pytestmark = pytest.mark.django_db


def submit(world, **overrides) -> Referral:
    return services.referral_submit_partner(
        data=partner_data(world.a.areas[0], **overrides), by=world.a.volunteer
    )


def test_queue_orders_urgent_first_then_risk_then_age_and_shows_overdue(world, signed_in):
    old_standard = submit(world, indicators=["few_possessions"])
    Referral.objects.filter(pk=old_standard.pk).update(
        created_at=timezone.now() - timedelta(days=5), due_at=timezone.now() - timedelta(days=2)
    )
    new_standard = submit(world, indicators=["few_possessions"])
    high = submit(world)
    urgent = submit(world, indicators=[], danger_now=True)
    queue = list(selectors.triage_queue(world.a.handler))
    assert queue == [urgent, high, old_standard, new_standard]
    assert urgent.due_at - urgent.created_at == timedelta(hours=1)
    assert high.due_at - high.created_at == timedelta(hours=24)
    page = signed_in(world.a.handler).get("/staff/referrals/triage/").content.decode()
    assert page.index(urgent.reference) < page.index(high.reference)
    assert page.count('data-testid="overdue"') == 1
    assert signed_in(world.a.lead).get("/staff/referrals/triage/").status_code == 200
    outsider = signed_in(world.b.handler).get("/staff/referrals/triage/").content.decode()
    assert urgent.reference not in outsider


@pytest.mark.parametrize(
    "role", [Role.VOLUNTEER, Role.INVESTIGATOR, Role.ANALYST, Role.POLICE_LIAISON, Role.ADMIN]
)
def test_queue_is_for_handlers_and_leads_only(world, signed_in, role):
    assert signed_in(world.a.users[role.value]).get("/staff/referrals/triage/").status_code == 404


def test_risk_is_shown_transparently(world, signed_in):
    referral = submit(world, age_band="under_18")
    page = signed_in(world.a.handler).get(f"/staff/referrals/{referral.pk}/").content.decode()
    assert "The person may be under 18." in page
    assert "A controlling &quot;boyfriend&quot;" in page
    assert "Home Office: Modern Slavery: Statutory Guidance" in page
    assert "Score 8" in page


def test_two_handlers_cannot_take_the_same_referral(world, signed_in):
    other = extra_user(world.a, Role.HANDLER, "handler2@west-midlands.example.org")
    referral = submit(world)
    services.referral_take(referral=referral, by=world.a.handler)
    with pytest.raises(services.ReferralUnavailable):
        services.referral_take(referral=referral, by=other)
    with pytest.raises(services.ReferralUnavailable):
        services.referral_decline(referral=referral, reason="Not for us", by=other)
    page = signed_in(other).get(f"/staff/referrals/{referral.pk}/").content.decode()
    assert "is handling this referral" in page
    assert "Accept as a new case" not in page
    # The hold lapses, so a referral is never stuck behind someone who went home.
    Referral.objects.filter(pk=referral.pk).update(locked_at=timezone.now() - timedelta(hours=1))
    assert services.referral_take(referral=referral, by=other).handler == other


def test_outsiders_cannot_act(world, signed_in):
    referral = submit(world)
    with pytest.raises(PermissionDenied):
        services.referral_take(referral=referral, by=world.b.handler)
    response = signed_in(world.b.handler).post(f"/staff/referrals/{referral.pk}/take/")
    assert response.status_code == 404
    response = signed_in(world.a.investigator).post(f"/staff/referrals/{referral.pk}/decline/")
    assert response.status_code == 404


def test_accept_opens_a_case_led_by_the_chosen_investigator(world, signed_in):
    referral = submit(world)
    client = signed_in(world.a.handler)
    client.post(f"/staff/referrals/{referral.pk}/take/")
    response = client.post(
        f"/staff/referrals/{referral.pk}/accept/", {"investigator": world.a.investigator.pk}
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == "accepted"
    assert referral.case is not None
    assert referral.case.lead_investigator == world.a.investigator
    assert referral.decided_at and referral.first_action_at
    assert referral.submitter_status == "being_handled"
    assert AuditEvent.objects.filter(
        target_id=str(referral.pk), details__triage="accept", actor=world.a.handler
    ).exists()


def test_routing_prefers_area_language_and_light_caseload(world):
    busy_speaker = world.a.investigator  # speaks en and ro
    english_only = extra_user(
        world.a, Role.INVESTIGATOR, "inv2@west-midlands.example.org", languages_spoken=["en"]
    )
    free_speaker = extra_user(
        world.a, Role.INVESTIGATOR, "inv3@west-midlands.example.org", languages_spoken=["ro"]
    )
    case_open(
        region=world.a.region,
        area=world.a.areas[0],
        lead_investigator=busy_speaker,
        exploitation_types=["sexual"],
        by=world.a.lead,
    )
    suggestions = selectors.investigator_suggestions(submit(world, languages=["ro"]))
    assert [s.investigator for s in suggestions] == [free_speaker, busy_speaker, english_only]
    assert suggestions[1].open_cases == 1
    assert suggestions[0].speaks == ["ro"]
    assert world.b.investigator not in [s.investigator for s in suggestions]


def test_a_lead_may_override_routing_to_any_investigator_of_the_region(world):
    elsewhere = extra_user(world.a, Role.INVESTIGATOR, "inv4@west-midlands.example.org")
    elsewhere.memberships.get().areas.set([world.a.areas[1]])
    referral = submit(world)
    routed = services.referral_route(referral=referral, investigator=elsewhere, by=world.a.lead)
    assert routed.assigned_investigator == elsewhere
    with pytest.raises(services.ValidationError):
        services.referral_route(
            referral=referral, investigator=world.b.investigator, by=world.a.lead
        )


def test_possible_links_and_link_to_an_existing_case(world, signed_in):
    case = case_open(
        region=world.a.region,
        area=world.a.areas[0],
        lead_investigator=world.a.investigator,
        exploitation_types=["sexual"],
        by=world.a.lead,
    )
    identifier_add(case=case, kind="phone", value="+44 7700 900982", by=world.a.lead)
    earlier = submit(world)
    referral = submit(world, contact_value="07700900982")
    links = selectors.possible_links(referral, world.a.handler)
    assert links.referrals == [earlier]
    assert [entry["case"] for entry in links.cases] == [case]
    assert selectors.possible_links(referral, world.b.handler).cases == []
    client = signed_in(world.a.handler)
    page = client.get(f"/staff/referrals/{referral.pk}/").content.decode()
    assert case.reference in page and earlier.reference in page
    client.post(f"/staff/referrals/{referral.pk}/link/", {"case": case.pk})
    referral.refresh_from_db()
    assert referral.status == "linked" and referral.case == case


def test_ask_the_partner_who_answers_from_their_list(world, signed_in):
    referral = submit(world)
    handler = signed_in(world.a.handler)
    handler.post(f"/staff/referrals/{referral.pk}/ask/", {"question": "Which door <b>number</b>?"})
    referral.refresh_from_db()
    assert referral.status == "info_requested"
    volunteer = signed_in(world.a.volunteer)
    assert "A question for you" in volunteer.get("/staff/referrals/mine/").content.decode()
    page = volunteer.get(f"/staff/referrals/mine/{referral.pk}/").content.decode()
    assert "Which door &lt;b&gt;number&lt;/b&gt;?" in page
    volunteer.post(f"/staff/referrals/mine/{referral.pk}/", {"answer": "Number 12, blue door"})
    referral.refresh_from_db()
    assert referral.status == "new"
    assert referral.info_response == "Number 12, blue door"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT info_request, info_response FROM referrals_referral WHERE id = %s",
            [referral.pk],
        )
        assert not any("door" in value for value in cursor.fetchone())
    outsider = signed_in(world.b.volunteer)
    assert (
        outsider.post(f"/staff/referrals/mine/{referral.pk}/", {"answer": "x"}).status_code == 404
    )


def test_decline_with_a_reason_closes_it_for_the_submitter(world, signed_in):
    referral = submit(world)
    signed_in(world.a.handler).post(
        f"/staff/referrals/{referral.pk}/decline/", {"reason": "Duplicate of an earlier report"}
    )
    referral.refresh_from_db()
    assert referral.status == "declined"
    assert referral.decline_reason == "Duplicate of an earlier report"
    assert referral.submitter_status == "closed"
    assert referral not in selectors.triage_queue(world.a.handler)
    with pytest.raises(services.ReferralUnavailable):
        services.referral_take(referral=referral, by=world.a.handler)


def test_overdue_referrals_are_escalated_to_the_area_lead_once(world):
    overdue = submit(world)
    Referral.objects.filter(pk=overdue.pk).update(due_at=timezone.now() - timedelta(minutes=5))
    submit(world)  # not yet due
    with smtp_server() as mailbox:
        call_command("escalate_overdue")
        call_command("escalate_overdue")
    [message] = mailbox.messages
    assert world.a.lead.email in message["X-Envelope-To"]
    assert overdue.reference in message["Subject"]
    assert "Hurst" not in body_of(message)
    overdue.refresh_from_db()
    assert overdue.escalated_at is not None


def test_handler_queue_covers_their_areas_and_referrals_without_an_area(world):
    coventry_handler = extra_user(world.a, Role.HANDLER, "coventry@west-midlands.example.org")
    coventry_handler.memberships.get().areas.set([world.a.areas[1]])
    birmingham = submit(world)
    no_area = submit(world)
    Referral.objects.filter(pk=no_area.pk).update(area=None)
    coventry = services.referral_submit_partner(
        data=partner_data(world.a.areas[1]), by=world.a.volunteer
    )
    assert set(selectors.triage_queue(coventry_handler)) == {no_area, coventry}
    assert set(selectors.triage_queue(world.a.handler)) == {birmingham, no_area, coventry}
    assert not selectors.triage_queue(world.b.handler).exists()


def test_queue_follows_the_status_as_the_database_keeps_it(world):
    referral = submit(world)
    assert Referral.objects.get(pk=referral.pk).in_queue == 1
    services.referral_info_request(referral=referral, question="Which street?", by=world.a.handler)
    assert list(selectors.triage_queue(world.a.handler)) == [referral]
    Referral.objects.filter(pk=referral.pk).update(status=ReferralStatus.DECLINED)
    assert Referral.objects.get(pk=referral.pk).in_queue == 0
    assert not selectors.triage_queue(world.a.handler).exists()


def test_possible_links_from_handles_phones_and_full_names_in_the_text(world, signed_in):
    from signpost.cases.services import person_add

    by_handle = case_open(
        region=world.a.region,
        area=world.a.areas[0],
        lead_investigator=world.a.investigator,
        exploitation_types=["sexual"],
        by=world.a.lead,
    )
    identifier_add(case=by_handle, kind="handle", value="@marius.boss", by=world.a.lead)
    by_name = case_open(
        region=world.a.region,
        area=world.a.areas[0],
        lead_investigator=world.a.investigator,
        exploitation_types=["sexual"],
        by=world.a.lead,
    )
    person_add(case=by_name, role="potential_victim", full_name="Ioana Popescu", by=world.a.lead)
    first_name_only = submit(world, what_is_happening="A woman called Ioana is in room 4.")
    earlier = submit(world, contact_value="", contact_method="none", what_is_happening="")
    ReferralIdentifier.objects.create(
        referral=earlier, kind="phone", value_index=blind_index("phone", "07822 104259")
    )
    referral = submit(
        world,
        contact_value="",
        contact_method="none",
        what_is_happening=(
            "Her name is Ioana Popescu. Her boyfriend posts as @Marius.Boss on Instagram and "
            "texts from oh seven eight two two, one oh four two five nine."
        ),
    )
    links = selectors.possible_links(referral, world.a.handler)
    assert {entry["case"]: entry["kinds"] for entry in links.cases} == {
        by_handle: ["Social media handle"],
        by_name: ["Name"],
    }
    assert links.referrals == [earlier]
    assert first_name_only not in links.referrals
    assert selectors.possible_links(referral, world.b.handler).cases == []
    page = signed_in(world.a.handler).get(f"/staff/referrals/{referral.pk}/").content.decode()
    assert "Shares: Name" in page and by_name.reference in page


def test_a_referral_is_saved_even_when_its_text_defeats_the_extractor(world, monkeypatch):
    from signpost.referrals import identifiers

    def broken(text):
        raise RuntimeError("extractor bug")

    monkeypatch.setattr(identifiers, "_written_in", broken)
    referral = submit(world, what_is_happening="Anything at all")
    assert Referral.objects.filter(pk=referral.pk).exists()
    assert list(referral.identifiers.values_list("kind", flat=True)) == ["phone"]
