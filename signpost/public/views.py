"""The anonymous public pages.

What these views must never do, because a visit can endanger a visitor: touch the session, set a
cookie (the self-referral form's CSRF cookie is the one exception), store an address or a browser
signature, or put anything about the visitor in a URL. The only thing a URL carries is `via`,
the leaflet or channel token the visit started from, so that a referral can be counted for it.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_safe
from django_ratelimit.decorators import ratelimit

from signpost.core.client import client_address_key
from signpost.core.forms import form_show_service_error
from signpost.public import selectors, services
from signpost.public.content import render_page_text
from signpost.public.models import LandingToken, PageKey
from signpost.referrals.forms import HONEYPOT_FIELD, SelfReferralForm
from signpost.referrals.services import referral_submit_self

# Where a QR code or channel link lands: the page that says what the charity does and how to ask.
LANDING_PAGE = "public:how_we_help"

PAGE_TEMPLATES: dict[str, tuple[str, str]] = {
    PageKey.HOME: ("public:home", "public/home.html"),
    PageKey.SIGNS: ("public:signs", "public/signs.html"),
    PageKey.HOW_WE_HELP: ("public:how_we_help", "public/how_we_help.html"),
    PageKey.RIGHTS: ("public:rights", "public/rights.html"),
    PageKey.GET_HELP: ("public:get_help", "public/get_help.html"),
}


NAVIGATION = [
    ("public:home", _("Home")),
    ("public:signs", _("Spot the signs")),
    ("public:how_we_help", _("How we help")),
    ("public:rights", _("Your rights")),
    ("public:get_help", _("Get help now")),
    ("public:self_referral", _("Ask for help")),
]


def _via_query(token: LandingToken | None) -> str:
    return f"?via={token.token}" if token else ""


def _language_links(url_name: str, via: str) -> list[dict[str, Any]]:
    """The same page in each public language, each named in its own language."""
    current = translation.get_language()
    links = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            url = reverse(url_name)
        links.append(
            {
                "code": code,
                # NFC: Django's Vietnamese name comes decomposed, which some fonts draw badly.
                "name": unicodedata.normalize("NFC", get_language_info(code)["name_local"]),
                "url": url + via,
                "current": code == current,
            }
        )
    return links


def _context(page: str, url_name: str, token: LandingToken | None) -> dict[str, Any]:
    """What the public layout needs: staff's text if any, the token, the language and page links."""
    content = selectors.page_content_for(page=page, language=translation.get_language())
    via = _via_query(token)
    return {
        "content": content,
        "content_body": render_page_text(content.body) if content else "",
        "via_token": token.token if token else "",
        "via_query": via,
        "language_links": _language_links(url_name, via),
        "nav_links": [
            {"url": reverse(name) + via, "label": label, "current": name == url_name}
            for name, label in NAVIGATION
        ],
    }


def _page(page: str) -> Any:
    url_name, template = PAGE_TEMPLATES[page]

    @require_safe
    def view(request: HttpRequest) -> HttpResponse:
        token = selectors.active_landing_token(request.GET.get("via"))
        return render(request, template, _context(page, url_name, token))

    view.__name__ = f"{page}_page"
    return view


home = _page(PageKey.HOME)
signs = _page(PageKey.SIGNS)
how_we_help = _page(PageKey.HOW_WE_HELP)
rights = _page(PageKey.RIGHTS)
get_help = _page(PageKey.GET_HELP)


@require_safe
def landing(request: HttpRequest, token: str) -> HttpResponse:
    """/q/<token>: count the scan, then open the help page in the token's language.

    An unknown or switched-off token still gets a helpful page: the home page in the visitor's
    own language, without an error that would confuse someone holding an old leaflet.
    """
    found = selectors.active_landing_token(token)
    if found is None:
        language = translation.get_language_from_request(request)
        with translation.override(language):
            return redirect(reverse("public:home"))
    if request.method == "GET":  # a HEAD is a link checker, not a person
        services.landing_scan_record(token=found)
    language = found.language if found.language in dict(settings.LANGUAGES) else "en"
    with translation.override(language):
        return redirect(reverse(LANDING_PAGE) + _via_query(found))


def _form_rate(group: str, request: HttpRequest) -> str:
    return settings.PUBLIC_FORM_RATE


@require_http_methods(["GET", "POST"])
@ratelimit(key=client_address_key, rate=_form_rate, method="POST", block=False)
def self_referral(request: HttpRequest) -> HttpResponse:
    """The short form; a successful post answers with the thank-you page itself.

    No redirect after the post: the reference code would otherwise have to travel in a URL
    (browser history, logs) or be parked in a session or a one-time row, which would mean a
    cookie or more stored data for an anonymous visitor. Rendering it in the response keeps it
    only on the visitor's screen; Cache-Control: no-store keeps it out of the browser cache.
    """
    data = request.POST if request.method == "POST" else None
    source = request.POST if data is not None else request.GET
    token = selectors.active_landing_token(source.get("via"))
    form = SelfReferralForm(data)
    limited = data is not None and getattr(request, "limited", False)
    if data is not None and not limited:
        if form.is_bot:
            # The honeypot was filled: thank the robot as if it were a person, save nothing.
            return _thank_you(request, token, reference="")
        if form.is_valid():
            try:
                referral = referral_submit_self(data=form.cleaned_data, landing_token=token)
            except ValidationError as error:
                form_show_service_error(form, error)
            else:
                return _thank_you(request, token, reference=referral.reference)
    context = _context(PageKey.SELF_REFERRAL, "public:self_referral", token)
    context.update(form=form, honeypot=form[HONEYPOT_FIELD], rate_limited=limited)
    return render(request, "public/self_referral.html", context, status=429 if limited else 200)


def _thank_you(request: HttpRequest, token: LandingToken | None, *, reference: str) -> HttpResponse:
    context = _context(PageKey.THANK_YOU, "public:self_referral", token)
    context["reference"] = reference
    return render(request, "public/thank_you.html", context)
