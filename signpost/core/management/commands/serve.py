"""Run the web server, the task worker and the periodic jobs together; Ctrl-C stops all."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from typing import Any

from django.conf import settings
from django.core.management import get_commands
from django.core.management.base import BaseCommand

# Periodic jobs that a scheduler would run in production; here each loops on its own.
PERIODIC_JOBS = [
    ("escalate_overdue", ["--loop", "300"]),
    ("insights_refresh", ["--loop", "--interval", "300"]),
    ("refresh_planner_statistics", ["--loop", "3600"]),
    ("network_snapshot_refresh", ["--loop", "3600"]),
]


class Command(BaseCommand):
    help = "Serve Signpost (gunicorn), its task worker and periodic jobs until interrupted."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--bind", default="127.0.0.1:8000")
        parser.add_argument("--web-workers", type=int, default=2)

    def handle(self, *args: Any, bind: str, web_workers: int, **options: Any) -> None:
        web = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "signpost.wsgi",
                "--bind",
                bind,
                "--workers",
                str(web_workers),
                "--threads",
                "4",
                "--graceful-timeout",
                "10",
                "--log-level",
                "warning",
            ]
        )
        worker = subprocess.Popen([sys.executable, "-m", "signpost.cli", "worker"])
        processes = {"web server": web, "task worker": worker}
        available = get_commands()
        for name, arguments in PERIODIC_JOBS:
            if name in available:
                # A session of their own: Ctrl-C stops them through SIGTERM below, quietly.
                processes[name] = subprocess.Popen(
                    [sys.executable, "-m", "signpost.cli", name, *arguments],
                    start_new_session=True,
                )
        self.stdout.write(
            self.style.SUCCESS(f"Signpost is running at http://{bind}/ ({settings.SIGNPOST_ENV})")
        )
        self.stdout.write("Staff sign in at /staff/ . Press Ctrl-C to stop.")
        stop_requested = []

        def request_stop(signum: int, frame: Any) -> None:
            stop_requested.append(signum)

        # Ctrl-C reaches the children from the terminal as well; here it only ends the loop.
        signal.signal(signal.SIGINT, request_stop)
        signal.signal(signal.SIGTERM, request_stop)
        while not stop_requested and all(p.poll() is None for p in processes.values()):
            time.sleep(0.3)
        if stop_requested:
            self.stdout.write("Stopping the web server, the task worker and the periodic jobs...")
        else:
            stopped = [name for name, process in processes.items() if process.poll() is not None]
            self.stderr.write(f"The {' and '.join(stopped)} stopped; stopping the rest.")
        for process in processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in processes.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
