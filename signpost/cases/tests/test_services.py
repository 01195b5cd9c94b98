import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from signpost.cases import services
from signpost.cases.models import (
    Case,
    CaseStatus,
    Identifier,
    NrmConsent,
    NrmReferral,
    NrmRoute,
    Person,
    TimelineEntry,
)
from signpost.cases.tests.conftest import open_case
from signpost.core import crypto
from signpost.core.models import AuditEvent, Organisation

TODAY = timezone.localdate


def messages_of(error: ValidationError) -> str:
    return " ".join(error.messages)


# --- Opening and references ---------------------------------------------------------------------


def test_references_are_sequential_per_year_and_the_team_follows_the_lead(world, case):
    second = open_case(world, by_role="lead")
    year = TODAY().year
    assert case.reference == f"SP-{year}-00001"
    assert second.reference == f"SP-{year}-00002"
    assert case.team == world.a.team
    assert AuditEvent.objects.filter(action="create", target_type="cases.case").count() == 2


def test_a_reserved_block_is_never_given_out_again(world, case):
    year = TODAY().year
    first = services.reserve_reference_block(year=year, count=10)
    assert first == 2
    assert open_case(world).reference == f"SP-{year}-00012"


def test_opening_checks_area_region_lead_and_types(world):
    with pytest.raises(ValidationError) as error:
        services.case_open(
            region=world.a.region,
            area=world.b.areas[0],
            lead_investigator=world.a.investigator,
            exploitation_types=["sexual"],
            by=world.a.lead,
        )
    assert "area" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.case_open(
            region=world.a.region,
            area=world.a.areas[0],
            lead_investigator=world.b.investigator,
            exploitation_types=["sexual"],
            by=world.a.lead,
        )
    assert "lead_investigator" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.case_open(
            region=world.a.region,
            area=world.a.areas[0],
            lead_investigator=world.a.investigator,
            exploitation_types=["piracy"],
            by=world.a.lead,
        )
    assert "exploitation_types" in error.value.message_dict
    assert not Case.objects.exists()


def test_case_opened_from_a_referral_takes_its_area_and_assigns_the_handler(world):
    from signpost.referrals.models import Referral, new_reference

    referral = Referral.objects.create(
        reference=new_reference(), source="agency", region=world.a.region, area=world.a.areas[1]
    )
    case = services.case_open_from_referral(
        referral=referral, lead_investigator=world.a.investigator, by=world.a.handler
    )
    assert case.area == world.a.areas[1]
    assert case.region == world.a.region
    assert list(case.handlers.all()) == [world.a.handler]
    event = AuditEvent.objects.get(action="create", target_type="cases.case")
    assert event.details["referral_id"] == referral.pk


def test_a_referral_without_an_area_needs_one(world):
    from signpost.referrals.models import Referral, new_reference

    referral = Referral.objects.create(
        reference=new_reference(), source="agency", region=world.a.region
    )
    with pytest.raises(ValidationError):
        services.case_open_from_referral(
            referral=referral, lead_investigator=world.a.investigator, by=world.a.handler
        )


# --- Status and closure -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        (["active"], True),
        (["safeguarding", "support", "active"], True),
        (["active", "open"], False),
        (["closed"], False),
        (["support", "support"], False),
    ],
)
def test_status_transitions(world, case, path, allowed):
    def walk():
        for status in path:
            services.case_status_change(case=case, status=status, by=world.a.investigator)

    if allowed:
        walk()
        case.refresh_from_db()
        assert case.status == path[-1]
    else:
        with pytest.raises(ValidationError) as error:
            walk()
        assert "cannot move" in messages_of(error.value)


def test_closure_needs_a_lead_who_did_not_ask_for_it(world, case):
    services.case_closure_request(
        case=case, outcome="safeguarded", reason="Moved to a safe house.", by=world.a.lead
    )
    with pytest.raises(ValidationError) as error:
        services.case_closure_approve(case=case, by=world.a.lead)
    assert "other than the person who asked" in messages_of(error.value)
    with pytest.raises(ValidationError):
        services.case_closure_approve(case=case, by=world.a.investigator)
    with pytest.raises(ValidationError):
        services.case_closure_approve(case=case, by=world.b.lead)
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN


