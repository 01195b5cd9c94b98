"""Advert benchmark: quality of grouping and phone extraction, and speed end to end.

    .venv/bin/python bench/bench_adverts.py [--sizes 50000,200000,1000000] [--increment 1000]

For each size: generate a corpus with ground truth (signpost.adverts.corpus), import it through
the CLI (`signpost adverts-import`) into a fresh SQLite database, export it
(`signpost adverts-export`), and report adverts per second, peak memory of the import process,
pairwise precision/recall/F1 of "same poster" and phone precision/recall. Then time adding
`--increment` new adverts to the store (incremental grouping). Results go to bench/results/.

While an import runs, every `--timeline` seconds (10 by default; 0 for none) a line shows the
adverts written so far, the rate since the last line, and the cores the importing process and
its workers used meanwhile (Linux: /proc). A rate that falls as the store grows, or an ending
after the last advert is written with cores idle, shows here and not in the totals.

First it measures the machine: how long a fixed pure-Python loop takes alone, and two of them
at once; and again after each size (`machine_after`). The import's rate is only comparable
between machines (and sessions) alongside those: two virtual cores that share one physical
core (seen here: each of two loops at once took 1.9 times as long as one alone) give an
import little more than one core's worth.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Hashable
from contextlib import closing
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SIGNPOST = str(ROOT / ".venv" / "bin" / "signpost")


def _stat(path: Path) -> list[str]:
    """A /proc/PID/stat file's fields after the command name (which may hold spaces): state,
    parent, ...; none once the process is gone."""
    try:
        text = path.read_text()
    except OSError:
        return []
    return text[text.rindex(")") + 2 :].split()


def _cpu_ticks(pid: int) -> int:
    """User and system CPU of a process so far, in clock ticks (0 once it is gone)."""
    fields = _stat(Path(f"/proc/{pid}/stat"))
    return int(fields[11]) + int(fields[12]) if fields else 0


def _children(pid: int) -> list[int]:
    return [
        int(stat.parent.name)
        for stat in Path("/proc").glob("[0-9]*/stat")
        if (fields := _stat(stat)) and int(fields[1]) == pid
    ]


class Timeline:
    """Samples an import while it runs: adverts in its database, and the CPU of the importing
    process and of its workers (a worker's CPU counts while the worker lives)."""

    def __init__(self, label: str, database: Path) -> None:
        self.label, self.database = label, database
        self.started = time.perf_counter()
        self.last = (self.started, 0, 0, 0)  # time, adverts, importer ticks, worker ticks
        self.worker_ticks: dict[int, int] = {}
        self.tick = os.sysconf("SC_CLK_TCK")

    def _adverts(self) -> int:
        try:
            with closing(sqlite3.connect(f"file:{self.database}?mode=ro", uri=True)) as db:
                return int(db.execute("SELECT count(*) FROM adverts_advert").fetchone()[0])
        except sqlite3.Error:
            return self.last[1]  # locked or not there yet: no news

    def sample(self, pid: int) -> None:
        now, adverts = time.perf_counter(), self._adverts()
        for child in _children(pid):
            self.worker_ticks[child] = max(self.worker_ticks.get(child, 0), _cpu_ticks(child))
        importer, workers = _cpu_ticks(pid), sum(self.worker_ticks.values())
        then, before, importer_before, workers_before = self.last
        seconds = now - then
        print(
            f"  [{self.label}] {now - self.started:5.0f} s {adverts:>9,} adverts"
            f" {(adverts - before) / seconds:>7,.0f}/s   cores: importer"
            f" {(importer - importer_before) / self.tick / seconds:.2f},"
            f" workers {(workers - workers_before) / self.tick / seconds:.2f}",
            flush=True,
        )
        self.last = (now, adverts, importer, workers)


def run(
    args: list[str], env: dict[str, str], timeline: Timeline | None = None, every: float = 0
) -> tuple[float, int, int]:
    """Wall time, peak resident memory (MiB) of one CLI run and of its largest worker process
    (analysis workers are forked: much of their memory is shared with the parent)."""
    started = time.perf_counter()
    code = (
        "import resource, sys, runpy; sys.argv = sys.argv[1:]; "
        "sys.argv[0] = 'signpost'\n"
        "try:\n    runpy.run_module('signpost.cli', run_name='__main__')\n"
        "finally:\n    print('PEAK_KB', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, "
        "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", code, "signpost", *args],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    while True:
        try:
            # Waiting with a timeout, then again, loses none of the output (subprocess docs).
            _out, err = process.communicate(timeout=every if timeline and every > 0 else None)
            break
        except subprocess.TimeoutExpired:
            if timeline is not None:
                timeline.sample(process.pid)
    elapsed = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{err[-3000:]}")
    peak, worker = next(
        (int(line.split()[1]), int(line.split()[2]))
        for line in err.splitlines()
        if line.startswith("PEAK_KB")
    )
    return elapsed, peak // 1024, worker // 1024


def bench(size: int, increment: int, workdir: Path, every: float) -> dict[str, object]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "signpost.settings")
    from signpost.adverts.corpus import CorpusGenerator
    from signpost.adverts.grouping import pairwise_scores

    generator = CorpusGenerator(seed=size)
    corpus = workdir / f"adverts-{size}.jsonl"
    extra = workdir / f"adverts-{size}-more.jsonl"
    with corpus.open("w", encoding="utf-8") as out:
        for advert in generator.adverts(size):
            out.write(json.dumps(advert, ensure_ascii=False) + "\n")
    with extra.open("w", encoding="utf-8") as out:
        for advert in generator.adverts(increment):
            out.write(json.dumps(advert, ensure_ascii=False) + "\n")
    database = workdir / f"bench-{size}.sqlite3"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "SIGNPOST_ENV": "development",
        # Query logging (DEBUG) formats every statement's parameters: not what a real import
        # of a million adverts runs with.
        "DEBUG": "false",
        "SIGNPOST_VAR_DIR": str(workdir / "var"),
    }
    subprocess.run([SIGNPOST, "migrate", "-v", "0"], env=env, check=True)
    subprocess.run(
        [sys.executable, "-c",
         "import django, os; django.setup(); from signpost.core.models import Region; "
         "Region.objects.get_or_create(slug='bench', defaults={'name': 'Bench'})"],
        env={**env, "DJANGO_SETTINGS_MODULE": "signpost.settings"}, check=True,
    )  # fmt: skip
    cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    seconds, peak, worker_peak = run(
        ["adverts_import", str(corpus), "--region", "bench", "--no-progress"],
        env,
        Timeline(f"{size:,}", database),
        every,
    )
    cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (cpu_after.ru_utime + cpu_after.ru_stime) - (cpu_before.ru_utime + cpu_before.ru_stime)
    more_seconds, more_peak, _more_worker = run(
        ["adverts_import", str(extra), "--region", "bench", "--no-progress"], env
    )
    exported = workdir / f"export-{size}.jsonl"
    run(["adverts_export", str(exported), "--region", "bench"], env)
    predicted: dict[Hashable, Hashable | None] = {}
    true_positive = false_positive = false_negative = 0
    phones = {**generator.truth.phones}
    with exported.open(encoding="utf-8") as rows:
        for line in rows:
            row = json.loads(line)
            predicted[row["id"]] = row["group"]
            found = set(row["phones"])
            expected = phones.get(row["id"], set())
            true_positive += len(found & expected)
            false_positive += len(found - expected)
            false_negative += len(expected - found)
    poster = generator.truth.poster
    truth: dict[Hashable, Hashable] = {key: poster[str(key)] for key in predicted}
    scores = pairwise_scores(predicted, truth)
    database.unlink(missing_ok=True)
    return {
        "adverts": size,
        "import_seconds": round(seconds, 1),
        "adverts_per_second": round(size / seconds),
        "cpu_seconds": round(cpu, 1),  # importing process and its workers together
        "peak_memory_mib": peak,
        "worker_peak_memory_mib": worker_peak,
        "increment": increment,
        "increment_seconds": round(more_seconds, 2),
        "increment_peak_memory_mib": more_peak,
        "grouping": {key: round(value, 4) for key, value in scores.items()},
        "phone_recall": round(true_positive / max(1, true_positive + false_negative), 4),
        "phone_precision": round(true_positive / max(1, true_positive + false_positive), 4),
    }


