import io

import pytest
from django.core.exceptions import ValidationError  # noqa: F401
from django.urls import reverse
from pypdf import PdfReader

from signpost.core.decorators import REAUTH_SESSION_KEY
from signpost.core.models import AuditEvent
from signpost.intel import services
from signpost.intel.models import IntelReport, ReportStatus
from signpost.intel.tests.conftest import REPORT_BODY, SUSPECT_NAME, graded

pytestmark = pytest.mark.django_db

ROLES = ["volunteer", "handler", "investigator", "lead", "analyst", "police_liaison", "admin"]


def _reauthenticated(client):
    from django.utils import timezone

    session = client.session
    session[REAUTH_SESSION_KEY] = timezone.now().timestamp()
    session.save()
    return client


def _report(world, case_world, *, disclose=False, approve=False, body=REPORT_BODY):
    report = services.report_create(
        by=world.a.investigator, case=case_world.case, title="Driver network", body=body, **graded()
    )
    report = services.report_sanitise(report=report, by=world.a.investigator)
    if approve or disclose:
        report = services.report_approve(report=report, by=world.a.lead)
    if disclose:
        report = services.report_disclose(report=report, to=world.a.police, by=world.a.lead)
    return report


def _user(world, region, role):
    return getattr(getattr(world, region), role)


STAFF_DETAIL_ALLOWED = {("a", "investigator"), ("a", "lead"), ("a", "analyst")}
EVERYONE = [(region, role) for region in ("a", "b") for role in ROLES]


def test_staff_report_page_access_matrix(world, case_world, signed_in):
    """Every role of both regions, in one world: only region A's intelligence roles see it."""
    report = _report(world, case_world)
    for region, role in EVERYONE:
        user = _user(world, region, role)
        client = signed_in(user)
        response = client.get(reverse("intel:report_detail", args=[report.pk]))
        listing = client.get(reverse("intel:report_list"))
        if (region, role) in STAFF_DETAIL_ALLOWED:
            assert response.status_code == 200, (region, role)
            assert report.reference in listing.content.decode(), (region, role)
            assert AuditEvent.objects.filter(
                actor=user, action="view", target_id=str(report.pk)
            ).exists()
        else:
            assert response.status_code == 404, (region, role)
            assert listing.status_code == 404 or report.reference not in listing.content.decode()
            assert AuditEvent.objects.filter(actor=user, action="access_denied").exists()


def test_police_report_page_access_matrix(world, case_world, signed_in):
    report = _report(world, case_world, disclose=True)
    for region, role in EVERYONE:
        client = signed_in(_user(world, region, role))
        response = client.get(reverse("intel:police_detail", args=[report.pk]))
        if (region, role) == ("a", "police_liaison"):
            assert response.status_code == 200
            assert SUSPECT_NAME in response.content.decode()
            assert "Stefanescu" not in response.content.decode()
        else:
            assert response.status_code == 404, (region, role)
        ack = client.post(reverse("intel:police_acknowledge", args=[report.pk]))
        assert ack.status_code == (302 if (region, role) == ("a", "police_liaison") else 404)


def test_police_sees_nothing_undisclosed_and_nothing_else(world, case_world, signed_in):
    approved = _report(world, case_world, approve=True)
    client = signed_in(world.a.police_liaison)
    assert client.get(reverse("intel:police_detail", args=[approved.pk])).status_code == 404
    assert client.get(reverse("intel:police_list")).status_code == 200
    other_apps = [
        reverse("intel:report_list"),
        reverse("intel:report_detail", args=[approved.pk]),
        reverse("cases:list"),
        reverse("cases:detail", args=[case_world.case.pk]),
        reverse("cases:search"),
        reverse("core:audit_log"),
        "/staff/referrals/",
        "/staff/adverts/",
        "/staff/outreach/",
        "/staff/insights/",
        "/staff/admin/",
    ]
    for url in other_apps:
        assert client.get(url).status_code in (404, 302), url
        if client.get(url).status_code == 302:
            # The admin sends non-staff to sign in; it must never show anything.
            assert (
                "login" in client.get(url)["Location"] or "sign-in" in client.get(url)["Location"]
            )


def test_police_of_another_force_cannot_see_the_report(world, case_world, signed_in):
    report = _report(world, case_world, disclose=True)
    client = signed_in(world.b.police_liaison)
    assert client.get(reverse("intel:police_list")).content.decode().count(report.reference) == 0
    assert client.get(reverse("intel:police_detail", args=[report.pk])).status_code == 404
    assert (
        client.post(
            reverse("intel:police_reply", args=[report.pk]), {"kind": "outcome", "text": "x"}
        ).status_code
        == 404
    )


def test_investigator_writes_a_graded_report_from_a_case(world, case_world, signed_in):
    client = signed_in(world.a.investigator)
    url = reverse("intel:report_new", args=[case_world.case.pk])
    page = client.get(url).content.decode()
    assert "The source saw or heard it themselves." in page
    bad = client.post(url, {"title": "T", "body": "B", "handling_code": "C"})
    assert "Enter the conditions" in bad.content.decode()
    assert not IntelReport.objects.exists()
    response = client.post(
        url,
        {
            "title": "Driver",
            "body": REPORT_BODY,
            "entities": [f"person:{case_world.suspect.pk}"],
            **graded(),
        },
    )
    report = IntelReport.objects.get()
    assert response.status_code == 302
    assert report.grading == "2BC"
    assert report.linked_entities[0]["label"].startswith(SUSPECT_NAME)


