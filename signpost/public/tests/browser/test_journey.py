"""Journey 1 in Romanian, on a small phone: a leaflet's QR code, the signs, a self-referral."""

from __future__ import annotations

import pytest

from signpost.public.models import DailyScan
from signpost.public.services import landing_token_create
from signpost.public.tests.browser.conftest import watch_requests
from signpost.public.tests.helpers import translated
from signpost.referrals.models import Referral
from signpost.testing.browser import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_woman_scans_a_leaflet_reads_the_signs_and_asks_for_help_in_romanian(
    phone_page, live_server, neutral_exit, intake_area
):
    page = phone_page
    foreign = watch_requests(page, live_server)
    leaflet = landing_token_create(language="ro", label="Pliant, Digbeth", by=None)

    page.goto(f"{live_server.url}/q/{leaflet.token}")
    assert page.url == f"{live_server.url}/ro/how-we-help/?via={leaflet.token}"
    assert page.locator("html").get_attribute("lang") == "ro"
    page.get_by_role("heading", level=1, name=translated("How we help", "ro")).wait_for()
    assert DailyScan.objects.get(token=leaflet).count == 1

    page.get_by_role("navigation", name=translated("Pages", "ro")).get_by_role(
        "link", name=translated("Spot the signs", "ro")
    ).click()
    page.get_by_role("heading", level=1, name=translated("Spot the signs", "ro")).wait_for()
    assert f"via={leaflet.token}" in page.url
    assert page.get_by_text(translated("Signs of sexual exploitation", "ro")).is_visible()

    page.get_by_role("main").get_by_role("link", name=translated("Ask for help", "ro")).click()
    page.get_by_role("heading", level=1, name=translated("Ask for help", "ro")).wait_for()
    page.locator("#id_what_is_happening").fill("Iubitul meu îmi ține pașaportul.")
    page.locator("#id_town").fill("Birmingham")
    page.locator("#id_who_at_risk_0").check()
    page.locator("#id_danger_now_1").check()
    page.locator("input[name=contact_method][value=none]").check()
    page.get_by_role("button", name=translated("Send", "ro")).click()

    page.get_by_role("heading", name=translated("Your message has been sent", "ro")).wait_for()
    reference = page.get_by_test_id("reference").inner_text()
    referral = Referral.objects.get()
    assert reference == referral.reference
    assert reference not in page.url
    assert referral.landing_token == leaflet
    assert_accessible(page)
    assert not foreign


def test_leaving_from_the_form_and_going_back_does_not_show_the_form(
    page, live_server, neutral_exit
):
    page.goto(f"{live_server.url}/ro/spot-the-signs/")
    page.get_by_role("main").get_by_role("link", name=translated("Ask for help", "ro")).click()
    page.locator("#id_what_is_happening").fill("Nu pot vorbi acum.")
    page.get_by_role("link", name=translated("Leave this site", "ro")).click()
    page.wait_for_url(neutral_exit)
    page.go_back()
    page.wait_for_load_state()
    assert "/ask-for-help/" not in page.url
    assert page.url == f"{live_server.url}/ro/spot-the-signs/"
    assert page.get_by_text("Nu pot vorbi acum.").count() == 0
