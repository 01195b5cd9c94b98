"""Advert benchmark: quality of grouping and phone extraction, and speed end to end.

    .venv/bin/python bench/bench_adverts.py [--sizes 50000,200000,1000000] [--increment 1000]

For each size: generate a corpus with ground truth (signpost.adverts.corpus), import it through
the CLI (`signpost adverts-import`) into a fresh SQLite database, export it
(`signpost adverts-export`), and report adverts per second, peak memory of the import process,
pairwise precision/recall/F1 of "same poster" and phone precision/recall. Then time adding
`--increment` new adverts to the store (incremental grouping). Results go to bench/results/.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SIGNPOST = str(ROOT / ".venv" / "bin" / "signpost")


def run(args: list[str], env: dict[str, str]) -> tuple[float, int, int]:
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
    done = subprocess.run(
        [sys.executable, "-c", code, "signpost", *args],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{done.stderr[-3000:]}")
    peak, worker = next(
        (int(line.split()[1]), int(line.split()[2]))
        for line in done.stderr.splitlines()
        if line.startswith("PEAK_KB")
    )
    return elapsed, peak // 1024, worker // 1024


def bench(size: int, increment: int, workdir: Path) -> dict[str, object]:
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
        ["adverts_import", str(corpus), "--region", "bench", "--no-progress"], env
    )
    cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (cpu_after.ru_utime + cpu_after.ru_stime) - (cpu_before.ru_utime + cpu_before.ru_stime)
    more_seconds, more_peak, _more_worker = run(
        ["adverts_import", str(extra), "--region", "bench", "--no-progress"], env
    )
    exported = workdir / f"export-{size}.jsonl"
    run(["adverts_export", str(exported), "--region", "bench"], env)
    predicted: dict[str, object] = {}
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
    truth = {key: generator.truth.poster[key] for key in predicted}
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="50000,200000,1000000")
    parser.add_argument("--increment", type=int, default=1000)
    options = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory(prefix="signpost-bench-") as directory:
        for size in (int(part) for part in options.sizes.split(",")):
            result = bench(size, options.increment, Path(directory))
            results.append(result)
            print(json.dumps(result), flush=True)
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "adverts.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    _ = resource  # peak memory is read inside each CLI process


if __name__ == "__main__":
    main()
