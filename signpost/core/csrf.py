"""Let Django's CSRF protection work with `Referrer-Policy: no-referrer`.

Under that policy browsers send `Origin: null` (and no Referer) on form posts, which Django's
CsrfViewMiddleware would reject. Browsers also send `Sec-Fetch-Site`, which page scripts cannot
set: for a post it marks `same-origin`, this middleware (placed just before Django's) restores the
site's own origin. Django's middleware then checks it, and the CSRF token, as always.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


class SameOriginFetchMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            request.method not in SAFE_METHODS
            and request.META.get("HTTP_ORIGIN") == "null"
            and request.META.get("HTTP_SEC_FETCH_SITE") == "same-origin"
        ):
            request.META["HTTP_ORIGIN"] = f"{request.scheme}://{request.get_host()}"
        return self.get_response(request)
