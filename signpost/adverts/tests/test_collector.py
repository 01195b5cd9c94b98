"""The collector, tested only against pages served on 127.0.0.1 by the test itself."""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command

from signpost.adverts.collector import (
    AddressNotAllowed,
    Collector,
    CollectorConfig,
    CollectorError,
    RateLimiter,
    parse_page,
    resolve_checked,
)
from signpost.adverts.models import Advert

HTML = """<html><body>
<article data-advert-id="h1" data-posted-at="2026-11-01T10:00:00Z">
  <h2 data-field="title">New in Coventry</h2>
  <p data-field="body">Sweet girl, call 07911 123456 &amp; ask for Ana</p>
  <span data-field="location">Coventry</span>
</article>
<article data-advert-id="h2"><p data-field="body">Call 07400 123456</p></article>
</body></html>"""
JSON_ADVERTS = [{"id": "j1", "body": "Call 07911 123456", "location": "Walsall"}]


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        routes = {
            "/ads.html": ("text/html; charset=utf-8", HTML.encode()),
            "/ads.json": ("application/json", json.dumps(JSON_ADVERTS).encode()),
            "/big": ("text/plain", b"x" * 5000),
        }
        if self.path == "/moved":
            self.send_response(302)
            self.send_header("Location", "/ads.json")
            self.end_headers()
            return
        if self.path == "/slow":
            threading.Event().wait(2)
        content_type, body = routes.get(self.path, ("text/plain", b""))
        self.send_response(200 if self.path in routes or self.path == "/slow" else 404)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        # The collector hangs up once a page passes its size cap (/big) or its timeout (/slow).
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def collector(urls, **options):
    return Collector(CollectorConfig(source="testsite", urls=urls, min_interval=0, **options))


def test_loopback_is_refused_unless_explicitly_allowed(server):
    with pytest.raises(AddressNotAllowed):
        collector([f"{server}/ads.json"]).collect()
    with pytest.raises(AddressNotAllowed):
        resolve_checked("localhost", 80, allow_private=False)
    for address in ("10.0.0.1", "169.254.169.254", "192.168.1.1", "::1", "0.0.0.0"):  # noqa: S104
        with pytest.raises(AddressNotAllowed):
            resolve_checked(address, 80, allow_private=False)


def test_collects_html_and_json_pages_and_follows_checked_redirects(server):
    adverts = collector([f"{server}/ads.html", f"{server}/moved"], allow_private=True).collect()
    assert [a["id"] for a in adverts] == ["h1", "h2", "j1"]
    assert adverts[0]["body"] == "Sweet girl, call 07911 123456 & ask for Ana"
    assert adverts[0]["posted_at"] == "2026-11-01T10:00:00Z"
    assert {a["source"] for a in adverts} == {"testsite"}


def test_timeouts_size_limits_and_errors(server):
    with pytest.raises(CollectorError):
        collector([f"{server}/slow"], allow_private=True, timeout=0.3).collect()
    with pytest.raises(CollectorError, match="larger"):
        collector([f"{server}/big"], allow_private=True, max_bytes=1000).collect()
    with pytest.raises(CollectorError, match="404"):
        collector([f"{server}/missing"], allow_private=True).collect()
    with pytest.raises(CollectorError, match="http"):
        collector(["file:///etc/passwd"], allow_private=True).collect()


def test_rate_limit_per_host():
    now = [100.0]
    slept: list[float] = []
    limiter = RateLimiter(2.0, clock=lambda: now[0], sleep=lambda s: slept.append(s))
    limiter.wait("a.example")
    now[0] += 0.5
    limiter.wait("a.example")
    limiter.wait("b.example")
    assert slept == [1.5]


def test_parse_page_reads_json_lines():
    assert parse_page(b'{"id": "1", "body": "x"}\n{"id": "2", "body": "y"}\n', "") == [
        {"id": "1", "body": "x"},
        {"id": "2", "body": "y"},
    ]


def test_collect_command_imports(server, world):
    call_command(
        "adverts_collect", f"{server}/ads.html", "--source", "testsite",
        "--region", world.a.region.slug, "--allow-private-addresses", "--interval", "0",
    )  # fmt: skip
    assert Advert.objects.filter(source="testsite").count() == 2
