"""Outreach in a real browser: a volunteer on a phone, a lead printing a Romanian leaflet, the
leaflet's QR code opening the Romanian help page, and what comes of it counted for the point."""

from __future__ import annotations

import io

import pypdf
import pypdfium2
import pytest
import zxingcpp

from signpost.outreach.models import Distribution, PointLeaflet
from signpost.outreach.selectors import PLACES_LISTED
from signpost.outreach.tests import factories as f
from signpost.public.models import DailyScan
from signpost.referrals.models import Referral
from signpost.testing.browser import assert_accessible, sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REFERRAL_HAS_TOKEN = "landing_token" in {field.name for field in Referral._meta.get_fields()}


def test_volunteer_logs_a_distribution_on_a_phone(phone_page, live_server, world):
    page = phone_page
    point = f.point(world.a)
    f.point(world.a, "Digbeth Coach Station")
    f.edition(world.a, "ro")

    sign_in_as(page, live_server, world.a.volunteer)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Record leaflets").click()
    page.get_by_label("Where").select_option(label="Hurst Street")
    page.get_by_label("How many").fill("30")
    page.get_by_label("Left at the place").check()
    page.get_by_role("button", name="Save").click()

    page.get_by_text("Recorded: 30 leaflets at Hurst Street.").wait_for()
    entry = Distribution.objects.get()
    assert (entry.point, entry.quantity, entry.method) == (point, 30, "left")
    assert entry.recorded_by == world.a.volunteer
    # Ready for the next entry: same place chosen, nothing to scroll sideways on a phone.
    assert page.get_by_label("Where").input_value() == str(point.pk)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert_accessible(page)


def test_volunteer_finds_one_of_many_places_on_a_phone(phone_page, live_server, world):
    page = phone_page
    for number in range(PLACES_LISTED):
        f.point(world.a, f"Bus stop {number}")
    station = f.point(world.a, "Digbeth Coach Station")
    f.edition(world.a, "ro")

    sign_in_as(page, live_server, world.a.volunteer, next_path="/staff/outreach/record/")
    page.get_by_label("Find the place").fill("coach")
    page.get_by_role("button", name="Find").click()
    page.get_by_label("Digbeth Coach Station, Birmingham").check()
    page.get_by_label("How many").fill("12")
    page.get_by_role("button", name="Save").click()

    page.get_by_text("Recorded: 12 leaflets at Digbeth Coach Station.").wait_for()
    assert Distribution.objects.get().point == station
    # The place just used is offered, and chosen, for the next entry.
    assert page.get_by_label("Digbeth Coach Station, Birmingham").is_checked()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert_accessible(page)


def test_lead_prints_the_romanian_leaflet_and_its_qr_scan_counts_for_the_point(
    page, live_server, world, settings, tmp_path
):
    settings.SITE_URL = live_server.url
    point = f.point(world.a)
    f.edition(world.a, "en")
    f.edition(world.a, "ro")

    sign_in_as(page, live_server, world.a.lead, next_path=f"/staff/outreach/points/{point.pk}/")
    page.get_by_label("Edition and language").select_option(label="Spring 2026 (Romanian)")
    page.get_by_role("button", name="Make the leaflet").click()
    page.get_by_test_id("scans-ro").wait_for()
    assert page.get_by_test_id("scans-ro").inner_text() == "0"
    assert_accessible(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="A6 leaflet").click()
    pdf_path = tmp_path / "leaflet.pdf"
    download_info.value.save_as(pdf_path)
    pdf = pdf_path.read_bytes()
    text = pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "Ce este sclavia modernă?" in text
    image = pypdfium2.PdfDocument(pdf)[0].render(scale=2).to_pil()
    (code,) = zxingcpp.read_barcodes(image)
    leaflet = PointLeaflet.objects.get(point=point, edition__language="ro")
    assert code.text == f"{live_server.url}/q/{leaflet.landing_token.token}"

    visitor = page.context.browser.new_context(viewport={"width": 360, "height": 740})
    phone = visitor.new_page()
    phone.goto(code.text)
    assert phone.url.startswith(f"{live_server.url}/ro/")
    assert phone.locator("html").get_attribute("lang") == "ro"
    assert DailyScan.objects.get(token=leaflet.landing_token).count == 1

    page.reload()
    assert page.get_by_test_id("scans-ro").inner_text() == "1"
    assert page.get_by_test_id("point-scans").inner_text() == "1"

    if not REFERRAL_HAS_TOKEN:
        visitor.close()
        pytest.skip(
            "Referral.landing_token is not in the referrals app yet: attribution of the "
            "self-referral cannot be checked"
        )
    phone.get_by_role("main").get_by_role("link", name="Cere ajutor").first.click()
    phone.locator("#id_town").fill("Birmingham")
    phone.locator("#id_who_at_risk_0").check()
    phone.locator("#id_danger_now_1").check()
    phone.locator("input[name=contact_method][value=none]").check()
    phone.locator("form.sp-form button[type=submit]").click()
    phone.get_by_test_id("reference").wait_for()
    visitor.close()
    referral = Referral.objects.get()
    assert referral.source == "self"
    assert referral.landing_token_id == leaflet.landing_token_id

    page.reload()
    assert page.get_by_test_id("point-self_referrals").inner_text() == "1"
