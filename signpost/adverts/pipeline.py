"""The CPU-bound half of an import (language, extraction, indicators, shingles, encryption of
the stored document), run in worker processes while the importing process writes.

Workers are forked once per import and warmed (lingua's models, the town table, compiled
patterns) before the first batch. They never touch the database: a forked child must not use
its parent's connection. What comes back is only what the writer needs, so little is pickled.
"""

from __future__ import annotations

import fcntl
import gc
import multiprocessing
import threading
from array import array
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import partial
from multiprocessing.pool import AsyncResult, Pool
from typing import Any, NamedTuple, TypeVar

import orjson
from django.conf import settings
from django.db import connection, connections

from signpost.adverts import bulk
from signpost.adverts.analysis import analyse_many
from signpost.adverts.extraction import uk_towns
from signpost.adverts.language import language_detector
from signpost.adverts.models import Advert, AdvertDocument
from signpost.adverts.records import AdvertRecord

SHINGLE_TYPECODE = "I"  # unsigned 32 bits, read back with numpy's uint32 (array is cheaper here)
if array(SHINGLE_TYPECODE).itemsize != 4:
    raise ImportError("Shingles are packed as 32-bit integers: this platform's C int is not.")
TASK_SIZE = 250  # adverts per task: small enough to share a chunk between workers evenly
# Below this many bytes of input, forking and warming workers costs more than it saves.
PARALLEL_MIN_BYTES = 2 * 1024 * 1024
# Bytes a pool's pipes hold (Linux; 64 KiB by default): a task's records (150 KB) or results
# (500 KB, for 250 generated adverts) then go in one write.
PIPE_BYTES = 1024 * 1024

# What a group summary reads from an advert, as JSON: [names, ages, phones, emails, handles,
# indicator codes]. One short string per advert, because an import keeps it for every advert
# until the end; with the codes in it, summaries need not read the adverts back.
Compact = str
Task = TypeVar("Task")
Done = TypeVar("Done")


class Analysed(NamedTuple):
    """One advert after analysis, as the writer needs it (a tuple: it pickles cheaply)."""

    language: str
    town: str
    hits: Any  # indicator hits, ready for the database
    posted_at: Any  # the record's posted_at, ready for the database
    identifiers: list[tuple[str, str, bool]]
    shingles: bytes  # the shingle hashes as packed uint32: cheap to pass between processes
    contact_tokens: list[str]
    compact: Compact
    content: Any  # the encrypted {"record", "extracted"} document, ready for the database


def compact_of(extracted: dict[str, Any], codes: Iterable[str]) -> Compact:
    return orjson.dumps(
        [
            [item["value"] for item in extracted.get("names", [])],
            [item["value"] for item in extracted.get("ages", [])],
            list(extracted.get("phones_e164", [])),
            list(extracted.get("emails_all", [])),
            [item["value"] for item in extracted.get("handles", [])],
            list(codes),
        ]
    ).decode()


def analyse_batch(records: list[AdvertRecord]) -> list[Analysed]:
    # Values are prepared for the database here, in the workers, so that the writer only writes.
    content_field = AdvertDocument._meta.get_field("content")
    prepare_hits = bulk.json_preparer(Advert, "indicator_hits")
    prepare_posted_at = bulk.datetime_preparer(Advert, "posted_at")
    analyses = analyse_many(records)
    # Each step over the whole batch rather than each advert through every step: a step's
    # code (encryption above all) stays in the processor's caches, and costs half as much.
    documents = [
        content_field.get_db_prep_save(
            {"record": record.content(), "extracted": analysis.extraction}, connection
        )
        for record, analysis in zip(records, analyses, strict=True)
    ]
    return [
        Analysed(
            language=analysis.extraction["language"],
            town=analysis.town,
            hits=prepare_hits(analysis.hits),
            posted_at=prepare_posted_at(record.posted_at),
            identifiers=analysis.identifiers,
            shingles=array(SHINGLE_TYPECODE, analysis.shingles).tobytes(),
            contact_tokens=analysis.contact_tokens,
            compact=compact_of(analysis.extraction, analysis.hits),
            content=document,
        )
        for record, analysis, document in zip(records, analyses, documents, strict=True)
    ]


def _warm() -> None:
    # The parent's database connections are shared memory after fork: forget them without
    # closing (closing would end the parent's session too).
    for alias in connections:
        connections[alias].connection = None
    language_detector()
    uk_towns()
    analyse_batch(
        [
            AdvertRecord(
                line=0, external_id="warm", source="warm", url="", posted_at=None,
                title="New in town", body="Sweet girl, call 07911 123456, 21 yo, Birmingham.",
                location="", phone="", email="", image_hashes=(),
            )
        ]
    )  # fmt: skip
    # Django, the patterns and the town table live as long as the worker: out of the garbage
    # collector's full passes.
    gc.freeze()


