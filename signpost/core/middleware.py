from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from signpost.core.client import client_address, current_client_address
from signpost.core.mfa import is_verified

GetResponse = Callable[[HttpRequest], HttpResponse]

STAFF_PREFIX = "/staff/"
SESSION_STARTED = "signpost_started_at"
SESSION_LAST_SEEN = "signpost_last_seen_at"
LAST_SEEN_PRECISION = 60

# Pages a signed-in user who has not yet passed the second factor may open.
SECOND_FACTOR_EXEMPT = (
    "/staff/sign-in/",
    "/staff/sign-out/",
    "/staff/two-factor/",
)


class NoStoreMiddleware:
    """No page is cached anywhere: pages may show personal data or reveal a visit.

    Also records the client address for audit events written while the request runs.
    """

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = current_client_address.set(client_address(request))
        try:
            response = self.get_response(request)
        finally:
            current_client_address.reset(token)
        response["Cache-Control"] = "no-store"
        response["Pragma"] = "no-cache"
        return response


class SessionTimeoutMiddleware:
    """Ends a staff session after SESSION_IDLE_TIMEOUT idle or SESSION_ABSOLUTE_TIMEOUT in all."""

    expired_message = _("You were signed out to keep the information safe. Please sign in again.")

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Only staff pages touch the session: public pages must not read or rewrite it.
        if request.path.startswith(STAFF_PREFIX) and request.user.is_authenticated:
            now = timezone.now().timestamp()
            started = request.session.get(SESSION_STARTED, now)
            last_seen = request.session.get(SESSION_LAST_SEEN, now)
            if (
                now - last_seen > settings.SESSION_IDLE_TIMEOUT
                or now - started > settings.SESSION_ABSOLUTE_TIMEOUT
            ):
                logout(request)
                messages.info(request, self.expired_message)
                return redirect(settings.LOGIN_URL)
            request.session.setdefault(SESSION_STARTED, started)
            # Writing the session on every request costs a database write; a minute's
            # precision is plenty for a 30-minute idle limit.
            if now - last_seen >= LAST_SEEN_PRECISION or SESSION_LAST_SEEN not in request.session:
                request.session[SESSION_LAST_SEEN] = now
        return self.get_response(request)


class StaffLanguageMiddleware:
    """Staff pages have no language prefix: they follow the user's chosen language."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(STAFF_PREFIX) and request.user.is_authenticated:
            language = request.user.language  # type: ignore[union-attr]
            if language in settings.STAFF_LANGUAGES:
                translation.activate(language)
                request.LANGUAGE_CODE = language
        return self.get_response(request)


class StaffSecondFactorMiddleware:
    """Every staff page needs a verified second factor, not only a password."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            request.path.startswith(STAFF_PREFIX)
            and user.is_authenticated
            and not is_verified(user)
            and not request.path.startswith(SECOND_FACTOR_EXEMPT)
        ):
            return redirect("core:two_factor")
        return self.get_response(request)
