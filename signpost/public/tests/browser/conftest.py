"""Browser-test helpers for the public site."""

from __future__ import annotations

from typing import Any

import pytest

from signpost.testing.factories import AreaFactory, RegionFactory


@pytest.fixture
def neutral_exit(settings: Any, live_server: Any) -> str:
    """Where "Leave this site" goes in tests: a page the live server serves, not a real site."""
    settings.QUICK_EXIT_URL = live_server.url + "/healthz"
    return settings.QUICK_EXIT_URL


@pytest.fixture
def intake_area(db: None) -> Any:
    return AreaFactory(name="Birmingham", region=RegionFactory(name="West Midlands"))


def watch_requests(page: Any, live_server: Any) -> list[str]:
    """Every URL the page asks for that is not on our own server."""
    foreign: list[str] = []

    def check(request: Any) -> None:
        if not request.url.startswith((live_server.url, "data:")):
            foreign.append(request.url)

    page.on("request", check)
    return foreign
