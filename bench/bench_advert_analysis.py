"""What analysing one advert costs: CPU milliseconds and instructions.

    .venv/bin/python bench/bench_advert_analysis.py [--adverts 5000] [--rounds 2]

Runs `pipeline.analyse_batch` (language, extraction, indicators, shingles, the stored
document's JSON and encryption) over generated adverts in one process: the work the import's
worker processes do. Seconds on the shared 2-core machine vary with its load (threefold within
an hour has been seen); instructions, counted with `perf stat` (Debian's linux-perf) where the
kernel allows it, else with valgrind's callgrind (slower: 300 adverts), hardly do (about 0.15%
between runs of the same code, from memory addresses and random IVs), so they compare two
versions of the code fairly; run each twice for a change smaller than about 0.5%. They do
not see the processor's caches: a change that only keeps code in them (analysing a batch
step by step) or saves cache misses (the garbage collector's passes) shows in seconds, not
here. For scale: 5,000 adverts a second on 2 cores leaves about 0.4 ms of CPU an advert for
analysis and writing.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def child(adverts: int, rounds: int) -> None:
    with tempfile.TemporaryDirectory(prefix="signpost-bench-analysis-") as var_dir:
        os.environ.update(
            DJANGO_SETTINGS_MODULE="signpost.settings",
            SIGNPOST_ENV="test",
            SIGNPOST_VAR_DIR=var_dir,
            DEBUG="false",
        )
        analyse(adverts, rounds)


def analyse(adverts: int, rounds: int) -> None:
    """Prepare the adverts, then analyse them `rounds` times; print CPU ms an advert."""
    import django

    django.setup()
    from signpost.adverts.corpus import CorpusGenerator
    from signpost.adverts.pipeline import TASK_SIZE, _warm, analyse_batch, collector_paused
    from signpost.adverts.records import to_record

    records = [
        to_record(advert, line=number)
        for number, advert in enumerate(CorpusGenerator(seed=adverts).adverts(adverts), start=1)
    ]
    _warm()
    # As a worker runs them: tasks of TASK_SIZE adverts, the garbage collector paused.
    tasks = [records[start : start + TASK_SIZE] for start in range(0, len(records), TASK_SIZE)]
    started = time.process_time()
    with collector_paused():
        for _round in range(rounds):
            for task in tasks:
                analyse_batch(task)
    if rounds:
        spent = (time.process_time() - started) / (rounds * adverts)
        print(json.dumps({"cpu_ms_per_advert": round(spent * 1000, 4)}))


def instructions(adverts: int, rounds: int) -> tuple[int, str] | None:
    """User-space instructions an advert, from two runs that differ only in the rounds, and
    what counted them: perf where the kernel lets it, else valgrind's callgrind (about a
    minute and a half: it runs Python some fifty times slower, so on fewer adverts)."""
    counted = _perf_count(adverts, rounds)
    if counted is not None:
        return counted, "perf"
    adverts = min(adverts, VALGRIND_ADVERTS)
    counted = _valgrind_count(adverts, rounds)
    return (counted, "callgrind") if counted is not None else None


VALGRIND_ADVERTS = 300
_COLLECTED = re.compile(r"Collected : (\d+)")


def _child(adverts: int, rounds: int) -> list[str]:
    return [sys.executable, __file__, "--child", "--adverts", str(adverts), "--rounds", str(rounds)]


# The same hash seed and blind-index key in every run: set and dict orders, and the contacts'
# tokens, so the work done, stay the same. With a new key each run (a new temporary var
# directory), callgrind's count varied by about 0.5% between runs of the same code.
# One BLAS thread: the import's workers, forked, have none, and an idle BLAS thread spinning
# beside a run under valgrind added about 50,000 instructions an advert, more the slower it ran.
REPEATABLE_ENV = {
    **os.environ,
    "PYTHONHASHSEED": "0",
    "BLIND_INDEX_KEY": "5" * 64,
    "OPENBLAS_NUM_THREADS": "1",
}


def _perf_count(adverts: int, rounds: int) -> int | None:
    perf = shutil.which("perf")
    if perf is None:
        return None
    counts = []
    for times in (0, rounds):
        done = subprocess.run(
            [perf, "stat", "-x,", "-e", "instructions:u", *_child(adverts, times)],
            capture_output=True, text=True, check=False, env=REPEATABLE_ENV,
        )  # fmt: skip
        line = next((row for row in done.stderr.splitlines() if "instructions" in row), "")
        if done.returncode != 0 or not line.split(",")[0].isdigit():
            return None  # perf cannot count here (a kernel or container setting)
        counts.append(int(line.split(",")[0]))
    return (counts[1] - counts[0]) // (rounds * adverts)


def _valgrind_count(adverts: int, rounds: int) -> int | None:
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        return None
    env = REPEATABLE_ENV
    counts = []
    for times in (0, rounds):
        done = subprocess.run(
            [valgrind, "--tool=callgrind", "--callgrind-out-file=/dev/null",
             *_child(adverts, times)],
            capture_output=True, text=True, check=False, env=env,
        )  # fmt: skip
        found = _COLLECTED.search(done.stderr)
        if done.returncode != 0 or found is None:
            return None
        counts.append(int(found.group(1)))
    return (counts[1] - counts[0]) // (rounds * adverts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--adverts", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        child(options.adverts, options.rounds)
        return
    done = subprocess.run(
        [sys.executable, __file__, "--child", "--adverts", str(options.adverts),
         "--rounds", str(options.rounds)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["adverts"] = options.adverts
    counted = instructions(options.adverts, options.rounds)
    result["instructions_per_advert"] = counted[0] if counted else None
    result["instructions_counted_by"] = counted[1] if counted else None
    print(json.dumps(result))


if __name__ == "__main__":
    main()
