"""An acknowledged referral survives the server dying: submit under load to a real gunicorn
process, SIGKILL it mid-load, restart it, and find every referral that was acknowledged."""

from __future__ import annotations

import os
import re
import secrets
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import dj_database_url
import httpx
import psycopg
import pytest

from signpost.referrals.tests.helpers import partner_post
from signpost.referrals.tests.smtp import free_port

ROOT = Path(__file__).resolve().parents[3]
BIN = Path(sys.executable).parent
THREADS = 4
PER_THREAD = 12

SETUP_SCRIPT = """
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django_otp import DEVICE_ID_SESSION_KEY
from signpost.testing.factories import totp_device_for
from signpost.testing.world import build_region
world = build_region("west-midlands", "West Midlands", ["Birmingham"])
user = world.volunteer
session = SessionStore()
session[SESSION_KEY] = str(user.pk)
session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
session[HASH_SESSION_KEY] = user.get_session_auth_hash()
session[DEVICE_ID_SESSION_KEY] = totp_device_for(user).persistent_id
session.create()
print("SESSION", session.session_key, world.areas[0].pk)
"""


def postgres_base_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith("postgres") else "postgres://postgres@127.0.0.1:5432/postgres"


def _pg_admin(base_url: str) -> psycopg.Connection:
    config = dj_database_url.parse(base_url)
    return psycopg.connect(
        host=config["HOST"] or "127.0.0.1",
        port=config["PORT"] or 5432,
        user=config["USER"] or "postgres",
        password=config["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
        connect_timeout=3,
    )


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'durability.sqlite3'}"
        return
    base = postgres_base_url()
    try:
        admin = _pg_admin(base)
    except psycopg.Error:
        if os.environ.get("CI") == "true":
            pytest.fail("PostgreSQL is required in CI")
        pytest.skip("PostgreSQL is not reachable")
    name = f"signpost_durability_{secrets.token_hex(4)}"
    admin.execute(f'CREATE DATABASE "{name}"')
    config = dj_database_url.parse(base)
    user = config["USER"] or "postgres"
    password = f":{config['PASSWORD']}" if config["PASSWORD"] else ""
    host = config["HOST"] or "127.0.0.1"
    port = config["PORT"] or 5432
    try:
        yield f"postgres://{user}{password}@{host}:{port}/{name}"
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def server_environment(database_url: str, var_dir: Path) -> dict[str, str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "SQLITE_TEST_NAME"}
    }
    environment.update(
        SIGNPOST_ENV="test",
        DATABASE_URL=database_url,
        SIGNPOST_VAR_DIR=str(var_dir),
        DJANGO_SETTINGS_MODULE="signpost.settings",
        # The urgent notifications are queued; no mail leaves during this test.
        EMAIL_URL="dummy://",
    )
    return environment


def start_server(environment: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(  # noqa: S603
        [str(BIN / "gunicorn"), "signpost.wsgi", "-b", f"127.0.0.1:{port}", "-w", "2"],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.3)
    os.killpg(process.pid, signal.SIGKILL)
    raise AssertionError("the server did not start")


def kill_server(process: subprocess.Popen[bytes]) -> None:
    os.killpg(process.pid, signal.SIGKILL)  # the master and its workers, no clean shutdown
    process.wait(timeout=10)


def submitter(
    base: str, session_key: str, area_id: int, acknowledged: list[str], stop: threading.Event
) -> None:
    client = httpx.Client(base_url=base, cookies={"sessionid": session_key}, timeout=10)
    try:
        for number in range(PER_THREAD):
            if stop.is_set():
                return
            try:
                page = client.get("/staff/referrals/new/")
                token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
                assert token, page.status_code
                data = partner_post(
                    type("AreaRef", (), {"pk": area_id})(),  # only the pk is posted
                    danger_now="yes" if number % 3 == 0 else "no",
                    person_description=f"Durability {number}",
                )
                data["csrfmiddlewaretoken"] = token.group(1)
                response = client.post(
                    "/staff/referrals/new/", data=data, headers={"Referer": base + "/"}
                )
            except httpx.HTTPError:
                return  # the server died mid-request: this one was never acknowledged
            if response.status_code == 302:
                acknowledged.append(response.headers["location"])
    finally:
        client.close()


def test_every_acknowledged_referral_survives_a_sigkill(database_url: str, tmp_path: Path):
    var_dir = tmp_path / "var"
    var_dir.mkdir()
    environment = server_environment(database_url, var_dir)
    signpost = str(BIN / "signpost")
    subprocess.run(  # noqa: S603
        [signpost, "migrate", "--no-input", "-v", "0"], cwd=ROOT, env=environment, check=True
    )
    subprocess.run(  # noqa: S603
        [signpost, "createcachetable"], cwd=ROOT, env=environment, check=True
    )
    setup = subprocess.run(  # noqa: S603
        [signpost, "shell", "-c", SETUP_SCRIPT],
        cwd=ROOT,
        env=environment,
        check=True,
        capture_output=True,
        text=True,
    )
    session_key, area_id = setup.stdout.split("SESSION", 1)[1].split()
    port = free_port()
    base = f"http://127.0.0.1:{port}"

    server = start_server(environment, port)
    acknowledged: list[str] = []
    stop = threading.Event()
    threads = [
        threading.Thread(
            target=submitter, args=(base, session_key, int(area_id), acknowledged, stop)
        )
        for _i in range(THREADS)
    ]
    for thread in threads:
        thread.start()
    # Let some referrals through, then kill the server while others are in flight.
    deadline = time.monotonic() + 60
    while len(acknowledged) < THREADS * PER_THREAD // 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    kill_server(server)
    stop.set()
    for thread in threads:
        thread.join(timeout=30)
    assert len(acknowledged) >= THREADS * PER_THREAD // 2

    server = start_server(environment, port)
    try:
        with httpx.Client(base_url=base, cookies={"sessionid": session_key}, timeout=10) as client:
            listing = client.get("/staff/referrals/mine/?page=1").text
            for location in acknowledged:
                page = client.get(location)
                assert page.status_code == 200, location
                reference = re.search(r'data-testid="reference">([A-Z0-9-]+)<', page.text)
                assert reference
            assert f"{len(acknowledged)} referral" in listing or "referrals" in listing
    finally:
        kill_server(server)
