"""Journey 5 in a real browser: an analyst uploads collected adverts, watches the import finish,
opens the group it found and sees which indicators fired, on which words.

The worker: the upload enqueues the task in the real database backend, and the test runs the
real worker (`db_worker --batch`, in the test's main thread because it installs signal
handlers) once the progress page is showing; the browser keeps polling with htmx meanwhile and
sees the import go from queued to finished.
"""

from __future__ import annotations

import pytest
from django.core.management import call_command

from signpost.adverts.tests.conftest import ORGANISED, jsonl
from signpost.testing.browser import assert_accessible, sign_in_as

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.timeout(900),  # the shared 2-core machine is sometimes very busy
]


def run_worker_once() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0.1", verbosity=0)


def test_analyst_uploads_adverts_and_reviews_the_group(page, live_server, world, tmp_path):
    # The shared machine can be slow; the journey, not the speed, is under test here.
    page.set_default_timeout(60_000)
    page.set_default_navigation_timeout(60_000)
    upload = tmp_path / "adverts.jsonl"
    upload.write_bytes(jsonl(ORGANISED) + b"{not json\n")
    sign_in_as(page, live_server, world.a.analyst)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Import adverts").click()
    assert_accessible(page)
    page.get_by_label("File of adverts").set_input_files(str(upload))
    page.get_by_label("Source").fill("siteA")
    page.get_by_role("button", name="Upload and import").click()
    progress = page.get_by_test_id("job-progress")
    assert progress.get_attribute("data-status") == "queued"
    assert_accessible(page)

    run_worker_once()
    page.wait_for_selector('[data-testid="job-progress"][data-status="done"]', timeout=60_000)
    assert page.get_by_test_id("job-errors").get_by_text("The line is not valid JSON.").is_visible()
    assert_accessible(page)

    page.get_by_role("link", name="See advert groups").click()
    assert_accessible(page)
    page.get_by_test_id("groups").get_by_role("link").first.click()
    assert "Same contact across towns within days (circuit)" in page.content()
    assert page.get_by_test_id("towns").get_by_text("Birmingham").is_visible()
    assert page.get_by_test_id("names").inner_text().count("(1)") == 2
    assert_accessible(page)

    page.get_by_test_id("timeline").get_by_role("link").first.click()
    marks = page.locator("mark")
    assert marks.count() >= 3
    assert "Just arrived" in page.get_by_test_id("advert-text").inner_text()
    assert page.locator('mark[data-indicators="new_arrival"]').first.inner_text() == "Just arrived"
    assert_accessible(page)
