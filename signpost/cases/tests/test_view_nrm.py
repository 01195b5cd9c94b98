import datetime
import io

from django.utils import timezone
from pypdf import PdfReader

from signpost.cases import services
from signpost.cases.models import NrmReferral, NrmRoute
from signpost.core.decorators import REAUTH_SESSION_KEY
from signpost.core.models import AuditEvent


def reauthenticated(client):
    session = client.session
    session[REAUTH_SESSION_KEY] = timezone.now().timestamp()
    session.save()
    return client


def pdf_text(content: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_consent_page_records_the_route(world, signed_in, case, victim):
    client = signed_in(world.a.investigator)
    url = f"/staff/cases/{case.pk}/nrm/person/{victim.pk}/"
    page = client.get(url)
    assert page.status_code == 200
    assert b"Under-18s are always referred" in page.content
    refused = client.post(url, {})
    assert "For an adult, record whether they gave informed consent" in refused.content.decode()
    response = client.post(url, {"consent_given": "no"})
    assert response.status_code == 302
    record = NrmReferral.objects.get()
    assert record.route == NrmRoute.DUTY_TO_NOTIFY
    assert client.get(url).status_code == 404  # recorded once only


def test_submission_and_decisions_through_the_update_page(world, signed_in, case, victim):
    record = services.nrm_consent_record(person=victim, consent_given=True, by=world.a.investigator)
    client = signed_in(world.a.investigator)
    url = f"/staff/cases/{case.pk}/nrm/{record.pk}/"
    today = timezone.localdate()
    submitted = today - datetime.timedelta(days=45)
    client.post(
        url,
        {
            "step": "submission",
            "submission-submitted_on": submitted.isoformat(),
            "submission-first_responder": world.a.charity.pk,
        },
    )
    page = client.get(url).content.decode()
    assert "Reasonable Grounds decision" in page
    decided = submitted + datetime.timedelta(days=4)
    too_short = client.post(
        url,
        {
            "step": "reasonable_grounds",
            "rg-decision": "positive",
            "rg-decided_on": decided.isoformat(),
            "rg-recovery_period_ends_on": (decided + datetime.timedelta(days=10)).isoformat(),
        },
    )
    assert "at least 30 days" in too_short.content.decode()
    client.post(
        url,
        {"step": "reasonable_grounds", "rg-decision": "positive", "rg-decided_on": decided},
    )
    record.refresh_from_db()
    assert record.recovery_period_ends_on == decided + datetime.timedelta(days=30)
    case_page = client.get(f"/staff/cases/{case.pk}/").content.decode()
    assert "Recovery period ends" in case_page


def test_the_pack_needs_reauthentication_and_is_audited_as_an_export(
    world, signed_in, case, victim, phone
):
    record = services.nrm_consent_record(person=victim, consent_given=True, by=world.a.investigator)
    services.nrm_submission_record(
        record=record,
        submitted_on=timezone.localdate(),
        first_responder=world.a.charity,
        by=world.a.investigator,
    )
    url = f"/staff/cases/{case.pk}/nrm/{record.pk}/pack.pdf"
    client = signed_in(world.a.investigator)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/staff/reauthenticate/")
    assert not AuditEvent.objects.filter(action="export").exists()
    response = reauthenticated(client).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "Ioana" not in response["Content-Disposition"]
    text = pdf_text(response.content)
    for expected in [
        case.reference,
        "National Referral Mechanism",
        "Ioana Popescu",
        "+447700900982",
    ]:
        assert expected in text, expected
    assert "08000 121 700" in text
    export = AuditEvent.objects.get(action="export")
    assert export.target_id == str(case.pk)
    assert export.actor == world.a.investigator


def test_a_duty_to_notify_pack_is_anonymous(world, signed_in, case, victim, phone):
    record = services.nrm_consent_record(
        person=victim, consent_given=False, by=world.a.investigator
    )
    client = reauthenticated(signed_in(world.a.investigator))
    text = pdf_text(client.get(f"/staff/cases/{case.pk}/nrm/{record.pk}/pack.pdf").content)
    assert "Duty to Notify" in text
    assert "Romanian" in text
    for hidden in ["Ioana", "Popescu", "07700", "+447700900982", "10pm"]:
        assert hidden not in text, hidden


def test_outsiders_and_analysts_get_a_404_before_any_password_prompt(
    world, signed_in, case, victim
):
    record = services.nrm_consent_record(person=victim, consent_given=True, by=world.a.investigator)
    url = f"/staff/cases/{case.pk}/nrm/{record.pk}/pack.pdf"
    for user in [world.b.investigator, world.a.analyst, world.a.admin]:
        assert reauthenticated(signed_in(user)).get(url).status_code == 404, user.email
    assert (
        signed_in(world.b.lead).get(f"/staff/cases/{case.pk}/nrm/{record.pk}/").status_code == 404
    )
