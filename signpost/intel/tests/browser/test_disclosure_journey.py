"""Journey 6: a report is drafted from a case, graded and sanitised; a lead approves it after
re-authentication and discloses it to the police; the police liaison reads, acknowledges and
replies; the reply lands on the case; the liaison cannot open the case."""

from __future__ import annotations

import time

import pytest
from django_otp.oath import TOTP

from signpost.intel.models import IntelReport
from signpost.intel.tests.conftest import REPORT_BODY, SUSPECT_NAME, make_case
from signpost.testing.browser import assert_accessible, sign_in_as
from signpost.testing.factories import TEST_PASSWORD, totp_device_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def next_totp(user) -> str:
    """The code of the next time step: the current one was spent signing in (single use)."""
    device = totp_device_for(user)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + device.step
    return str(totp.token()).zfill(device.digits)


def _new_page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    return context.new_page()


def test_report_drafted_approved_disclosed_and_answered(browser, page, live_server, world):
    case_world = make_case(world)
    case = case_world.case

    # The investigator drafts, grades and sanitises the report.
    sign_in_as(page, live_server, world.a.investigator, next_path="/staff/intel/")
    page.get_by_role("link", name="Write a report from a case").click()
    page.get_by_label("Case").select_option(str(case.pk))
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Title").fill("Driver moving women between addresses")
    page.get_by_label("What is known").fill(REPORT_BODY)
    page.get_by_label(f"{SUSPECT_NAME} (Suspect)").check()
    page.get_by_label("2: Untested source").check()
    page.get_by_label("B: Known indirectly to the source but corroborated").check()
    page.get_by_label("C: Lawful sharing permitted with conditions").check()
    page.get_by_label("Handling conditions").fill("Modern slavery unit only.")
    assert_accessible(page)
    page.get_by_role("button", name="Save the draft").click()
    page.get_by_role("link", name="Sanitise the report").click()
    findings = page.locator("#sanitise-findings")
    assert "Name of a victim who has not consented" in findings.inner_text()
    assert "Stefanescu" not in page.locator("#sanitised-preview").inner_text()
    assert_accessible(page)
    page.get_by_role("button", name="Confirm the sanitised report").click()
    assert "Sanitisation confirmed" in page.content()
    report = IntelReport.objects.get()
    report_path = f"/staff/intel/reports/{report.pk}/"

    # A lead approves after re-authenticating, then discloses to the police.
    lead_page = _new_page(browser)
    sign_in_as(lead_page, live_server, world.a.lead, next_path=report_path)
    lead_page.get_by_role("link", name="Approve the report").click()
    lead_page.get_by_label("Password").fill(TEST_PASSWORD)
    lead_page.get_by_label("Code").fill(next_totp(world.a.lead))
    lead_page.get_by_role("button", name="Continue").click()
    assert_accessible(lead_page)
    lead_page.get_by_role("button", name="Approve").click()
    lead_page.get_by_role("link", name="Disclose to police").click()
    lead_page.get_by_label("Police force or agency").select_option(label=world.a.police.name)
    assert_accessible(lead_page)
    lead_page.get_by_role("button", name="Disclose the report").click()
    assert f"Report disclosed to {world.a.police.name}" in lead_page.content()
    report.refresh_from_db()
    assert report.status == "disclosed" and len(report.content_hash) == 64

    # The police liaison sees it, acknowledges it and replies.
    police_page = _new_page(browser)
    sign_in_as(police_page, live_server, world.a.police_liaison)
    police_page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Disclosed reports"
    ).click()
    police_page.get_by_role("link", name=report.reference).click()
    body = police_page.locator("#report-body").inner_text()
    assert SUSPECT_NAME in body and "Stefanescu" not in body
    assert "Modern slavery unit only." in police_page.locator("#report-grading").inner_text()
    assert_accessible(police_page)
    police_page.get_by_role("button", name="Acknowledge receipt").click()
    assert police_page.locator("#acknowledged").is_visible()
    police_page.get_by_label("An outcome").check()
    police_page.get_by_label("Reply").fill("Address visited; two women safeguarded.")
    police_page.get_by_role("button", name="Send the reply").click()
    assert "Reply sent" in police_page.content()
    response = police_page.goto(f"{live_server.url}/staff/cases/{case.pk}/")
    assert response.status == 404
    response = police_page.goto(f"{live_server.url}{report_path}")
    assert response.status == 404

    # The reply is on the case's timeline for the investigator.
    page.goto(f"{live_server.url}/staff/cases/{case.pk}/")
    assert "Address visited; two women safeguarded." in page.content()
    for extra in (lead_page, police_page):
        extra.context.close()


def test_network_view_draws_the_graph_and_lists_it(page, live_server, world):
    case_world = make_case(world)
    sign_in_as(page, live_server, world.a.lead, next_path="/staff/intel/network/")
    page.locator("#network-graph[data-ready='true']").wait_for()
    assert case_world.case.reference in page.locator("#network-table").inner_text()
    assert "Most connected phones" in page.locator("#largest-networks").inner_text()
    page.get_by_label("A phone number").check()
    page.get_by_label("Phone number (optional)").fill("07700 900222")
    page.get_by_role("button", name="Show the network").click()
    page.locator("#network-graph[data-ready='true']").wait_for()
    assert SUSPECT_NAME in page.locator("#network-table").inner_text()
    assert_accessible(page)
