import hashlib
import json

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import TestCase

from signpost.cases.models import NrmConsent, NrmReferral, TimelineEntry
from signpost.core.models import AuditEvent
from signpost.intel import services
from signpost.intel.models import IntelReport, ReportStatus
from signpost.intel.tests.conftest import (
    REPORT_BODY,
    SUSPECT_NAME,
    SUSPECT_PHONE,
    VICTIM_ADDRESS,
    graded,
)

pytestmark = pytest.mark.django_db


def _draft(world, case_world, **grading):
    return services.report_create(
        by=world.a.investigator,
        case=case_world.case,
        title=f"{SUSPECT_NAME} moving women",
        body=REPORT_BODY,
        linked_entities=[{"kind": "phone", "label": f"Phone: {SUSPECT_PHONE}"}],
        **(grading or graded()),
    )


def _ready(world, case_world):
    report = _draft(world, case_world)
    return services.report_sanitise(report=report, by=world.a.investigator)


def _approved(world, case_world):
    report = _ready(world, case_world)
    return services.report_approve(report=report, by=world.a.lead)


def test_sanitisation_masks_the_source_and_the_victim_but_not_the_suspect(world, case_world):
    report = _ready(world, case_world)
    assert SUSPECT_NAME in report.sanitised_body
    assert SUSPECT_PHONE in report.sanitised_body
    for hidden in (
        VICTIM_ADDRESS,
        "Stefanescu",
        "07700 900111",
        "Volunteer West Midlands",
        "Street Partner West Midlands",
    ):
        assert hidden not in report.sanitised_body, hidden
    assert report.masked_count >= 4
    event = AuditEvent.objects.filter(target_id=str(report.pk), details__step="sanitise").get()
    assert event.details["masked"] == report.masked_count


def test_a_consenting_victim_is_not_masked(world, case_world):
    NrmReferral.objects.create(
        case=case_world.case,
        person=case_world.victim,
        is_child=False,
        consent=NrmConsent.GIVEN,
        consent_recorded_at="2026-01-01T00:00:00Z",
        route="nrm",
    )
    report = _ready(world, case_world)
    assert "Ioana Stefanescu" in report.sanitised_body


def test_extra_terms_are_masked(world, case_world):
    report = _draft(world, case_world)
    report = services.report_sanitise(report=report, by=world.a.investigator, extra_terms=["3 May"])
    assert "3 May" not in report.sanitised_body


def test_editing_after_sanitisation_needs_sanitising_again(world, case_world):
    report = _ready(world, case_world)
    assert services.is_sanitised(report)
    report = services.report_update(
        report=report,
        by=world.a.investigator,
        title=report.title,
        body=report.body + " More.",
        linked_entities=report.linked_entities,
        **graded(),
    )
    assert not services.is_sanitised(report)
    with pytest.raises(ValidationError):
        services.report_approve(report=report, by=world.a.lead)


def test_grading_c_needs_conditions(world, case_world):
    with pytest.raises(ValidationError) as error:
        _draft(world, case_world, **graded(handling_conditions=""))
    assert "handling_conditions" in error.value.error_dict
    assert not IntelReport.objects.exists()


def test_cannot_approve_ungraded_unsanitised_or_own(world, case_world):
    ungraded = services.report_create(
        by=world.a.investigator, case=case_world.case, title="T", body="B"
    )
    ungraded = services.report_sanitise(report=ungraded, by=world.a.investigator)
    with pytest.raises(ValidationError, match="Grade"):
        services.report_approve(report=ungraded, by=world.a.lead)
    unsanitised = _draft(world, case_world)
    with pytest.raises(ValidationError, match="sanitise"):
        services.report_approve(report=unsanitised, by=world.a.lead)
    own = services.report_create(
        by=world.a.lead, case=case_world.case, title="T", body="B", **graded()
    )
    own = services.report_sanitise(report=own, by=world.a.lead)
    with pytest.raises(ValidationError, match="author"):
        services.report_approve(report=own, by=world.a.lead)
    with pytest.raises(ValidationError, match="team lead"):
        services.report_approve(report=_ready(world, case_world), by=world.b.lead)


def test_database_refuses_approval_by_the_author(world, case_world):
    report = _ready(world, case_world)
    with pytest.raises(IntegrityError), transaction.atomic():
        IntelReport.objects.filter(pk=report.pk).update(approved_by=world.a.investigator)


def test_cannot_disclose_unapproved_or_to_a_non_police_organisation(world, case_world):
    report = _ready(world, case_world)
    with pytest.raises(ValidationError, match="approve"):
        services.report_disclose(report=report, to=world.a.police, by=world.a.lead)
    report = services.report_approve(report=report, by=world.a.lead)
    with pytest.raises(ValidationError):
        services.report_disclose(report=report, to=world.a.partner, by=world.a.lead)
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED


def test_disclosure_freezes_hashes_audits_and_notifies(world, case_world, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    report = _approved(world, case_world)
    with TestCase.captureOnCommitCallbacks(execute=True):
        report = services.report_disclose(report=report, to=world.a.police, by=world.a.lead)
    assert report.status == ReportStatus.DISCLOSED
    canonical = json.dumps(
        report.disclosed_content, ensure_ascii=False, sort_keys=True, separators=(",", ":")
    )
    assert report.content_hash == hashlib.sha256(canonical.encode()).hexdigest()
    assert "Stefanescu" not in report.disclosed_content["body"]
    event = AuditEvent.objects.get(action="disclose", target_id=str(report.pk))
    assert event.details["sha256"] == report.content_hash
    assert event.details["organisation_id"] == world.a.police.pk
    assert [message.to for message in mail.outbox] == [[world.a.police_liaison.email]]
    assert "Stefanescu" not in mail.outbox[0].body and SUSPECT_NAME not in mail.outbox[0].body
    report.title = "Changed"
    with pytest.raises(PermissionError):
        report.save()
    report.refresh_from_db()
    with pytest.raises(ValidationError, match="disclosed"):
        services.report_update(
            report=report,
            by=world.a.investigator,
            title="x",
            body="y",
            linked_entities=[],
            **graded(),
        )


def test_correction_is_a_new_linked_version(world, case_world):
    report = _approved(world, case_world)
    report = services.report_disclose(report=report, to=world.a.police, by=world.a.lead)
    correction = services.report_correct(report=report, by=world.a.investigator)
    assert correction.previous == report and correction.version == 2
    assert correction.status == ReportStatus.DRAFT
    report.refresh_from_db()
    assert report.status == ReportStatus.DISCLOSED
    with pytest.raises(ValidationError):
        services.report_correct(report=report, by=world.a.investigator)


def test_reply_lands_on_the_case_timeline(world, case_world):
    report = _approved(world, case_world)
    report = services.report_disclose(report=report, to=world.a.police, by=world.a.lead)
    services.report_acknowledge(report=report, by=world.a.police_liaison)
    reply = services.reply_add(
        report=report,
        kind="outcome",
        text="Warrant executed; two arrests.",
        by=world.a.police_liaison,
    )
    entry = TimelineEntry.objects.get(pk=reply.timeline_entry_id)
    assert entry.case == case_world.case
    assert "Warrant executed" in entry.text and report.reference in entry.text
    with pytest.raises(ValidationError):
        services.reply_add(report=report, kind="outcome", text="  ", by=world.a.police_liaison)
