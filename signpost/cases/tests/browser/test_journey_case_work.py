"""Journey 4: an investigator works a case to closure; a lead approves; an outsider sees nothing."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from signpost.cases.models import Case, CaseStatus
from signpost.cases.tests.conftest import open_case
from signpost.testing.browser import assert_accessible, sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The shared CI machine can be busy: a long journey gets more than the harness's 10 s per step.
SLOW_MACHINE_TIMEOUT = 30_000


def new_page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(SLOW_MACHINE_TIMEOUT)
    return context, context.new_page()


def test_investigator_works_the_case_and_a_lead_approves_closure(page, browser, live_server, world):
    page.context.set_default_timeout(SLOW_MACHINE_TIMEOUT)
    case = open_case(world)
    case_url = f"/staff/cases/{case.pk}/"
    sign_in_as(page, live_server, world.a.investigator, next_path=case_url)
    expect(page.get_by_test_id("case-reference")).to_have_text(case.reference)
    assert_accessible(page)

    page.get_by_role("link", name="Add a person").click()
    page.get_by_label("Role in the case").select_option("potential_victim")
    page.get_by_label("Name", exact=True).fill("Elena Rusu")
    page.get_by_label("Estimated age").fill("24")
    page.get_by_label("Nationality").fill("Romanian")
    page.get_by_role("button", name="Add person").click()
    expect(page.locator("#case-people")).to_contain_text("Elena Rusu")

    page.get_by_role("link", name="Add an identifier").click()
    page.get_by_label("Kind", exact=True).select_option("phone")
    page.get_by_label("Identifier", exact=True).fill("07700 900 982")
    page.get_by_label("Whose is it?").select_option(label="Elena Rusu (Potential victim)")
    page.get_by_role("button", name="Add identifier").click()
    expect(page.locator("#case-identifiers")).to_contain_text("+447700900982")

    page.get_by_role("link", name="Add a place").click()
    page.get_by_label("Kind of place").select_option("hotel")
    page.get_by_label("Address or description").fill("Room 12, Central Rooms, Alcester Street")
    page.get_by_label("Postcode").fill("b5 6qr")
    page.get_by_role("button", name="Add place").click()
    expect(page.locator("#case-places")).to_contain_text("B5 6QR")

    page.get_by_role("link", name="Add a note").click()
    page.locator("#id_note-text").fill("Met her outside the hotel; she agreed to talk tomorrow.")
    page.get_by_role("button", name="Add to the timeline").click()
    expect(page.locator("#case-timeline")).to_contain_text("she agreed to talk tomorrow")
    assert_accessible(page)

    page.get_by_role("link", name="Record consent and route for Elena Rusu").click()
    page.get_by_label("Yes").check()
    page.get_by_role("button", name="Record").click()
    expect(page.get_by_test_id("nrm-route")).to_have_text("National Referral Mechanism")

    page.get_by_role("link", name="Update").click()
    page.get_by_label("Date submitted").fill(timezone.localdate().isoformat())
    page.get_by_label("First responder organisation").select_option(label=world.a.charity.name)
    page.get_by_role("button", name="Record submission").click()
    expect(page.get_by_test_id("nrm-submitted")).to_contain_text(world.a.charity.name)

    page.get_by_text("Request closure").click()
    page.get_by_label("Referred to the National Referral Mechanism").check()
    page.get_by_label("Why the case can close").fill("Referred to the NRM; in safe housing.")
    page.get_by_role("button", name="Ask a team lead to close the case").click()
    expect(page.get_by_test_id("closure-pending")).to_be_visible()
    assert_accessible(page)

    lead_context, lead_page = new_page(browser)
    sign_in_as(lead_page, live_server, world.a.lead, next_path=case_url)
    lead_page.get_by_role("button", name="Approve closure").click()
    expect(lead_page.get_by_test_id("case-status")).to_have_text("Closed")
    lead_context.close()
    assert Case.objects.get(pk=case.pk).status == CaseStatus.CLOSED

    outsider_context, outsider_page = new_page(browser)
    sign_in_as(outsider_page, live_server, world.b.investigator)
    response = outsider_page.goto(f"{live_server.url}{case_url}")
    assert response.status == 404
    assert case.reference not in outsider_page.content()
    outsider_context.close()
