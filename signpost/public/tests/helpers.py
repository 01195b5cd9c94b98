"""Shared facts for the public app's tests."""

from __future__ import annotations

from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

LANGUAGES = [code for code, _name in settings.LANGUAGES]
CONTENT_PAGES = {
    "public:home": "You are not alone",
    "public:signs": "Spot the signs",
    "public:how_we_help": "How we help",
    "public:rights": "Your rights",
    "public:get_help": "Get help now",
}
ALL_PAGES = {**CONTENT_PAGES, "public:self_referral": "Ask for help"}


def url(name: str, language: str) -> str:
    with translation.override(language):
        return reverse(name)


def translated(text: str, language: str) -> str:
    with translation.override(language):
        return translation.gettext(text)


def anonymous() -> Client:
    # enforce_csrf_checks makes the test client behave as a browser would with cookies.
    return Client(enforce_csrf_checks=True)
