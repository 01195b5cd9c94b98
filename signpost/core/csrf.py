"""CSRF checks that work with `Referrer-Policy: no-referrer`.

Under that policy browsers send `Origin: null` and no Referer on form posts, which Django's
origin and HTTPS-referer checks would reject. Browsers also send `Sec-Fetch-Site`, which page
scripts cannot set: a post it marks `same-origin` passes those two checks, and the CSRF token
is still required as always.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.middleware.csrf import CsrfViewMiddleware


def _same_origin_fetch(request: HttpRequest) -> bool:
    return request.META.get("HTTP_SEC_FETCH_SITE") == "same-origin"


class SignpostCsrfViewMiddleware(CsrfViewMiddleware):
    def _origin_verified(self, request: HttpRequest) -> bool:
        if request.META.get("HTTP_ORIGIN") == "null" and _same_origin_fetch(request):
            return True
        return super()._origin_verified(request)  # type: ignore[misc]

    def _check_referer(self, request: HttpRequest) -> None:
        if not request.META.get("HTTP_REFERER") and _same_origin_fetch(request):
            return
        super()._check_referer(request)  # type: ignore[misc]