def test_closure_approved_by_another_lead_closes_and_freezes_the_case(world, case):
    from signpost.testing.factories import MembershipFactory, UserFactory

    other_lead = UserFactory(email="second-lead@example.org")
    MembershipFactory(user=other_lead, organisation=world.a.charity, role="lead")
    services.case_closure_request(
        case=case, outcome="nrm_referred", reason="Referred; support in place.", by=world.a.lead
    )
    with pytest.raises(ValidationError):
        services.case_closure_request(
            case=case, outcome="no_trace", reason="Twice.", by=world.a.investigator
        )
    closed = services.case_closure_approve(case=case, by=other_lead)
    assert closed.status == CaseStatus.CLOSED
    assert closed.closed_at is not None
    assert closed.closure_approved_by == other_lead
    with pytest.raises(ValidationError) as error:
        services.timeline_entry_add(case=closed, text="Late note", by=world.a.investigator)
    assert "closed" in messages_of(error.value)
    reopened = services.case_reopen(case=closed, by=world.a.lead)
    assert reopened.status == CaseStatus.ACTIVE
    assert reopened.closure_outcome == ""
    steps = [
        e.details.get("step") or e.details.get("to")
        for e in AuditEvent.objects.filter(target_type="cases.case", action="update").order_by("id")
    ]
    assert steps == ["requested", "approved", "active"]


def test_closure_can_be_declined_by_a_lead(world, case):
    services.case_closure_request(
        case=case, outcome="no_trace", reason="No contact.", by=world.a.investigator
    )
    services.case_closure_decline(case=case, by=world.a.lead)
    case.refresh_from_db()
    assert case.closure_requested_at is None
    assert case.status == CaseStatus.OPEN


def test_closure_needs_a_known_outcome(world, case):
    with pytest.raises(ValidationError) as error:
        services.case_closure_request(case=case, outcome="", reason="x", by=world.a.investigator)
    assert "outcome" in error.value.message_dict


# --- People, identifiers and encryption at rest -----------------------------------------------


def raw_row(table: str, pk: int) -> dict:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table} WHERE id = %s", [pk])  # noqa: S608
        columns = [column[0] for column in cursor.description]
        return dict(zip(columns, cursor.fetchone(), strict=True))


def test_people_are_encrypted_at_rest_with_a_name_key(world, victim):
    row = raw_row("cases_person", victim.pk)
    stored = " ".join(str(value) for value in row.values())
    for secret in ["Ioana", "Popescu", "Romanian", "tattoo", "07700 900123", "Ana"]:
        assert secret not in stored
    assert crypto.decrypt(row["full_name"]) == "Ioana Popescu"
    assert row["name_index"] == crypto.blind_index("name", "popescu IOANA")
    fresh = Person.objects.get(pk=victim.pk)
    assert fresh.aliases == ["Ana"]
    assert fresh.age == 22
    assert AuditEvent.objects.filter(target_type="cases.person", action="create").exists()


def test_identifiers_are_normalised_encrypted_and_unique_in_a_case(world, case, phone):
    row = raw_row("cases_identifier", phone.pk)
    assert "447700900982" not in str(row["value"])
    assert crypto.decrypt(row["value"]) == "+447700900982"
    assert row["value_index"] == crypto.blind_index("phone", "+44 7700 900982")
    with pytest.raises(ValidationError) as error:
        services.identifier_add(case=case, kind="phone", value="+447700900982", by=world.a.lead)
    assert "already has" in messages_of(error.value)
    assert Identifier.objects.count() == 1


@pytest.mark.parametrize(
    ("kind", "value", "stored"),
    [
        ("email", " Ana.P@Example.COM ", "ana.p@example.com"),
        ("handle", "ana_wm", "@ana_wm"),
        ("vehicle", "ab12 cde", "AB12 CDE"),
        ("document", "ro 123456", "RO 123456"),
        ("phone", "+40 712 345 678", "+40712345678"),
    ],
)
def test_identifier_kinds(world, case, kind, value, stored):
    identifier = services.identifier_add(case=case, kind=kind, value=value, by=world.a.lead)
    assert Identifier.objects.get(pk=identifier.pk).value == stored


@pytest.mark.parametrize(("kind", "value"), [("phone", "call me"), ("email", "not-an-email")])
def test_bad_identifiers_get_clear_messages(world, case, kind, value):
    with pytest.raises(ValidationError) as error:
        services.identifier_add(case=case, kind=kind, value=value, by=world.a.lead)
    assert "Enter" in messages_of(error.value)


def test_someone_from_another_case_cannot_be_linked(world, case, victim):
    other = open_case(world)
    with pytest.raises(ValidationError):
        services.identifier_add(
            case=other, kind="phone", value="07700900111", person=victim, by=world.a.lead
        )


