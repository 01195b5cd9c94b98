from signpost.cases.models import CaseStatus
from signpost.testing.factories import MembershipFactory, UserFactory


def test_investigator_requests_and_a_lead_approves(world, signed_in, case):
    investigator = signed_in(world.a.investigator)
    response = investigator.post(
        f"/staff/cases/{case.pk}/closure/request/",
        {"closure-outcome": "supported", "closure-reason": "In a safe house, supported."},
    )
    assert response.status_code == 302
    page = investigator.get(f"/staff/cases/{case.pk}/").content.decode()
    assert "Waiting for a team lead to approve." in page
    assert investigator.post(f"/staff/cases/{case.pk}/closure/approve/").status_code == 404
    lead = signed_in(world.a.lead)
    assert "Approve closure" in lead.get(f"/staff/cases/{case.pk}/").content.decode()
    lead.post(f"/staff/cases/{case.pk}/closure/approve/")
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert case.closure_approved_by == world.a.lead


def test_a_lead_cannot_approve_their_own_request(world, signed_in, case):
    lead = signed_in(world.a.lead)
    lead.post(
        f"/staff/cases/{case.pk}/closure/request/",
        {"closure-outcome": "no_trace", "closure-reason": "Moved away."},
    )
    page = lead.get(f"/staff/cases/{case.pk}/").content.decode()
    assert "Another team lead must approve the closure you asked for." in page
    response = lead.post(f"/staff/cases/{case.pk}/closure/approve/", follow=True)
    assert "other than the person who asked" in response.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN
    second = UserFactory(email="lead2@example.org")
    MembershipFactory(user=second, organisation=world.a.charity, role="lead")
    signed_in(second).post(f"/staff/cases/{case.pk}/closure/approve/")
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED


def test_closure_request_needs_an_outcome_and_a_reason(world, signed_in, case):
    response = signed_in(world.a.investigator).post(f"/staff/cases/{case.pk}/closure/request/", {})
    content = response.content.decode()
    assert "Choose the outcome of the case." in content
    assert "Say why the case can close." in content


def test_outsider_lead_cannot_approve(world, signed_in, case):
    signed_in(world.a.investigator).post(
        f"/staff/cases/{case.pk}/closure/request/",
        {"closure-outcome": "no_trace", "closure-reason": "Gone."},
    )
    assert (
        signed_in(world.b.lead).post(f"/staff/cases/{case.pk}/closure/approve/").status_code == 404
    )


def test_status_changes_follow_the_allowed_transitions(world, signed_in, case):
    client = signed_in(world.a.investigator)
    client.post(f"/staff/cases/{case.pk}/status/", {"status-status": "safeguarding"})
    case.refresh_from_db()
    assert case.status == CaseStatus.SAFEGUARDING
    response = client.post(f"/staff/cases/{case.pk}/status/", {"status-status": "open"})
    assert "Choose one of the statuses offered." in response.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.SAFEGUARDING
