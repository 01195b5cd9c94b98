"""The five content pages (home, signs, how we help, rights, get help), in every language."""

from __future__ import annotations

import re

import pytest
from django.conf import settings

from signpost.public.models import LandingToken
from signpost.public.services import landing_token_create
from signpost.public.tests.helpers import CONTENT_PAGES, LANGUAGES, anonymous, translated, url

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", list(CONTENT_PAGES))
def test_every_page_answers_in_every_language_with_its_translated_text(name, language):
    response = anonymous().get(url(name, language))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}"' in html
    title = translated(CONTENT_PAGES[name], language)
    exit_label = translated("Leave this site", language)
    if language != "en":
        assert title != CONTENT_PAGES[name], f"{name} has no {language} title"
        assert exit_label != "Leave this site"
    assert title in html
    assert exit_label in html


@pytest.mark.parametrize("name", list(CONTENT_PAGES))
def test_romanian_pages_show_no_english_page_text(name):
    html = anonymous().get(url(name, "ro")).content.decode()
    for english in [
        "Spot the signs",
        "How we help",
        "Leave this site",
        "Free, confidential help",
        "Modern Slavery & Exploitation Helpline, free",
        "Your safety on this site",
    ]:
        assert english not in html


@pytest.mark.parametrize("name", list(CONTENT_PAGES))
def test_safety_headers_and_no_cookie_at_all(name):
    client = anonymous()
    response = client.get(url(name, "en"))
    assert response["Cache-Control"] == "no-store"
    assert response["Referrer-Policy"] == "no-referrer"
    csp = response["Content-Security-Policy"]
    assert "default-src 'none'" in csp
    assert "script-src 'self'" in csp
    assert "style-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "Set-Cookie" not in response.headers
    assert not response.cookies
    assert not client.cookies


@pytest.mark.parametrize("name", list(CONTENT_PAGES))
def test_nothing_is_loaded_from_another_site_and_no_inline_code(name):
    html = anonymous().get(url(name, "en")).content.decode()
    for attribute in re.findall(r'(?:src|href)="([^"]*)"', html):
        if attribute == settings.QUICK_EXIT_URL:
            continue
        assert attribute.startswith(("/", "#", "tel:", "data:")), attribute
    assert "<script>" not in html
    assert " style=" not in html
    assert "<style" not in html
    assert re.search(r"\son[a-z]+=", html) is None


@pytest.mark.parametrize("name", list(CONTENT_PAGES))
def test_leave_this_site_comes_first_and_goes_to_the_neutral_site(name, settings):
    settings.QUICK_EXIT_URL = "https://neutral.example/weather"
    html = anonymous().get(url(name, "en")).content.decode()
    link = re.search(r"<a [^>]*data-quick-exit[^>]*>", html)
    assert link is not None
    assert 'href="https://neutral.example/weather"' in link.group(0)
    body = html[html.index("<body") :]
    assert body.index("data-quick-exit") < body.index("<header")


@pytest.mark.parametrize("name", list(CONTENT_PAGES))
def test_language_switcher_links_to_the_same_page_in_each_language(name):
    html = anonymous().get(url(name, "ro")).content.decode()
    switcher = html[html.index('class="sp-languages"') : html.index("</nav>")]
    for language, local_name in [
        ("en", "English"),
        ("ro", "Română"),
        ("sq", "Shqip"),
        ("pl", "Polski"),
        ("vi", "Tiếng Việt"),
    ]:
        assert f'href="{url(name, language)}" lang="{language}"' in switcher
        assert local_name in switcher
    assert 'lang="ro" hreflang="ro" aria-current="true"' in switcher


def test_root_sends_the_visitor_to_their_own_language_without_a_cookie():
    client = anonymous()
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="ro-RO,ro;q=0.9,en;q=0.5")
    assert response.status_code == 302
    assert response["Location"] == "/ro/"
    assert "Set-Cookie" not in response.headers
    english = client.get("/", HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9")
    assert english["Location"] == "/en/"
    assert not client.cookies


def test_no_session_is_started_for_a_visitor(django_user_model):
    from django.contrib.sessions.models import Session

    client = anonymous()
    for name in CONTENT_PAGES:
        client.get(url(name, "en"))
    assert Session.objects.count() == 0
    assert not client.cookies


def test_only_get_is_allowed():
    response = anonymous().post(url("public:signs", "en"))
    assert response.status_code in (403, 405)


def test_the_landing_token_is_carried_on_every_link_so_a_referral_can_be_counted():
    token = landing_token_create(language="ro", label="Leaflet, Digbeth", by=None)
    html = anonymous().get(url("public:signs", "ro") + f"?via={token.token}").content.decode()
    assert f'href="{url("public:self_referral", "ro")}?via={token.token}"' in html
    assert f'href="{url("public:signs", "en")}?via={token.token}"' in html


@pytest.mark.parametrize("via", ["not-a-known-token", "<script>alert(1)</script>", "x" * 500])
def test_an_unknown_via_is_not_repeated_back(via):
    html = anonymous().get(url("public:home", "en"), {"via": via}).content.decode()
    assert "via=" not in html


def test_a_switched_off_token_is_not_carried():
    token = landing_token_create(language="en", label="Old leaflet", by=None)
    LandingToken.objects.filter(pk=token.pk).update(is_active=False)
    html = anonymous().get(url("public:home", "en") + f"?via={token.token}").content.decode()
    assert token.token not in html
