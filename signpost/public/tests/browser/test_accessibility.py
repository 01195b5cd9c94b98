"""WCAG 2.2 AA (axe-core) on every public page in English and Romanian, and a 360px phone."""

from __future__ import annotations

import pytest

from signpost.public.tests.browser.conftest import watch_requests
from signpost.public.tests.helpers import ALL_PAGES, url
from signpost.testing.browser import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANGUAGES = ["en", "ro"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_passes_axe_on_a_desktop(page, live_server, language):
    foreign = watch_requests(page, live_server)
    for name in ALL_PAGES:
        page.goto(live_server.url + url(name, language))
        assert_accessible(page)
    assert not foreign


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_fits_and_passes_axe_on_a_small_phone(phone_page, live_server, language):
    for name in ALL_PAGES:
        phone_page.goto(live_server.url + url(name, language))
        width = phone_page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{name} in {language} scrolls sideways ({width}px)"
        assert_accessible(phone_page)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_form_with_errors_and_the_thank_you_page_pass_axe(
    page, live_server, intake_area, language
):
    page.goto(live_server.url + url("public:self_referral", language))
    page.locator("form.sp-form button[type=submit]").click()
    page.locator(".govuk-error-summary").wait_for()
    assert_accessible(page)
    page.locator("#id_who_at_risk_0").check()
    page.locator("#id_danger_now_1").check()
    page.locator("input[name=contact_method][value=none]").check()
    page.locator("form.sp-form button[type=submit]").click()
    page.get_by_test_id("reference").wait_for()
    assert_accessible(page)


def test_the_error_summary_takes_focus_and_links_to_the_field(page, live_server, intake_area):
    page.goto(live_server.url + url("public:self_referral", "ro"))
    page.locator("form.sp-form button[type=submit]").click()
    summary = page.locator(".govuk-error-summary")
    summary.wait_for()
    assert page.evaluate("document.activeElement.classList.contains('govuk-error-summary')")
    for link in summary.get_by_role("link").all():
        target = link.get_attribute("href")
        assert target.startswith("#")
        assert page.locator(target).count() == 1