def test_report_from_a_case_the_user_cannot_see_is_404(world, case_world, signed_in):
    url = reverse("intel:report_new", args=[case_world.case.pk])
    assert signed_in(world.b.investigator).get(url).status_code == 404
    assert signed_in(world.a.handler).get(url).status_code == 404


def test_sanitise_preview_then_confirm(world, case_world, signed_in):
    report = services.report_create(
        by=world.a.investigator, case=case_world.case, title="T", body=REPORT_BODY, **graded()
    )
    client = signed_in(world.a.investigator)
    url = reverse("intel:report_sanitise", args=[report.pk])
    preview = client.get(url).content.decode()
    assert "Name of a victim who has not consented" in preview
    assert "[victim withheld]" in preview
    report.refresh_from_db()
    assert report.sanitised_at is None
    client.post(url, {"confirm": "1", "extra_terms": ""})
    report.refresh_from_db()
    assert services.is_sanitised(report)
    assert signed_in(world.a.lead).get(url).status_code == 404


def test_approval_needs_reauthentication_and_a_lead_not_the_author(world, case_world, signed_in):
    report = _report(world, case_world)
    url = reverse("intel:report_approve", args=[report.pk])
    lead = signed_in(world.a.lead)
    assert "reauthenticate" in lead.post(url)["Location"]
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT
    assert signed_in(world.a.investigator).post(url).status_code == 404
    assert _reauthenticated(signed_in(world.b.lead)).post(url).status_code == 404
    _reauthenticated(lead)
    assert lead.post(url).status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED and report.approved_by == world.a.lead


def test_disclosure_through_the_page(world, case_world, signed_in):
    report = _report(world, case_world, approve=True)
    url = reverse("intel:report_disclose", args=[report.pk])
    lead = _reauthenticated(signed_in(world.a.lead))
    page = lead.get(url).content.decode()
    assert world.a.police.name in page and world.a.partner.name not in page
    assert "Choose a police" in lead.post(url, {"organisation": ""}).content.decode()
    lead.post(url, {"organisation": world.a.police.pk})
    report.refresh_from_db()
    assert report.status == ReportStatus.DISCLOSED and report.disclosed_to == world.a.police


def test_lead_cannot_approve_own_report_through_the_page(world, case_world, signed_in):
    report = services.report_create(
        by=world.a.lead, case=case_world.case, title="T", body="B", **graded()
    )
    services.report_sanitise(report=report, by=world.a.lead)
    lead = _reauthenticated(signed_in(world.a.lead))
    assert lead.post(reverse("intel:report_approve", args=[report.pk])).status_code == 404


def test_police_reply_appears_on_the_case_and_the_report(world, case_world, signed_in):
    report = _report(world, case_world, disclose=True)
    police = signed_in(world.a.police_liaison)
    bad = police.post(reverse("intel:police_reply", args=[report.pk]), {"kind": "", "text": ""})
    assert "Enter your reply." in bad.content.decode()
    police.post(
        reverse("intel:police_reply", args=[report.pk]),
        {"kind": "request", "text": "Please send the vehicle details."},
    )
    investigator = signed_in(world.a.investigator)
    case_page = investigator.get(
        reverse("cases:detail", args=[case_world.case.pk])
    ).content.decode()
    assert "Please send the vehicle details." in case_page
    report_page = investigator.get(
        reverse("intel:report_detail", args=[report.pk])
    ).content.decode()
    assert "Please send the vehicle details." in report_page


def test_pdf_prints_grading_and_conditions_on_every_page(world, case_world, signed_in):
    long_body = "\n\n".join([REPORT_BODY] * 60)
    report = _report(world, case_world, disclose=True, body=long_body)
    police = _reauthenticated(signed_in(world.a.police_liaison))
    response = police.get(reverse("intel:police_pdf", args=[report.pk]))
    assert response["Content-Type"] == "application/pdf"
    pages = PdfReader(io.BytesIO(response.content)).pages
    assert len(pages) >= 2
    for page in pages:
        text = " ".join(page.extract_text().split())
        assert "Grading 2BC" in text
        assert "outside the force's modern slavery unit" in text
    assert "Stefanescu" not in "".join(page.extract_text() for page in pages)
    assert AuditEvent.objects.filter(
        actor=world.a.police_liaison, action="export", target_id=str(report.pk)
    ).exists()
    assert (
        signed_in(world.b.police_liaison)
        .get(reverse("intel:police_pdf", args=[report.pk]))
        .status_code
        == 404
    )


def test_correction_through_the_page(world, case_world, signed_in):
    report = _report(world, case_world, disclose=True)
    client = signed_in(world.a.investigator)
    response = client.post(reverse("intel:report_correct", args=[report.pk]))
    correction = IntelReport.objects.get(previous=report)
    assert response["Location"] == reverse("intel:report_detail", args=[correction.pk])
    assert client.get(reverse("intel:report_edit", args=[report.pk])).status_code == 404