def test_notes_tasks_places_support_are_encrypted_and_audited(world, case, victim):
    note = services.timeline_entry_add(
        case=case, text="Seen at the hotel.", by=world.a.investigator
    )
    place = services.place_add(
        case=case,
        kind="hotel",
        address="Room 12, Central Rooms, Alcester Street",
        postcode="b5 6qr",
        latitude="52.47",
        longitude="-1.89",
        by=world.a.investigator,
    )
    provider = Organisation.objects.create(
        name="Safe Harbour", kind="support_provider", region=world.a.region
    )
    services.support_referral_add(
        case=case, provider=provider, need="accommodation", person=victim, by=world.a.investigator
    )
    task = services.task_add(
        case=case, title="Book an interpreter", assignee=world.a.investigator, by=world.a.lead
    )
    assert "hotel" not in str(raw_row("cases_timelineentry", note.pk)["text"])
    assert "Alcester" not in str(raw_row("cases_place", place.pk)["address"])
    assert raw_row("cases_place", place.pk)["postcode"] == "B5 6QR"
    assert "interpreter" not in str(raw_row("cases_task", task.pk)["title"])
    created = set(AuditEvent.objects.filter(action="create").values_list("target_type", flat=True))
    assert {"cases.timelineentry", "cases.place", "cases.supportreferral", "cases.task"} <= created
    assert TimelineEntry.objects.get(pk=note.pk).text == "Seen at the hotel."


def test_support_providers_and_assignees_are_checked(world, case):
    other_region_provider = Organisation.objects.create(
        name="Elsewhere Support", kind="support_provider", region=world.b.region
    )
    with pytest.raises(ValidationError):
        services.support_referral_add(
            case=case, provider=other_region_provider, need="legal", by=world.a.investigator
        )
    with pytest.raises(ValidationError) as error:
        services.task_add(case=case, title="Visit", assignee=world.b.investigator, by=world.a.lead)
    assert "assignee" in error.value.message_dict


# --- NRM and Duty to Notify ---------------------------------------------------------------------


def adult(world, case, **extra):
    return services.person_add(
        case=case, role="potential_victim", full_name="Maria Stan", by=world.a.investigator, **extra
    )


def test_adult_without_consent_can_only_have_an_anonymous_duty_to_notify(world, case):
    person = adult(world, case, estimated_age=24)
    with pytest.raises(ValidationError) as error:
        services.nrm_consent_record(
            person=person, consent_given=False, route=NrmRoute.NRM, by=world.a.investigator
        )
    assert "Duty to Notify" in messages_of(error.value)
    record = services.nrm_consent_record(
        person=person, consent_given=False, by=world.a.investigator
    )
    assert record.route == NrmRoute.DUTY_TO_NOTIFY
    assert record.consent == NrmConsent.REFUSED
    assert not record.is_child


def test_adult_must_say_whether_they_consent(world, case):
    person = adult(world, case, estimated_age=30)
    with pytest.raises(ValidationError) as error:
        services.nrm_consent_record(person=person, by=world.a.investigator)
    assert "consent" in messages_of(error.value)
    assert not NrmReferral.objects.exists()


def test_adult_with_consent_goes_to_the_nrm(world, case):
    person = adult(world, case, date_of_birth=datetime.date(1999, 5, 1))
    record = services.nrm_consent_record(person=person, consent_given=True, by=world.a.investigator)
    assert (record.route, record.consent) == (NrmRoute.NRM, NrmConsent.GIVEN)


def test_under_18_always_goes_to_the_nrm_without_consent(world, case):
    child = adult(world, case, estimated_age=16)
    record = services.nrm_consent_record(person=child, consent_given=False, by=world.a.investigator)
    assert record.is_child
    assert (record.route, record.consent) == (NrmRoute.NRM, NrmConsent.NOT_NEEDED)


def test_unknown_age_needs_an_answer_about_being_under_18(world, case):
    person = adult(world, case)
    with pytest.raises(ValidationError) as error:
        services.nrm_consent_record(person=person, consent_given=True, by=world.a.investigator)
    assert "under 18" in messages_of(error.value)
    record = services.nrm_consent_record(person=person, is_child=True, by=world.a.investigator)
    assert record.route == NrmRoute.NRM


def test_only_potential_victims_have_nrm_records(world, case):
    suspect = services.person_add(
        case=case, role="suspect", full_name="Florin", estimated_age=35, by=world.a.investigator
    )
    with pytest.raises(ValidationError):
        services.nrm_consent_record(person=suspect, consent_given=True, by=world.a.investigator)


def test_the_database_refuses_an_nrm_route_without_consent(world, case):
    from django.db import IntegrityError, transaction

    person = adult(world, case, estimated_age=24)
    with pytest.raises(IntegrityError), transaction.atomic():
        NrmReferral.objects.create(
            case=case,
            person=person,
            is_child=False,
            consent=NrmConsent.REFUSED,
            consent_recorded_at=timezone.now(),
            route=NrmRoute.NRM,
        )


