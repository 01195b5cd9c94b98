"""The self-referral page: the form, the thank-you answer, the honeypot and the rate limit."""

from __future__ import annotations

import re

import pytest
from django.contrib.sessions.models import Session
from django.utils import translation
from django.utils.html import escape

from signpost.public import views
from signpost.public.services import landing_token_create
from signpost.public.tests.helpers import LANGUAGES, translated, url
from signpost.referrals.forms import HONEYPOT_FIELD, SelfReferralForm
from signpost.referrals.models import Referral
from signpost.testing.factories import AreaFactory, RegionFactory

pytestmark = pytest.mark.django_db

ANSWERS = {
    "who_at_risk": "me",
    "danger_now": "no",
    "contact_method": "none",
    "what_is_happening": "He keeps my passport. <b>bold</b>",
}


def _form(client, language="ro", query=""):
    response = client.get(url("public:self_referral", language) + query)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode())
    assert token is not None
    return response, token.group(1)


def _post(client, csrf, language="ro", **answers):
    data = {**ANSWERS, **answers, "csrfmiddlewaretoken": csrf}
    return client.post(url("public:self_referral", language), data)


@pytest.fixture
def area():
    """Somewhere for self-referrals to go: the intake needs a region."""
    return AreaFactory(name="Birmingham", region=RegionFactory(name="West Midlands"))


@pytest.fixture
def browser_client(client):
    client.handler.enforce_csrf_checks = True
    return client


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_form_is_in_every_language_and_sets_only_the_csrf_cookie(browser_client, language):
    response, _csrf = _form(browser_client, language)
    assert response.status_code == 200
    html = response.content.decode()
    assert translated("Ask for help", language) in html
    assert translated("Leave this site", language) in html
    assert "data-quick-exit" in html
    assert set(response.cookies) == {"csrftoken"}
    assert response["Cache-Control"] == "no-store"
    assert response["Referrer-Policy"] == "no-referrer"
    assert Session.objects.count() == 0


def test_a_referral_is_answered_with_the_thank_you_page_itself(browser_client, area):
    _response, csrf = _form(browser_client)
    response = _post(browser_client, csrf)
    assert response.status_code == 200
    assert "Location" not in response.headers
    referral = Referral.objects.get()
    html = response.content.decode()
    assert referral.reference in html
    assert translated("Your message has been sent", "ro") in html
    assert translated("What happens next", "ro") in html
    assert "<b>bold</b>" not in html
    assert set(response.cookies) <= {"csrftoken"}
    assert Session.objects.count() == 0


def test_a_post_without_the_csrf_token_is_refused(browser_client, area):
    response = browser_client.post(url("public:self_referral", "ro"), ANSWERS)
    assert response.status_code == 403
    assert not Referral.objects.exists()


def test_missing_answers_show_the_form_again_and_save_nothing(browser_client, area):
    _response, csrf = _form(browser_client)
    response = _post(browser_client, csrf, who_at_risk="", contact_method="")
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert not Referral.objects.exists()


def test_the_honeypot_thanks_a_robot_and_saves_nothing(browser_client, area):
    _response, csrf = _form(browser_client)
    response = _post(browser_client, csrf, website="http://spam.example")
    assert response.status_code == 200
    assert translated("Your message has been sent", "ro") in response.content.decode()
    assert 'data-testid="reference"' not in response.content.decode()
    assert not Referral.objects.exists()


def test_the_honeypot_is_hidden_from_people_and_assistive_technology(browser_client):
    html = _form(browser_client)[0].content.decode()
    hidden = re.search(r'<div class="sp-hp" aria-hidden="true">(.*?)</div>\s*<button', html, re.S)
    assert hidden is not None
    assert 'name="website"' in hidden.group(1)
    assert html.count('name="website"') == 1


def test_the_form_is_rate_limited_per_address_with_a_translated_message(
    browser_client, area, settings
):
    settings.PUBLIC_FORM_RATE = "2/h"
    _response, csrf = _form(browser_client)
    assert _post(browser_client, csrf).status_code == 200
    assert _post(browser_client, csrf).status_code == 200
    limited = _post(browser_client, csrf)
    assert limited.status_code == 429
    html = limited.content.decode()
    message = translated("Please wait before sending again", "ro")
    assert message in html
    assert message != "Please wait before sending again"
    assert "He keeps my passport." in html  # what was typed is not lost
    assert Referral.objects.count() == 2
    other = browser_client.post(
        url("public:self_referral", "ro"),
        {**ANSWERS, "csrfmiddlewaretoken": csrf},
        REMOTE_ADDR="198.51.100.9",
    )
    assert other.status_code == 200
    assert Referral.objects.count() == 3


def test_the_landing_token_travels_with_the_form_to_the_referral(browser_client, area, monkeypatch):
    token = landing_token_create(language="ro", label="Leaflet, Digbeth", by=None)
    received = []
    real_submit = views.referral_submit_self

    def recording_submit(*, data, landing_token):
        received.append(landing_token)
        return real_submit(data=data, landing_token=landing_token)

    monkeypatch.setattr(views, "referral_submit_self", recording_submit)
    response, csrf = _form(browser_client, query=f"?via={token.token}")
    assert f'<input type="hidden" name="via" value="{token.token}">' in response.content.decode()
    data = {**ANSWERS, "csrfmiddlewaretoken": csrf, "via": token.token}
    browser_client.post(url("public:self_referral", "ro"), data)
    assert received == [token]
    referral = Referral.objects.get()
    assert referral.landing_token == token


def test_an_unknown_via_on_the_form_is_ignored(browser_client, area):
    _response, csrf = _form(browser_client)
    data = {**ANSWERS, "csrfmiddlewaretoken": csrf, "via": "<script>"}
    response = browser_client.post(url("public:self_referral", "ro"), data)
    assert response.status_code == 200
    assert Referral.objects.count() == 1
    assert "&lt;script&gt;" not in response.content.decode()


@pytest.mark.parametrize("language", [code for code in LANGUAGES if code != "en"])
def test_the_questions_are_asked_in_the_page_language(browser_client, area, language):
    html = _form(browser_client, language)[0].content.decode()
    for name, field in SelfReferralForm.base_fields.items():
        if name == HONEYPOT_FIELD:
            continue
        with translation.override("en"):
            english = str(field.label)
        with translation.override(language):
            local = str(field.label)
        assert local != english, f"{name} is not translated into {language}"
        assert escape(local) in html
        assert escape(english) not in html
