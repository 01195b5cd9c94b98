"""'Leave this site': always visible, the Esc key, history replaced, works without JavaScript."""

from __future__ import annotations

import pytest

from signpost.public.tests.helpers import CONTENT_PAGES, url

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("name", [*CONTENT_PAGES, "public:self_referral"])
def test_the_escape_key_leaves_every_page(page, live_server, neutral_exit, name):
    start = live_server.url + "/en/?from=start"
    page.goto(start)
    page.goto(live_server.url + url(name, "en"))
    page.keyboard.press("Escape")
    page.wait_for_url(neutral_exit)
    page.go_back()
    page.wait_for_load_state()
    assert page.url == start


def test_the_button_stays_in_view_on_a_small_phone(phone_page, live_server, neutral_exit):
    page = phone_page
    page.goto(live_server.url + url("public:signs", "ro"))
    button = page.locator("[data-quick-exit]")
    box = button.bounding_box()
    assert box is not None and box["y"] < 80 and box["height"] >= 44
    page.mouse.wheel(0, 2000)
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    box = button.bounding_box()
    assert box is not None and 0 <= box["y"] < 80
    button.tap()
    page.wait_for_url(neutral_exit)


def test_the_site_works_without_javascript(browser, live_server, neutral_exit, intake_area):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 740})
    page = context.new_page()
    try:
        page.goto(live_server.url + url("public:self_referral", "en"))
        page.locator("#id_who_at_risk_1").check()
        page.locator("#id_danger_now_1").check()
        page.locator("input[name=contact_method][value=none]").check()
        page.get_by_role("button", name="Send").click()
        page.get_by_test_id("reference").wait_for()
        page.get_by_role("link", name="Leave this site").click()
        page.wait_for_url(neutral_exit)
    finally:
        context.close()