@contextmanager
def collector_paused() -> Iterator[None]:
    """The garbage collector paused for the block, then left as it was found. Reference
    counting frees objects as ever; a reference cycle made meanwhile waits for a later pass."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def _without_collector(function: Callable[[Task], Done], task: Task) -> Done:
    """`function(task)` with the garbage collector paused. A worker's task makes objects that
    live until it returns and hold no reference cycles: the collector's passes walked them
    again and again and freed nothing (none in 10,000 adverts; a tenth of a worker's time)."""
    with collector_paused():
        return function(task)


def _widen_pipes(pool: Pool) -> None:
    """The pool's task and result pipes made to hold a whole task or result. With 64 KiB
    pipes a worker's results went out in pieces, each waiting for the importing process's
    result thread to take the GIL from the writer and read one: the workers spent about a
    twentieth of their time blocked (py-spy), and 200,000 adverts took 3.5% longer."""
    # Private attributes of multiprocessing.Pool (CPython 3.8 on); without them, or where
    # the system refuses a larger pipe (its limit: /proc/sys/fs/pipe-max-size), the pipes
    # stay as they are, which is only slower.
    set_size = getattr(fcntl, "F_SETPIPE_SZ", None)
    if set_size is None:
        return
    for queue in (getattr(pool, "_inqueue", None), getattr(pool, "_outqueue", None)):
        writer = getattr(queue, "_writer", None)
        if writer is None:
            continue
        try:
            fcntl.fcntl(writer.fileno(), set_size, PIPE_BYTES)
        except OSError:
            continue


def workers_wanted(input_bytes: int) -> int:
    workers = int(getattr(settings, "ADVERTS_IMPORT_WORKERS", 2))
    minimum = int(getattr(settings, "ADVERTS_IMPORT_PARALLEL_MIN_BYTES", PARALLEL_MIN_BYTES))
    if workers < 1 or input_bytes < minimum:
        return 0
    if "fork" not in multiprocessing.get_all_start_methods():
        return 0
    # Forking a process whose other threads may hold locks can leave the child stuck: a web
    # server's request thread analyses in-process (a progress bar's daemon monitor is harmless).
    main = threading.main_thread()
    if threading.current_thread() is not main or any(
        thread is not main and not thread.daemon for thread in threading.enumerate()
    ):
        return 0
    return workers


class Analyser:
    """Analyses batches of records in worker processes, or in this process when workers=0.

    As a context manager: the workers are stopped at once if the block fails, and let finish
    their tasks otherwise."""

    def __init__(self, workers: int) -> None:
        self.pool: Pool | None = None
        if workers:
            self.pool = multiprocessing.get_context("fork").Pool(workers, initializer=_warm)
            _widen_pipes(self.pool)

    def submit(self, records: list[AdvertRecord]) -> AsyncResult[list[list[Analysed]]] | None:
        """Start analysing (returns at once with workers); collect with `results`."""
        if self.pool is None or not records:
            return None
        parts = [records[start : start + TASK_SIZE] for start in range(0, len(records), TASK_SIZE)]
        return self.pool.map_async(partial(_without_collector, analyse_batch), parts, chunksize=1)

    def results(
        self, records: list[AdvertRecord], started: AsyncResult[list[list[Analysed]]] | None
    ) -> Iterator[Analysed]:
        if started is None:
            yield from analyse_batch(records) if records else []
            return
        for part in started.get():
            yield from part

    def __enter__(self) -> Analyser:
        return self

    def __exit__(self, error_type: type[BaseException] | None, *_details: object) -> None:
        if error_type is None:
            self.close()
        else:
            self.terminate()

    def map_later(self, function: Callable[[Task], Done], tasks: list[Task]) -> Iterator[Done]:
        """Start `function` over each task in the workers; the iterator returned yields the
        results in the tasks' order, each as soon as it is done (without workers, it works
        them out as it goes)."""
        if self.pool is None:
            return map(function, tasks)
        return self.pool.imap(partial(_without_collector, function), tasks, chunksize=1)

    def close(self) -> None:
        if self.pool is not None:
            self.pool.close()
            self.pool.join()
            self.pool = None

    def terminate(self) -> None:
        if self.pool is not None:
            self.pool.terminate()
            self.pool.join()
            self.pool = None
