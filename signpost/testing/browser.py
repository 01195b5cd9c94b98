"""Browser tests: Playwright driving Debian's headless Chromium against the live server.

Fixtures (import them through the root conftest): `browser`, `page` (desktop 1280x900) and
`phone_page` (360x740, touch). Helpers: `sign_in_as(page, live_server, user)` goes through the
real password and TOTP pages; `assert_accessible(page)` runs axe-core (WCAG 2.2 A/AA) and fails
on any violation.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django_otp.oath import TOTP

from signpost.core.models import User
from signpost.testing.factories import TEST_PASSWORD, totp_device_for

AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str:
    path = (
        os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    )
    if not path:
        if os.environ.get("CI") == "true":
            pytest.fail("Chromium is required for browser tests in CI")
        pytest.skip("Chromium is not installed")
    return path


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    # Playwright's sync API runs an event loop; Django refuses ORM calls from inside one unless
    # told that this test process is not serving async requests.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS
        )
        yield instance
        instance.close()


def _context_page(browser: Any, **options: Any) -> Iterator[Any]:
    context = browser.new_context(**options)
    # Generous: CI machines are small and other work may run beside the suite.
    context.set_default_timeout(30_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def page(browser: Any, live_server: Any) -> Iterator[Any]:
    yield from _context_page(browser, viewport={"width": 1280, "height": 900})


@pytest.fixture
def phone_page(browser: Any, live_server: Any) -> Iterator[Any]:
    yield from _context_page(
        browser,
        viewport={"width": 360, "height": 740},
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
    )


def current_totp(user: User) -> str:
    device = totp_device_for(user)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return str(totp.token()).zfill(device.digits)


def sign_in_as(page: Any, live_server: Any, user: User, *, next_path: str = "") -> None:
    """Signs in through the real pages: email and password, then a TOTP code."""
    totp_device_for(user)
    page.goto(f"{live_server.url}/staff/sign-in/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Code").fill(current_totp(user))
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/staff/**")
    if next_path:
        page.goto(f"{live_server.url}{next_path}")


def assert_accessible(page: Any) -> None:
    """axe-core against WCAG 2.0/2.1/2.2 A and AA; any violation fails with its details."""
    # Evaluated through the DevTools protocol, which the page's strict CSP does not govern.
    page.evaluate(AXE_JS.read_text(encoding="utf-8") + "\n;true")
    result = page.evaluate(
        """async () => await axe.run(document, {runOnly: {type: 'tag',
            values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})"""
    )
    violations = [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["html"][:200] for n in v["nodes"][:3]]}
        for v in result["violations"]
    ]
    assert not violations, f"{page.url}: " + json.dumps(violations, indent=2)