@pytest.fixture
def submitted(world, case):
    person = adult(world, case, estimated_age=24)
    record = services.nrm_consent_record(person=person, consent_given=True, by=world.a.investigator)
    return services.nrm_submission_record(
        record=record,
        submitted_on=TODAY() - datetime.timedelta(days=60),
        first_responder=world.a.charity,
        by=world.a.investigator,
    )


def test_reasonable_grounds_target_is_five_working_days(world, submitted):
    submitted.submitted_on = datetime.date(2026, 11, 6)  # a Friday
    assert submitted.reasonable_grounds_due_on == datetime.date(2026, 11, 13)
    assert submitted.reasonable_grounds_overdue


def test_submission_needs_a_first_responder_of_the_region(world, case):
    person = adult(world, case, estimated_age=24)
    record = services.nrm_consent_record(person=person, consent_given=True, by=world.a.investigator)
    with pytest.raises(ValidationError) as error:
        services.nrm_submission_record(
            record=record,
            submitted_on=TODAY(),
            first_responder=world.a.partner,
            by=world.a.investigator,
        )
    assert "first_responder" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.nrm_submission_record(
            record=record,
            submitted_on=TODAY() + datetime.timedelta(days=1),
            first_responder=world.a.charity,
            by=world.a.investigator,
        )


def test_recovery_period_is_at_least_30_days_after_a_positive_rg(world, submitted):
    decided = TODAY() - datetime.timedelta(days=50)
    with pytest.raises(ValidationError) as error:
        services.nrm_reasonable_grounds_record(
            record=submitted,
            decision="positive",
            decided_on=decided,
            recovery_period_ends_on=decided + datetime.timedelta(days=29),
            by=world.a.investigator,
        )
    assert "at least 30 days" in messages_of(error.value)
    record = services.nrm_reasonable_grounds_record(
        record=NrmReferral.objects.get(pk=submitted.pk),
        decision="positive",
        decided_on=decided,
        by=world.a.investigator,
    )
    assert record.recovery_period_ends_on == decided + datetime.timedelta(days=30)
    with pytest.raises(ValidationError):
        services.nrm_recovery_period_extend(
            record=record, ends_on=decided + datetime.timedelta(days=20), by=world.a.investigator
        )
    services.nrm_recovery_period_extend(
        record=record, ends_on=decided + datetime.timedelta(days=45), by=world.a.investigator
    )
    assert NrmReferral.objects.get(pk=record.pk).recovery_period_ends_on == decided + (
        datetime.timedelta(days=45)
    )


def test_conclusive_grounds_follow_a_positive_rg_and_thirty_days(world, submitted):
    decided = TODAY() - datetime.timedelta(days=40)
    with pytest.raises(ValidationError):
        services.nrm_conclusive_grounds_record(
            record=submitted, decision="positive", decided_on=TODAY(), by=world.a.investigator
        )
    services.nrm_reasonable_grounds_record(
        record=submitted, decision="positive", decided_on=decided, by=world.a.investigator
    )
    with pytest.raises(ValidationError) as error:
        services.nrm_conclusive_grounds_record(
            record=submitted,
            decision="positive",
            decided_on=decided + datetime.timedelta(days=10),
            by=world.a.investigator,
        )
    assert "30-day recovery period" in messages_of(error.value)
    services.nrm_conclusive_grounds_record(
        record=submitted, decision="positive", decided_on=TODAY(), by=world.a.investigator
    )
    steps = list(
        AuditEvent.objects.filter(target_type="cases.nrmreferral", action="update")
        .order_by("id")
        .values_list("details__step", flat=True)
    )
    assert steps == ["submitted", "reasonable_grounds", "conclusive_grounds"]


def test_a_decision_cannot_predate_the_submission(world, submitted):
    with pytest.raises(ValidationError) as error:
        services.nrm_reasonable_grounds_record(
            record=submitted,
            decision="negative",
            decided_on=submitted.submitted_on - datetime.timedelta(days=1),
            by=world.a.investigator,
        )
    assert "before the referral was submitted" in messages_of(error.value)


def test_a_duty_to_notify_has_no_decisions(world, case):
    person = adult(world, case, estimated_age=40)
    record = services.nrm_consent_record(
        person=person, consent_given=False, by=world.a.investigator
    )
    services.nrm_submission_record(
        record=record, submitted_on=TODAY(), first_responder=world.a.police, by=world.a.investigator
    )
    with pytest.raises(ValidationError) as error:
        services.nrm_reasonable_grounds_record(
            record=record, decision="positive", decided_on=TODAY(), by=world.a.investigator
        )
    assert "Duty to Notify" in messages_of(error.value)
