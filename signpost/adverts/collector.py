"""Pulling adverts from configured pages over HTTP, safely.

- Timeouts on every request and a cap on the response size.
- Per-host rate limits (a minimum interval between two requests to one host).
- A guard against server-side request forgery: the host name is resolved first and every
  address it resolves to must be public; the connection then goes to that checked address (so
  a second DNS answer cannot swap in a private one). Private, loopback, link-local, multicast
  and reserved addresses are refused unless `allow_private` is set (tests serve on 127.0.0.1).
- Redirects are followed by hand, each hop checked again.

Pages give adverts either as JSON (a list of advert objects, or JSON Lines) or as HTML where
each advert is an element with a `data-advert-id` attribute and children whose `data-field`
attribute names the field (title, body, location, phone, email, posted_at, url).
"""

from __future__ import annotations

import ipaddress
import json
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx

MAX_REDIRECTS = 3
FIELDS = ("title", "body", "location", "phone", "email", "posted_at", "url")


class CollectorError(Exception):
    pass


class AddressNotAllowed(CollectorError):
    pass


@dataclass
class CollectorConfig:
    source: str
    urls: list[str]
    allow_private: bool = False
    timeout: float = 10.0
    min_interval: float = 2.0  # seconds between two requests to the same host
    max_bytes: int = 5 * 1024 * 1024
    user_agent: str = "Signpost advert collector"


def _is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return not (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
    )


def resolve_checked(host: str, port: int, *, allow_private: bool) -> str:
    """The first address the host resolves to, if every resolved address is allowed."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise CollectorError(f"Cannot resolve {host}.") from error
    addresses = [ipaddress.ip_address(info[4][0]) for info in infos]
    if not addresses:
        raise CollectorError(f"Cannot resolve {host}.")
    if not allow_private:
        refused = [str(a) for a in addresses if not _is_public(a)]
        if refused:
            raise AddressNotAllowed(f"{host} resolves to a non-public address ({refused[0]}).")
    return str(addresses[0])


class RateLimiter:
    def __init__(
        self,
        min_interval: float,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.min_interval = min_interval
        self.clock, self.sleep = clock, sleep
        self.last: dict[str, float] = {}

    def wait(self, host: str) -> None:
        previous = self.last.get(host)
        if previous is not None:
            remaining = self.min_interval - (self.clock() - previous)
            if remaining > 0:
                self.sleep(remaining)
        self.last[host] = self.clock()


@dataclass
class Collector:
    config: CollectorConfig
    limiter: RateLimiter | None = None
    client: httpx.Client | None = None
    fetched: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.limiter = self.limiter or RateLimiter(self.config.min_interval)
        self.client = self.client or httpx.Client(
            timeout=httpx.Timeout(self.config.timeout),
            follow_redirects=False,
            headers={"User-Agent": self.config.user_agent},
            trust_env=False,
        )

    def fetch(self, url: str) -> tuple[bytes, str]:
        """The body and content type of a page, after the guard and the rate limit."""
        try:
            return self._fetch(url)
        except httpx.TimeoutException as error:
            raise CollectorError("The site did not answer in time.") from error
        except httpx.HTTPError as error:
            raise CollectorError(
                f"The page could not be fetched ({type(error).__name__})."
            ) from error

    def _fetch(self, url: str) -> tuple[bytes, str]:
        assert self.client is not None and self.limiter is not None  # noqa: S101
        for _hop in range(MAX_REDIRECTS + 1):
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise CollectorError("Only http and https addresses can be collected.")
            port = parts.port or (443 if parts.scheme == "https" else 80)
            address = resolve_checked(parts.hostname, port, allow_private=self.config.allow_private)
            pinned_host = f"[{address}]" if ":" in address else address
            pinned = urlunsplit(
                (parts.scheme, f"{pinned_host}:{port}", parts.path or "/", parts.query, "")
            )
            self.limiter.wait(parts.hostname)
            headers = {"Host": parts.netloc}
            extensions = {"sni_hostname": parts.hostname} if parts.scheme == "https" else {}
            with self.client.stream(
                "GET", pinned, headers=headers, extensions=extensions
            ) as response:
                if response.is_redirect:
                    url = urljoin(url, response.headers.get("location", ""))
                    continue
                if response.status_code != 200:
                    raise CollectorError(f"{parts.hostname} answered {response.status_code}.")
                body = bytearray()
                for chunk in response.iter_bytes():
                    body.extend(chunk)
                    if len(body) > self.config.max_bytes:
                        raise CollectorError("The page is larger than the collector accepts.")
                self.fetched.append(url)
                return bytes(body), response.headers.get("content-type", "")
        raise CollectorError("Too many redirects.")

    def collect(self) -> list[dict[str, Any]]:
        adverts: list[dict[str, Any]] = []
        for url in self.config.urls:
            body, content_type = self.fetch(url)
            for advert in parse_page(body, content_type):
                advert.setdefault("source", self.config.source)
                advert["source"] = self.config.source
                adverts.append(advert)
        return adverts

    def close(self) -> None:
        if self.client is not None:
            self.client.close()


class _AdvertHTMLParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.adverts: list[dict[str, Any]] = []
        self._depth = 0
        self._advert_depth: int | None = None
        self._field: str | None = None
        self._field_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._depth += 1
        values = dict(attrs)
        if values.get("data-advert-id"):
            self.adverts.append({"id": values["data-advert-id"]})
            self._advert_depth = self._depth
            for name in ("posted_at", "url"):
                if values.get(f"data-{name.replace('_', '-')}"):
                    self.adverts[-1][name] = values[f"data-{name.replace('_', '-')}"]
        elif self._advert_depth is not None and values.get("data-field") in FIELDS:
            self._field = values["data-field"]
            self._field_depth = self._depth

    def handle_endtag(self, tag: str) -> None:
        if self._field is not None and self._depth == self._field_depth:
            self._field = None
        if self._advert_depth is not None and self._depth == self._advert_depth:
            self._advert_depth = None
        self._depth -= 1

    def handle_data(self, data: str) -> None:
        if self._field is not None and self.adverts:
            advert = self.adverts[-1]
            advert[self._field] = (advert.get(self._field, "") + data).strip()


def parse_page(body: bytes, content_type: str) -> list[dict[str, Any]]:
    text = body.decode("utf-8", errors="replace")
    if "json" in content_type or text.lstrip()[:1] in ("[", "{"):
        stripped = text.strip()
        if stripped.startswith("["):
            data = json.loads(stripped)
            return [item for item in data if isinstance(item, dict)]
        return [json.loads(line) for line in stripped.splitlines() if line.strip()]
    parser = _AdvertHTMLParser()
    parser.feed(text)
    return parser.adverts
