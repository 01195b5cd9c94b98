"""The client's network address, from a configured number of trusted proxy hops.

X-Forwarded-For is appended to by each proxy; only the entries our own proxies added can be
trusted, so the address is taken that many entries from the right, never the first (which the
client writes itself).
"""

from __future__ import annotations

import ipaddress
from contextvars import ContextVar

from django.conf import settings
from django.http import HttpRequest

current_client_address: ContextVar[str | None] = ContextVar("current_client_address", default=None)


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_address(request: HttpRequest) -> str | None:
    hops = settings.TRUSTED_PROXY_HOPS
    remote = _valid(request.META.get("REMOTE_ADDR", ""))
    if hops <= 0:
        return remote
    forwarded = [part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part]
    if len(forwarded) < hops:
        return remote
    return _valid(forwarded[-hops])


def client_address_key(group: str, request: HttpRequest) -> str:
    """Rate-limit key (django-ratelimit) for the client's address."""
    return client_address(request) or "unknown"


def axes_client_address(request: HttpRequest) -> str:
    return client_address(request) or "0.0.0.0"  # noqa: S104  (a key for axes, not a bind)
