"""Sign-in page and authenticated home page against a bare view on the same server.

Prints requests per second and p50/p95/p99 latency for each, and each page's throughput as a
ratio of the bare view's (1.0 would be "costs nothing more than Django itself").
Environment: BENCH_REQUESTS (default 2000), BENCH_CONCURRENCY (default 4), BENCH_DATABASE_URL.
"""

from __future__ import annotations

import os

from _server import bench_environment, load, manage, running_server, temporary_var

SESSION_SCRIPT = """
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django_otp import DEVICE_ID_SESSION_KEY
from django.utils import timezone
from signpost.core.models import Membership, Organisation, Region, User
from signpost.testing.factories import totp_device_for
region, _ = Region.objects.get_or_create(slug="bench", defaults={"name": "Bench"})
org, _ = Organisation.objects.get_or_create(
    name="Bench charity", defaults={"kind": "charity", "region": region}
)
user = User.objects.filter(email="bench@example.org").first() or User.objects.create_user(
    "bench@example.org", "bench password 2026", display_name="Bench"
)
Membership.objects.get_or_create(user=user, organisation=org, role="lead")
device = totp_device_for(user)
session = SessionStore()
now = timezone.now().timestamp() + 3600
session.update({
    "_auth_user_id": str(user.pk),
    "_auth_user_backend": "django.contrib.auth.backends.ModelBackend",
    "_auth_user_hash": user.get_session_auth_hash(),
    DEVICE_ID_SESSION_KEY: device.persistent_id,
    "signpost_started_at": now,
    "signpost_last_seen_at": now,
})
session.create()
print(session.session_key)
"""


def main() -> None:
    requests = int(os.environ.get("BENCH_REQUESTS", "2000"))
    concurrency = int(os.environ.get("BENCH_CONCURRENCY", "4"))
    with temporary_var() as var_dir:
        env = bench_environment(var_dir)
        manage(env, "migrate", "--no-input", "-v", "0")
        manage(env, "createcachetable")
        session_key = manage(env, "shell", "-c", SESSION_SCRIPT).strip().splitlines()[-1]
        with running_server(env) as port:
            cookie = {"Cookie": f"sessionid={session_key}"}
            load(port, "/healthz", requests=200, concurrency=concurrency)  # warm up
            pages = {
                "bare view (/healthz)": ("/healthz", {}),
                "sign-in page": ("/staff/sign-in/", {}),
                "home, signed in": ("/staff/", cookie),
            }
            results = {
                name: load(port, path, requests=requests, concurrency=concurrency, headers=headers)
                for name, (path, headers) in pages.items()
            }
    bare = results["bare view (/healthz)"]["rps"]
    print(f"HTTP bench: {requests} requests a page, {concurrency} connections, gunicorn x2, SQLite")
    print(f"{'page':<24}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'ratio':>8}")
    for name, figures in results.items():
        print(
            f"{name:<24}{figures['rps']:>9.0f}{figures['p50']:>9.1f}{figures['p95']:>9.1f}"
            f"{figures['p99']:>9.1f}{figures['rps'] / bare:>8.2f}"
        )


if __name__ == "__main__":
    main()