CALIBRATION_LOOP = (
    "import time\nstarted = time.perf_counter()\ntotal = 0\n"
    "for number in range(10_000_000):\n    total += number\n"
    "print(time.perf_counter() - started)"
)


def _loops(count: int) -> float:
    """Seconds the calibration loop takes in each of `count` processes running at once (the
    slowest)."""
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", CALIBRATION_LOOP], stdout=subprocess.PIPE, text=True
        )
        for _ in range(count)
    ]
    return max(float(process.communicate()[0]) for process in processes)


def machine() -> dict[str, float]:
    """A pure-Python loop of ten million additions alone, and two at once (best of three):
    `parallel_speedup` is 2.0 on two real cores, near 1.0 on two that share one."""
    alone = min(_loops(1) for _ in range(3))
    together = min(_loops(2) for _ in range(3))
    return {
        "loop_seconds": round(alone, 2),
        "two_loops_seconds": round(together, 2),
        "parallel_speedup": round(2 * alone / together, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="50000,200000,1000000")
    parser.add_argument("--increment", type=int, default=1000)
    parser.add_argument("--timeline", type=float, default=10.0, help="seconds between samples")
    options = parser.parse_args()
    calibration = machine()
    print(json.dumps({"machine": calibration}), flush=True)
    results: list[dict[str, object]] = [{"machine": calibration}]
    with tempfile.TemporaryDirectory(prefix="signpost-bench-") as directory:
        for size in (int(part) for part in options.sizes.split(",")):
            result = bench(size, options.increment, Path(directory), options.timeline)
            # Again after each size: a shared machine's speed drifts within the hour (seen:
            # a million-advert import took 28% more CPU an hour later, the loop alone unchanged).
            result["machine_after"] = machine()
            results.append(result)
            print(json.dumps(result), flush=True)
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "adverts.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    _ = resource  # peak memory is read inside each CLI process


if __name__ == "__main__":
    main()
