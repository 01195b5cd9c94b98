"""Journeys 2 and 3 in headless Chromium: a volunteer's urgent report on a phone, and a
handler routing an urgent Romanian referral to a Romanian-speaking investigator."""

import pytest

from signpost.cases.services import case_open, identifier_add
from signpost.core.roles import Role
from signpost.referrals import services
from signpost.referrals.models import Referral
from signpost.referrals.tests.helpers import extra_user, partner_data
from signpost.testing.browser import assert_accessible, sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_journey_2_volunteer_reports_urgent_referral_on_a_phone(phone_page, live_server, world):
    page = phone_page
    sign_in_as(page, live_server, world.a.volunteer)
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Report what you saw"
    ).click()
    assert_accessible(page)
    banner = page.locator("#call-999")
    assert banner.is_hidden()
    page.locator("#id_danger_now_0").check()  # Yes: someone is in danger now
    assert banner.is_visible()
    assert banner.get_by_text("Call 999 now").is_visible()
    page.get_by_label('A controlling "boyfriend"').check()
    page.get_by_label("Not free to come and go, or always accompanied").check()
    page.get_by_label("Area", exact=True).select_option(label="Birmingham")
    page.get_by_label("Where exactly?").fill("Bus stop by the market")
    page.get_by_label("Describe the person").fill("Young woman, grey hoodie")
    page.get_by_label("Possibly under 18").check()
    page.get_by_label("Română (Romanian)").check()
    page.get_by_label("It was not possible to ask").check()
    page.get_by_label("Through a partner organisation").check()
    page.get_by_role("button", name="Send referral").click()

    page.wait_for_url("**/staff/referrals/mine/*/")
    heading = page.get_by_role("heading", level=1)
    assert heading.inner_text() == "Call 999 now"
    # "Call 999 now" is the first thing in the page's content.
    assert page.locator("main > *").first.get_attribute("data-testid") == "call-999"
    assert_accessible(page)
    referral = Referral.objects.get()
    assert referral.urgent and referral.possible_child and referral.danger_now
    assert page.get_by_test_id("reference").inner_text() == referral.reference

    page.get_by_role("link", name="See all my referrals").click()
    listing = page.get_by_test_id("submissions")
    assert listing.get_by_text(referral.reference).is_visible()
    assert listing.get_by_text("Received").is_visible()
    assert_accessible(page)


def test_journey_3_handler_routes_urgent_romanian_referral(page, live_server, world):
    english_only = extra_user(
        world.a,
        Role.INVESTIGATOR,
        "english@west-midlands.example.org",
        display_name="Evan English",
        languages_spoken=["en"],
    )
    romanian = world.a.investigator  # speaks Romanian
    existing = case_open(
        region=world.a.region,
        area=world.a.areas[0],
        lead_investigator=english_only,
        exploitation_types=["sexual"],
        by=world.a.lead,
    )
    identifier_add(case=existing, kind="phone", value="+40 712 345 678", by=world.a.lead)
    services.referral_submit_partner(
        data=partner_data(world.a.areas[0], indicators=["few_possessions"], languages=["en"]),
        by=world.a.volunteer,
    )
    urgent = services.referral_submit_partner(
        data=partner_data(
            world.a.areas[0],
            danger_now=True,
            languages=["ro"],
            contact_value="0040 712 345 678",
        ),
        by=world.a.volunteer,
    )

    sign_in_as(page, live_server, world.a.handler)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Triage queue").click()
    rows = page.get_by_test_id("queue-row")
    assert urgent.reference in rows.first.inner_text()  # urgent first
    assert_accessible(page)
    rows.first.get_by_role("link", name=urgent.reference).click()

    page.get_by_role("button", name="Take this referral").click()
    assert page.get_by_text("You are handling this referral.").is_visible()
    assert (
        page.get_by_test_id("urgent-reasons").get_by_text("Someone is in danger now.").is_visible()
    )
    assert page.get_by_test_id("linked-case").inner_text() == existing.reference
    suggestions = page.get_by_test_id("suggestions").locator("tbody tr")
    assert romanian.display_name in suggestions.first.inner_text()
    assert "speaks ro" in suggestions.first.inner_text()
    assert_accessible(page)

    investigator = page.get_by_label("Lead investigator")
    assert investigator.input_value() == str(romanian.pk)  # the suggestion is preselected
    page.get_by_role("button", name="Accept as a new case").click()
    assert page.get_by_text("Accepted as case").is_visible()
    urgent.refresh_from_db()
    assert urgent.status == "accepted"
    assert urgent.assigned_investigator == romanian
    assert urgent.case.lead_investigator == romanian
    assert page.get_by_test_id("case-reference").inner_text() == urgent.case.reference
    assert_accessible(page)
