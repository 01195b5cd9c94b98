"""Every write of the adverts app: imports, grouping, group summaries, alerts, import jobs."""

from __future__ import annotations

import gc
import io
import sys
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from typing import IO, Any, NamedTuple, cast

import numpy as np
import orjson
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from signpost.adverts import bulk, grouping, pipeline
from signpost.adverts.extraction import uk_towns
from signpost.adverts.indicators import CIRCUIT_DAYS, catalogue, evidence_key
from signpost.adverts.models import (
    Advert,
    AdvertDocument,
    AdvertGroup,
    AdvertIdentifier,
    Alert,
    GroupingState,
    ImportJob,
    new_public_ids,
)
from signpost.adverts.records import AdvertRecord, RecordError, detect_format, read_records
from signpost.core.audit import audit_record
from signpost.core.database import bulk_writes
from signpost.core.models import AuditEvent, Region, User

Action = AuditEvent.Action
CHUNK_SIZE = 2000
LOOKAHEAD = 1  # chunks being analysed while the one before them is written
SQL_BATCH = 500
MAX_ERRORS_KEPT = 1000
DUPLICATE_PAIRS_SHOWN = 3


def max_upload_bytes() -> int:
    return int(getattr(settings, "ADVERTS_MAX_UPLOAD_BYTES", 20 * 1024 * 1024))


@dataclass
class ImportResult:
    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RecordError] = field(default_factory=list)
    groups_touched: int = 0
    alerts: int = 0

    @property
    def error_count(self) -> int:
        return len(self.errors)


Progress = Callable[[int], None]


def _chunks(items: Iterable[AdvertRecord | RecordError], size: int) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _load_state(region: Region) -> tuple[GroupingState, grouping.ShingleCounter]:
    # 2**22 counters (16 MB, a few kB compressed while sparse) keep collisions rare at a
    # million adverts; small installations and tests can use fewer.
    bits = int(getattr(settings, "ADVERTS_SHINGLE_COUNTER_BITS", grouping.COUNTER_BITS))
    state, _created = GroupingState.objects.get_or_create(region=region)
    data = bytes(state.counters or b"")
    counter = (
        grouping.ShingleCounter.from_bytes(data, state.adverts, bits)
        if data
        else grouping.ShingleCounter(bits=bits)
    )
    return state, counter


def _in_batches(values: list[Any], size: int = SQL_BATCH) -> Iterator[list[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _stream_size(stream: IO[bytes]) -> int:
    try:
        here = stream.tell()
        size = stream.seek(0, io.SEEK_END)
        stream.seek(here)
    except (AttributeError, OSError, ValueError):
        return 0
    return int(size)


@dataclass(slots=True)
class _Pending:
    """A record that is new or changed, waiting for its analysis to be written."""

    record: AdvertRecord
    fingerprint: str
    pk: int | None
    public_id: str = ""  # of a stored advert (pk set)
    group: int | None = None  # the group a stored advert is in
    # The same (source, id) as a record of an earlier chunk still in flight: its key is only
    # known once that chunk is written.
    late: bool = False


class KeptAdvert(NamedTuple):
    """What grouping and group summaries need of an advert of this import, once written, so
    that they need not read it back: at a million adverts, reading rows back by group costs
    more than the rest of grouping. Plain strings: a tuple of token strings per advert would
    cost gigabytes."""

    tokens: str  # grouping tokens, space-separated, as stored
    compact: pipeline.Compact
    public_id: str
    posted_at: datetime | None
    town: str
    # The group its row holds: a first guess from the contacts it shares for a new advert,
    # the group it was in for a stored advert updated; None for none.
    group: int | None


Kept = dict[int, KeptAdvert]


@dataclass
class _Memory:
    """What an import keeps of the adverts it writes, for grouping, summaries and alerts."""

    adverts: Kept = field(default_factory=dict)
    contacts: set[str] = field(default_factory=set)  # blind indexes of their contacts
    guesses: grouping.ContactGroups = field(default_factory=grouping.ContactGroups)
    guessed_groups: set[int] = field(default_factory=set)  # the groups the guesses made


_Queued = tuple[int, list[_Pending], Any, int]  # chunk number, pending, analysis, records read


@contextmanager
def _bulk_import() -> Iterator[None]:
    # The garbage collector is paused while an import runs: its passes walked each chunk's
    # objects dozens of times and found a few hundred to free (at 50,000 adverts 1,499 passes,
    # 0.9-1.0 s). write_next frees a chunk's reference cycles in one pass instead.
    with pipeline.collector_paused(), bulk_writes():
        try:
            yield
        finally:
            gc.unfreeze()  # what write_next froze


def adverts_import(
    *,
    stream: IO[bytes],
    region: Region,
    by: User | None,
    file_format: str = "",
    file_name: str = "",
    default_source: str = "",
    progress: Progress | None = None,
    job: ImportJob | None = None,
) -> ImportResult:
    """Import a JSON Lines or CSV file of adverts into a region, idempotent on (source, id).

    A changed advert is updated, an unchanged one left alone, a malformed record reported with
    its line number and skipped. Each chunk is written in one transaction; grouping, group
    summaries and alerts follow once every record is in.

    Large files are analysed in worker processes (pipeline.Analyser) one chunk ahead of the
    chunk being written, so that extraction and database writes overlap.
    """
    head = stream.read(2048)
    stream.seek(0)
    fmt = file_format or detect_format(file_name, head)
    result = ImportResult()
    state, counter = _load_state(region)
    memory = _Memory()
    # (source, id) -> (fingerprint, chunk number) of records read but not yet written
    inflight: dict[tuple[str, str], tuple[str, int]] = {}
    queue: deque[_Queued] = deque()
    analyser = pipeline.Analyser(pipeline.workers_wanted(_stream_size(stream)))

    def write_next() -> None:
        number, pending, started, count = queue.popleft()
        analysed = list(analyser.results([item.record for item in pending], started))
        _write_chunk(pending, analysed, region, counter, result, memory)
        # What the import keeps of these adverts lives until it ends. The garbage collector's
        # full passes walked all of it again and again (a quarter of the importing process's
        # time at 200,000 adverts): frozen, it is left out of them. Reference counting still
        # frees what is dropped; the young generation's pass frees this chunk's cycles first.
        gc.collect(0)
        gc.freeze()
        for item in pending:
            key = (item.record.source, item.record.external_id)
            if inflight.get(key, ("", -1))[1] == number:
                del inflight[key]
        if progress:
            progress(count)
        if job is not None:
            _job_progress(job, result)

    with analyser, _bulk_import():
        chunks = _chunks(read_records(stream, fmt=fmt, default_source=default_source), CHUNK_SIZE)
        for number, chunk in enumerate(chunks):
            records: dict[tuple[str, str], AdvertRecord] = {}
            for item in chunk:
                if isinstance(item, RecordError):
                    result.errors.append(item)
                else:
                    records[(item.source, item.external_id)] = item  # a later duplicate wins
            result.total += len(chunk)
            pending = _pending(records, region, result, inflight)
            for item in pending:
                inflight[(item.record.source, item.record.external_id)] = (item.fingerprint, number)
            started = analyser.submit([item.record for item in pending])
            queue.append((number, pending, started, len(chunk)))
            while len(queue) > LOOKAHEAD:
                write_next()
        while queue:
            write_next()
        kept = memory.adverts
        with transaction.atomic():
            touched, made, write_summaries = _group_new_adverts(region, memory, analyser)
            # While the workers work out the summaries: the shingle counters are saved, and
            # alerts raised (they read only the adverts' groups, settled now).
            state.counters = counter.to_bytes()
            state.adverts = counter.adverts
            state.save(update_fields=["counters", "adverts"])
            result.alerts = alerts_raise(advert_ids=kept.keys(), by=by, indexes=memory.contacts)
            write_summaries()
            summarise_groups(group_ids=touched - made, known=kept, analyser=analyser)
            touched -= _dissolve_lone_groups(touched - made)
            result.groups_touched = len(touched)
            audit_record(
                actor=by,
                action=Action.CREATE,
                target_type="adverts.import",
                target_id=job.public_id if job else "",
                region=region,
                details={
                    "records": result.total,
                    "created": result.created,
                    "updated": result.updated,
                    "unchanged": result.unchanged,
                    "errors": result.error_count,
                    "format": fmt,
                },
            )
    return result


def _placeholders(count: int) -> str:
    """The parameters of an SQL "IN (...)" list of `count` values."""
    return ", ".join(["%s"] * count)


def _stored_keys(
    region: Region, keys: Iterable[tuple[str, str]]
) -> dict[tuple[str, str], tuple[int, str, str, int | None]]:
    """(pk, fingerprint, public id, group) of the stored adverts with these (source, id)."""
    existing: dict[tuple[str, str], tuple[int, str, str, int | None]] = {}
    by_source: dict[str, list[str]] = defaultdict(list)
    for source, external_id in keys:
        by_source[source].append(external_id)
    # Plain SQL: the ORM resolves each value of a long IN list one by one, once per chunk.
    table = connection.ops.quote_name(Advert._meta.db_table)
    with connection.cursor() as cursor:
        for source, ids in by_source.items():
            for batch in _in_batches(ids):
                cursor.execute(
                    f"SELECT id, external_id, fingerprint, public_id, group_id FROM {table} "  # noqa: S608
                    f"WHERE region_id = %s AND source = %s "
                    f"AND external_id IN ({_placeholders(len(batch))})",
                    [region.pk, source, *batch],
                )
                for pk, external_id, fingerprint, public_id, group in cursor.fetchall():
                    existing[(source, external_id)] = (pk, fingerprint, public_id, group)
    return existing


def _pending(
    records: dict[tuple[str, str], AdvertRecord],
    region: Region,
    result: ImportResult,
    inflight: dict[tuple[str, str], tuple[str, int]],
) -> list[_Pending]:
    """The records that are new or changed (the others are counted as unchanged)."""
    if not records:
        return []
    existing = _stored_keys(region, (key for key in records if key not in inflight))
    pending: list[_Pending] = []
    for key, record in records.items():
        fingerprint = record.fingerprint()
        flying = inflight.get(key)
        if flying is not None:
            if flying[0] == fingerprint:
                result.unchanged += 1
            else:
                pending.append(_Pending(record, fingerprint, None, late=True))
            continue
        known = existing.get(key)
        if known and known[1] == fingerprint:
            result.unchanged += 1
            continue
        if known:
            pending.append(_Pending(record, fingerprint, known[0], known[2], known[3]))
        else:
            pending.append(_Pending(record, fingerprint, None))
    return pending


ADVERT_INSERT = (
    "region", "public_id", "source", "external_id", "fingerprint", "posted_at", "town",
    "language", "indicator_hits", "group_tokens", "imported_at", "updated_at", "group",
)  # fmt: skip
ADVERT_UPDATE = (
    "fingerprint", "posted_at", "town", "language", "indicator_hits", "group_tokens",
    "updated_at",
)  # fmt: skip
DOCUMENT_INSERT = ("advert", "content")
IDENTIFIER_INSERT = ("advert", "region", "kind", "value_index", "obfuscated")


def _write_chunk(
    pending: list[_Pending],
    analysed: list[pipeline.Analysed],
    region: Region,
    counter: grouping.ShingleCounter,
    result: ImportResult,
    memory: _Memory,
) -> None:
    if not pending:
        return
    late = [item for item in pending if item.late]
    if late:
        stored = _stored_keys(region, ((i.record.source, i.record.external_id) for i in late))
        for item in late:
            known = stored.get((item.record.source, item.record.external_id))
            if known:
                item.pk, item.public_id, item.group = known[0], known[2], known[3]
    # Count the whole chunk's shingles before sketching, so that boilerplate is known as such
    # from the first chunk of a new store on.
    bands = grouping.chunk_band_tokens(counter, [analysis.shingles for analysis in analysed])
    now = bulk.preparers(Advert, ("updated_at",))[0](timezone.now())
    new_rows: list[list[Any]] = []
    update_rows: list[list[Any]] = []
    new_kept: list[tuple[KeptAdvert, pipeline.Analysed]] = []
    updated: list[tuple[int, KeptAdvert, pipeline.Analysed]] = []
    public_ids = iter(new_public_ids(len(pending)))
    for item, analysis, band in zip(pending, analysed, bands, strict=True):
        record = item.record
        tokens = " ".join((*analysis.contact_tokens, *band))
        values = [
            item.fingerprint,
            analysis.posted_at,
            analysis.town,
            analysis.language,
            analysis.hits,
            tokens,
        ]
        public_id = item.public_id if item.pk is not None else next(public_ids)
        posted_at = record.posted_at.astimezone(UTC) if record.posted_at else None
        keep = KeptAdvert(
            tokens, analysis.compact, public_id, posted_at, sys.intern(analysis.town), None
        )
        if item.pk is None:
            new_rows.append(
                [region.pk, public_id, record.source, record.external_id, *values, now, now, None]
            )
            new_kept.append((keep, analysis))
        else:
            update_rows.append([*values, now, item.pk])
            # An update leaves the row's group as it was (as this import wrote it, if it did).
            earlier = memory.adverts.get(item.pk)
            keep = keep._replace(group=earlier.group if earlier else item.group)
            updated.append((item.pk, keep, analysis))
    plan = memory.guesses.plan([analysis.contact_tokens for _keep, analysis in new_kept])
    with transaction.atomic():
        plan = memory.guesses.settle(plan, _guessed_groups(region, plan.to_make, memory))
        for row, group in zip(new_rows, plan.groups, strict=True):
            row[-1] = group
        ids = bulk.insert_returning_ids(Advert, ADVERT_INSERT, new_rows)
        bulk.insert_rows(
            AdvertDocument,
            DOCUMENT_INSERT,
            [(pk, analysis.content) for pk, (_keep, analysis) in zip(ids, new_kept, strict=True)],
        )
        _move_adverts(plan.joins)
        bulk.update_by_pk(Advert, ADVERT_UPDATE, update_rows)
        bulk.update_by_pk(
            AdvertDocument, ("content",), [(analysis.content, pk) for pk, _k, analysis in updated]
        )
        if updated:
            for batch in _in_batches([pk for pk, _k, _a in updated]):
                AdvertIdentifier.objects.filter(advert_id__in=batch).delete()
        written = [
            *(
                (pk, keep._replace(group=group), analysis)
                for pk, (keep, analysis), group in zip(ids, new_kept, plan.groups, strict=True)
            ),
            *updated,
        ]
        bulk.insert_ignoring_conflicts(
            AdvertIdentifier,
            IDENTIFIER_INSERT,
            [
                (pk, region.pk, kind, index, obfuscated)
                for pk, _k, analysis in written
                for kind, index, obfuscated in analysis.identifiers
            ],
        )
    kept = memory.adverts
    for pk, (_keep, analysis), group in zip(ids, new_kept, plan.groups, strict=True):
        if group is None:
            memory.guesses.remember_alone(pk, analysis.contact_tokens)
    for pk, keep, analysis in written:
        kept[pk] = keep
        memory.contacts.update(index for _kind, index, _obfuscated in analysis.identifiers)
    # After the chunk's own adverts: an advert this chunk updates may be one a guess took along.
    for group, joined in plan.joins:
        kept[cast(int, joined)] = kept[cast(int, joined)]._replace(group=group)
    result.created += len(new_rows)
    result.updated += len(update_rows)


def _guessed_groups(region: Region, count: int, memory: _Memory) -> list[int]:
    """`count` new groups for the import's first guesses, summarised when it ends."""
    ids = _unsummarised_groups(region, count)
    memory.guessed_groups.update(ids)
    return ids


def _unsummarised_groups(region: Region, count: int) -> list[int]:
    """`count` new groups, empty until the import's ending summarises them."""
    if not count:
        return []
    stamp = bulk.preparers(AdvertGroup, ("created_at",))[0](timezone.now())
    summary, counts = (prepare({}) for prepare in bulk.preparers(AdvertGroup, GROUP_SUMMARY[:2]))
    unsummarised = [summary, counts, 0, None, None, 0, 0, 0, 0, stamp]
    return bulk.insert_returning_ids(
        AdvertGroup,
        GROUP_INSERT,
        [[region.pk, public_id, stamp, *unsummarised] for public_id in new_public_ids(count)],
    )


def _move_adverts(moves: Sequence[tuple[int | None, Any]]) -> None:
    """Set the group of adverts: (group id or None, advert id)."""
    if not moves:
        return
    # In the order of the rows: each row is read and rewritten once, walking the table instead
    # of jumping about it (a store is far bigger than the database's page cache).
    ordered = sorted(moves, key=lambda move: int(move[1]))
    table = Advert._meta.db_table
    with connection.cursor() as cursor:
        cursor.executemany(f"UPDATE {table} SET group_id = %s WHERE id = %s", ordered)  # noqa: S608


# Up to this many adverts in an import, stored adverts are screened against a set of the new
# adverts' tokens while they are read (a set of a big import's tokens would not fit in memory).
SCREEN_MAX_ADVERTS = 50_000


# What grouping reads of every stored advert of a region: its tokens, then its group. On
# SQLite the index advert_tokens (migration 0004) holds the first (the rows themselves are
# wide), the index on group the second. The group is not in advert_tokens: an advert moved to
# another group would rewrite its entry there, tokens and all.
ADVERT_TOKENS_SQL = (
    "SELECT id, group_tokens FROM adverts_advert WHERE region_id = %s AND group_tokens <> ''"
)
ADVERT_GROUPS_SQL = "SELECT id, group_id FROM adverts_advert WHERE group_id IS NOT NULL"


def _advert_groups() -> tuple[np.ndarray, np.ndarray]:
    """The ids of the adverts in a group, ascending, and their groups, as arrays: at a million
    adverts a dictionary of them would take a hundred megabytes. Every region's: the index on
    group holds no region, and other regions' ids are never looked up."""
    # Led by an id no advert has, so that neither array is ever empty.
    ids: list[np.ndarray] = [np.array([0], dtype=np.int64)]
    groups: list[np.ndarray] = [np.array([0], dtype=np.int64)]
    with connection.cursor() as cursor:
        cursor.execute(ADVERT_GROUPS_SQL)
        while rows := cursor.fetchmany(50_000):
            pairs = np.array(rows, dtype=np.int64)
            ids.append(pairs[:, 0])
            groups.append(pairs[:, 1])
    all_ids, all_groups = np.concatenate(ids), np.concatenate(groups)
    order = np.argsort(all_ids)
    return all_ids[order], all_groups[order]


def _groups_by_pk(pks: list[int]) -> dict[int, int | None]:
    """The groups of a few stored adverts, read by key (a page or two each)."""
    groups: dict[int, int | None] = {}
    table = connection.ops.quote_name(Advert._meta.db_table)
    with connection.cursor() as cursor:
        for batch in _in_batches(pks):
            cursor.execute(
                f"SELECT id, group_id FROM {table} WHERE id IN ({_placeholders(len(batch))})",  # noqa: S608
                batch,
            )
            groups.update(cursor.fetchall())
    return groups


# Up to this many stored adverts, grouping reads their groups by key; beyond, it reads every
# advert's group from the index on group at once (half a second at a million adverts, which
# an import of a thousand new adverts would otherwise pay for a few thousand stored ones).
GROUPS_BY_KEY_MAX = 50_000


def _existing_adverts(
    region: Region, skip: set[int], wanted: set[str] | None = None
) -> Iterator[grouping.ExistingAdvert]:
    """Stored adverts (but `skip`) with grouping tokens, read straight from the cursor: at a
    million adverts the ORM's per-row work would dominate an incremental import. With
    `wanted`, only adverts holding one of those tokens."""
    by_key = 0  # adverts whose group was read by key so far
    groups_known: tuple[np.ndarray, np.ndarray] | None = None  # read when they are too many
    with connection.cursor() as cursor:
        cursor.execute(ADVERT_TOKENS_SQL, [region.pk])
        while rows := cursor.fetchmany(5000):
            chosen = [
                (pk, tokens)
                for pk, tokens in rows
                if pk not in skip and (wanted is None or not wanted.isdisjoint(tokens.split()))
            ]
            if not chosen:
                continue
            if groups_known is None and by_key + len(chosen) <= GROUPS_BY_KEY_MAX:
                by_key += len(chosen)
                group_of = _groups_by_pk([pk for pk, _tokens in chosen])
                for pk, tokens in chosen:
                    yield grouping.ExistingAdvert(pk, group_of.get(pk), tokens)
                continue
            grouped, groups = groups_known = groups_known or _advert_groups()
            pks = np.fromiter((pk for pk, _tokens in chosen), dtype=np.int64, count=len(chosen))
            at = np.minimum(np.searchsorted(grouped, pks), len(grouped) - 1)
            for (pk, tokens), in_group, group in zip(
                chosen, (grouped[at] == pks).tolist(), groups[at].tolist(), strict=True
            ):
                yield grouping.ExistingAdvert(pk, group if in_group else None, tokens)


def _group_new_adverts(
    region: Region, memory: _Memory, analyser: pipeline.Analyser | None
) -> tuple[set[int], set[int], Callable[[], None]]:
    """Join new and changed adverts to groups incrementally. Returns the groups touched, those
    of them made by this import, and a function that writes the made groups' summaries once
    the workers have them. No group held the made groups' adverts before, so their whole
    membership is known and their summaries are worked out from what the import kept.

    Each group the import guessed while writing (from shared contacts) stays with the group
    of adverts that holds most of its own, so that those adverts need not be written again;
    a guess no group kept is deleted.
    """
    kept = memory.adverts
    if not kept:
        return set(), set(), lambda: None
    records = [grouping.GroupingRecord(pk, advert.tokens) for pk, advert in kept.items()]
    wanted = (
        {token for advert in kept.values() for token in advert.tokens.split()}
        if len(kept) <= SCREEN_MAX_ADVERTS
        else None
    )
    # A region's first import holds all its adverts: none to read back (a million index
    # entries, a second, to skip every one).
    others_stored = Advert.objects.filter(region=region).count() > len(kept)
    existing = _existing_adverts(region, set(kept), wanted) if others_stored else ()
    assignment = grouping.assign_groups(records, existing)
    del wanted
    del records
    touched: set[int] = set()
    new_groups: list[list[int]] = []
    guessed: dict[int, list[int]] = {}  # guessed group kept -> its members
    moves: list[tuple[int | None, Any]] = []  # (group id, advert id)
    left: set[int] = set()  # groups a changed advert leaves
    merges: list[tuple[int, list[int]]] = []
    for component, members in assignment.new_members.items():
        groups = assignment.existing_groups.get(component, set())
        singles = assignment.existing_singles.get(component, set())
        joining = cast(list[int], [*members, *singles])
        if not groups and len(joining) < 2:
            # Alone: it leaves the group its row holds, if any.
            for pk in joining:
                if (held_by := kept[pk].group) is not None:
                    moves.append((None, pk))
                    left.add(held_by)
            continue
        if groups:
            group_ids = sorted(int(group) for group in groups)  # type: ignore[call-overload]
            target, others = group_ids[0], group_ids[1:]
            if others:
                merges.append((target, others))
            touched.add(target)
        else:
            held = Counter(
                group
                for pk in joining
                if pk in kept and (group := kept[pk].group) is not None and group not in guessed
            )
            if not held:
                new_groups.append(joining)
                continue
            target = min(held.items(), key=lambda item: (-item[1], item[0]))[0]
            guessed[target] = joining
        for pk in joining:
            held_by = kept[pk].group if pk in kept else None  # stored singles hold none
            if held_by != target:
                moves.append((target, pk))
                if held_by is not None:
                    left.add(held_by)
    # Groups made now are written at once, unsummarised (as guesses are), so that their
    # adverts move with the others and every advert's group is settled before the summaries.
    made_ids = _unsummarised_groups(region, len(new_groups))
    for group_id, group_members in zip(made_ids, new_groups, strict=True):
        moves.extend((group_id, pk) for pk in group_members)
    made = {*made_ids, *guessed}
    touched.update(made)
    # The workers summarise the groups while this process merges and moves what it can.
    summaries = (
        _summaries_later(_members_by_pk([*new_groups, *guessed.values()], kept), analyser)
        if made
        else None
    )
    # Groups changed adverts left are summarised again (and dissolved if fewer than two
    # adverts remain: see _dissolve_lone_groups); guesses are dealt with below.
    touched.update(left - memory.guessed_groups)
    for target, others in merges:
        Advert.objects.filter(group_id__in=others).update(group_id=target)
        Alert.objects.filter(group_id__in=others).update(group_id=target)
        AdvertGroup.objects.filter(id__in=others).delete()
        touched.difference_update(others)
    _move_adverts(moves)
    # A guess no group kept holds no advert now: an advert holding one would have made its
    # group keep it (new groups are only made of adverts that hold no guess).
    _delete_unreferenced_groups(sorted(memory.guessed_groups - guessed.keys()))

    def write_summaries() -> None:
        """Each task's summaries as soon as it is done: the last ones are still being worked
        out while the first are written."""
        if summaries is None:
            return
        group_ids = [*made_ids, *guessed]
        written = 0
        for values in summaries:
            _save_summaries(group_ids[written : written + len(values)], values)
            written += len(values)

    return touched, made, write_summaries


def _delete_unreferenced_groups(group_ids: list[int]) -> None:
    """Delete groups that no advert or alert refers to, in plain SQL: the ORM would first look
    for adverts and alerts to unlink from each (1.6 s of a million-advert import's ending).
    The database's foreign keys still refuse to lose a group something refers to."""
    table = AdvertGroup._meta.db_table
    with connection.cursor() as cursor:
        for batch in _in_batches(group_ids):
            cursor.execute(
                f"DELETE FROM {table} WHERE id IN ({_placeholders(len(batch))})",  # noqa: S608
                batch,
            )


def _dissolve_lone_groups(group_ids: set[int]) -> set[int]:
    """Delete the groups that hold fewer than two adverts now (the others changed and were
    grouped elsewhere or stand alone): an advert alone is in no group, and its export says
    so. Returns them. Run after the groups are summarised (their advert counts are fresh)."""
    dissolved: set[int] = set()
    for batch in _in_batches(sorted(group_ids)):
        lone = AdvertGroup.objects.filter(id__in=batch, advert_count__lt=2)
        ids = list(lone.values_list("id", flat=True))
        Advert.objects.filter(group_id__in=ids).update(group=None)
        lone.delete()  # an alert on one keeps its advert and loses the group
        dissolved.update(ids)
    return dissolved


def _circuits(points: list[tuple[datetime, str]]) -> bool:
    """Two different towns within CIRCUIT_DAYS of each other for one contact."""
    ordered = sorted(point for point in points if point[0] is not None and point[1])
    window = timedelta(days=CIRCUIT_DAYS)
    return any(
        later[1] != earlier[1] and later[0] - earlier[0] <= window
        for earlier, later in pairwise(ordered)
    )


class _Member(NamedTuple):
    """What a group summary reads of an advert. A tuple, because summaries are worked out in
    the import's worker processes: it pickles cheaply."""

    pk: int
    public_id: str
    posted_at: datetime | None
    town: str
    compact: pipeline.Compact
    tokens: str  # space-separated


_STORED_MEMBER = ("id", "public_id", "group_id", "posted_at", "town", "group_tokens")


def _stored_members(
    rows: Iterable[tuple[int, str, int | None, datetime | None, str, str]], known: Kept
) -> list[tuple[int | None, _Member]]:
    """(group id, member) of stored adverts, from their rows (`_STORED_MEMBER`). What this
    import kept of an advert is used as it is; the documents of adverts from earlier imports
    are read back and decrypted."""
    found: list[tuple[int | None, _Member]] = []
    missing: dict[int, int] = {}  # pk -> position in found
    for pk, public_id, group_id, posted_at, town, tokens in rows:
        advert = known.get(pk)
        if advert is None:
            missing[pk] = len(found)
        compact = advert.compact if advert else ""
        found.append((group_id, _Member(pk, public_id, posted_at, town, compact, tokens)))
    for batch in _in_batches(list(missing)):
        for pk, content, hits in Advert.objects.filter(pk__in=batch).values_list(
            "id", "document__content", "indicator_hits"
        ):
            extracted = cast(dict[str, Any], content).get("extracted", {})
            group_id, member = found[missing[pk]]
            found[missing[pk]] = (
                group_id,
                member._replace(compact=pipeline.compact_of(extracted, hits)),
            )
    return found


def _members_of(group_ids: list[int], known: Kept) -> dict[int, list[_Member]]:
    """The members of stored groups."""
    members: dict[int, list[_Member]] = defaultdict(list)
    rows = Advert.objects.values_list(*_STORED_MEMBER).order_by()
    for batch in _in_batches(group_ids):
        for group_id, member in _stored_members(rows.filter(group_id__in=batch), known):
            members[cast(int, group_id)].append(member)
    return members


def _members_by_pk(groups: list[list[int]], known: Kept) -> list[list[tuple[Any, ...]]]:
    """The members of groups given as lists of advert pks: adverts of this import, and
    adverts of earlier imports that stood alone until now. Each as a plain tuple of `_Member`'s
    fields, made once: they go to the workers, and a named tuple pickles far slower."""
    stored = [pk for pks in groups for pk in pks if pk not in known]
    rows = Advert.objects.values_list(*_STORED_MEMBER).order_by()
    by_pk = {
        member.pk: tuple(member)
        for batch in _in_batches(stored)
        for _group, member in _stored_members(rows.filter(pk__in=batch), known)
    }
    return [
        [
            (pk, kept.public_id, kept.posted_at, kept.town, kept.compact, kept.tokens)
            if (kept := known.get(pk)) is not None
            else by_pk[pk]
            for pk in pks
        ]
        for pks in groups
    ]


def _summary(members: list[_Member]) -> tuple[dict[str, Any], dict[str, int]]:
    # Values are gathered in lists and counted once: Counter.update per advert costs more.
    names_found: list[str] = []
    ages_found: list[int] = []
    phones_found: list[str] = []
    emails_found: list[str] = []
    handles_found: list[str] = []
    codes_found: list[str] = []
    contact_points: dict[str, list[tuple[Any, str]]] = defaultdict(list)
    contact_names: dict[str, set[str]] = defaultdict(set)
    band_members: dict[str, list[_Member]] = defaultdict(list)
    contacts_of: dict[int, frozenset[str]] = {}
    for member in members:
        (
            member_names_found,
            member_ages,
            member_phones,
            member_emails,
            member_handles,
            member_codes,
        ) = orjson.loads(member.compact)
        member_names = set(member_names_found)
        names_found.extend(member_names)
        ages_found.extend(member_ages)
        phones_found.extend(member_phones)
        emails_found.extend(member_emails)
        handles_found.extend(member_handles)
        codes_found.extend(member_codes)
        tokens = member.tokens.split()
        # grouping.is_contact, inlined: a call per token of every member adds up here.
        contacts = contacts_of[member.pk] = frozenset(
            token for token in tokens if token.startswith(grouping.CONTACT_PREFIXES)
        )
        folded_names = {name.casefold() for name in member_names}
        for token in contacts:
            contact_points[token].append((member.posted_at, member.town))
            contact_names[token].update(folded_names)
        for token in tokens:
            if token not in contacts:
                band_members[token].append(member)
    names, ages, phones = Counter(names_found), Counter(ages_found), Counter(phones_found)
    emails, handles, codes = Counter(emails_found), Counter(handles_found), Counter(codes_found)
    circuit_contacts = sum(1 for points in contact_points.values() if _circuits(points))
    if circuit_contacts:
        codes["circuit"] = circuit_contacts
    several = sum(1 for found in contact_names.values() if len(found) >= 2)
    if several:
        codes["multiple_women"] = codes.get("multiple_women", 0) + several
    template_adverts: set[int] = set()
    pairs: list[list[str]] = []
    for shared in band_members.values():
        for index, first in enumerate(shared):
            first_contacts = contacts_of[first.pk]
            for second in shared[index + 1 :]:
                if first_contacts.isdisjoint(contacts_of[second.pk]):
                    template_adverts.update((first.pk, second.pk))
                    pair = [first.public_id, second.public_id]
                    if len(pairs) < DUPLICATE_PAIRS_SHOWN and pair not in pairs:
                        pairs.append(pair)
                    break
    if template_adverts:
        codes["shared_template"] = len(template_adverts)
    if not pairs:
        for shared in band_members.values():
            if len(shared) >= 2 and len(pairs) < DUPLICATE_PAIRS_SHOWN:
                pair = [shared[0].public_id, shared[1].public_id]
                if pair not in pairs:
                    pairs.append(pair)
    summary = {
        "names": names.most_common(30),
        "ages": sorted(ages.items()),
        "phones": phones.most_common(30),
        "emails": emails.most_common(30),
        "handles": handles.most_common(30),
        "towns": _visits(members),
        "near_duplicates": pairs,
    }
    return summary, dict(codes)


def _visits(members: list[_Member]) -> list[dict[str, Any]]:
    """The towns a group's adverts name, in the order it first posted in them, each with its
    first and last posting and its number of adverts. (The group page lists the adverts
    themselves, read from their rows: the summary keeps no timeline of them.)"""
    towns = uk_towns()
    visits: dict[str, dict[str, Any]] = {}
    in_towns = sorted(
        (member for member in members if member.town),
        key=lambda m: (m.posted_at is None, m.posted_at or 0, m.pk),
    )
    for member in in_towns:
        visit = visits.get(member.town)
        if visit is None:
            visit = visits[member.town] = {
                "town": member.town, "first": member.posted_at, "last": None, "count": 0,
            }  # fmt: skip
            if town := towns.get(member.town.lower()):
                visit["latitude"], visit["longitude"] = town.latitude, town.longitude
        visit["count"] += 1
        visit["last"] = member.posted_at or visit["last"]
    for visit in visits.values():
        visit["first"] = visit["first"].isoformat() if visit["first"] else ""
        visit["last"] = visit["last"].isoformat() if visit["last"] else ""
    return list(visits.values())


GROUP_SUMMARY = (
    "summary", "indicator_counts", "advert_count", "first_posted_at", "last_posted_at",
    "strong_evidence", "moderate_evidence", "weak_evidence", "town_count", "updated_at",
)  # fmt: skip
GROUP_INSERT = ("region", "public_id", "created_at", *GROUP_SUMMARY)
SUMMARIES_PER_TASK = 200


def _summary_values(groups: list[list[_Member]]) -> list[tuple[Any, ...]]:
    """The values of GROUP_SUMMARY but `updated_at` of each group, ready for the database.
    Pure computation: an import runs it in its worker processes."""
    weights = {code: indicator.weight for code, indicator in catalogue().items()}
    prepare_summary = bulk.preparers(AdvertGroup, ("summary",))[0]
    prepare_counts = bulk.json_preparer(AdvertGroup, "indicator_counts")
    prepare_date = bulk.datetime_preparer(AdvertGroup, "first_posted_at")
    values = []
    for members in groups:
        summary, codes = _summary(members)
        dates = [member.posted_at for member in members if member.posted_at]
        strong, moderate, weak, _count = evidence_key(codes)
        values.append(
            (
                prepare_summary(summary),
                prepare_counts({code: count for code, count in codes.items() if code in weights}),
                len(members),
                prepare_date(min(dates) if dates else None),
                prepare_date(max(dates) if dates else None),
                strong,
                moderate,
                weak,
                len(summary["towns"]),
            )
        )
    return values


def _summaries_later(
    groups: list[list[tuple[Any, ...]]], analyser: pipeline.Analyser | None
) -> Iterator[list[tuple[Any, ...]]]:
    """Start working out the groups' `_summary_values` in the workers; the iterator returned
    yields them a task of SUMMARIES_PER_TASK groups at a time, in order, as each is done
    (without workers, it works them out as it goes). Members are plain tuples of `_Member`'s
    fields: pickling a named tuple costs seven times as much (a Python call each), and the
    workers wait while this process pickles them all."""
    tasks = [
        groups[start : start + SUMMARIES_PER_TASK]
        for start in range(0, len(groups), SUMMARIES_PER_TASK)
    ]
    if analyser is None:
        return map(_summary_values_of_rows, tasks)
    return analyser.map_later(_summary_values_of_rows, tasks)


def _summary_values_of_rows(groups: list[list[tuple[Any, ...]]]) -> list[tuple[Any, ...]]:
    return _summary_values([[_Member._make(member) for member in group] for group in groups])


def summarise_groups(
    *,
    group_ids: Iterable[int],
    known: Kept | None = None,
    analyser: pipeline.Analyser | None = None,
) -> None:
    """Recompute the summary, indicator counts and evidence ranking of the groups.

    `known` holds what this import already read from its adverts, so that their encrypted
    documents need not be read back and decrypted; with an `analyser`, summaries are worked
    out in its worker processes.
    """
    ids = sorted(set(group_ids))
    if not ids:
        return
    for batch in _in_batches(ids):
        found = list(AdvertGroup.objects.filter(pk__in=batch).values_list("id", flat=True))
        members = _members_of(found, known or {})
        sent = [[tuple(member) for member in members.get(group_id, [])] for group_id in found]
        _save_summaries(
            found, [values for part in _summaries_later(sent, analyser) for values in part]
        )


def _save_summaries(group_ids: list[int], values: list[tuple[Any, ...]]) -> None:
    """Write each group's `_summary_values`, stamped as updated now."""
    now = bulk.preparers(AdvertGroup, ("updated_at",))[0](timezone.now())
    rows = [(*row, now, group_id) for row, group_id in zip(values, group_ids, strict=True)]
    bulk.update_by_pk(AdvertGroup, GROUP_SUMMARY, rows)


# --- Alerts ----------------------------------------------------------------------------------


def alerts_raise(
    *, advert_ids: Collection[int], by: User | None = None, indexes: Iterable[str] | None = None
) -> int:
    """Alerts for adverts whose phone, email or handle matches a case identifier or a
    referral's contact in the same region (by blind index). Returns how many were new.

    `indexes` are the adverts' contact indexes when the caller knows them (an import does):
    the matches are looked for among distinct indexes, then only the adverts holding one that
    matched are read (an operation's phone is in most of its adverts; few match anything).
    """
    from signpost.cases.selectors import identifiers_matching

    if not advert_ids:
        return 0
    wanted = set(advert_ids)
    if indexes is None:
        indexes = {
            index
            for batch in _in_batches(list(wanted))
            for index in AdvertIdentifier.objects.filter(advert_id__in=batch).values_list(
                "value_index", flat=True
            )
        }
    indexes = set(indexes)
    if len(indexes) > ON_FILE_SCREEN_MIN:
        indexes &= _indexes_on_file()
    created = 0
    for batch in _in_batches(sorted(indexes)):
        case_identifiers = list(identifiers_matching(indexes=batch))
        referrals = _referrals_matching(batch)
        matched = {identifier.value_index for identifier in case_identifiers}
        matched.update(index for _referral, _region, _kind, index in referrals)
        if not matched:
            continue
        by_index: dict[str, list[tuple[int, str, int, int | None]]] = defaultdict(list)
        for row in AdvertIdentifier.objects.filter(value_index__in=list(matched)).values_list(
            "advert_id", "kind", "value_index", "region_id", "advert__group_id"
        ):
            if row[0] in wanted:
                by_index[row[2]].append((row[0], row[1], row[3], row[4]))
        candidates: list[Alert] = []
        for identifier in case_identifiers:
            for advert_id, kind, advert_region, group_id in by_index[identifier.value_index]:
                if identifier.case.region_id == advert_region:
                    candidates.append(
                        Alert(
                            region_id=advert_region,
                            advert_id=advert_id,
                            group_id=group_id,
                            case_id=identifier.case_id,
                            kind=kind,
                            value_index=identifier.value_index,
                        )
                    )
        for referral_id, region_id, kind, index in referrals:
            for advert_id, advert_kind, advert_region, group_id in by_index[index]:
                if advert_kind == kind and advert_region == region_id:
                    candidates.append(
                        Alert(
                            region_id=region_id,
                            advert_id=advert_id,
                            group_id=group_id,
                            referral_id=referral_id,
                            kind=kind,
                            value_index=index,
                        )
                    )
        created += _save_alerts(candidates, by)
    return created


# Beyond this many contact indexes, alerts first keep those that a case or a referral holds,
# read whole (a few thousand indexes): asking about every one of a million-advert import's
# contacts, 500 at a time, took 2 s.
ON_FILE_SCREEN_MIN = 5000


def _indexes_on_file() -> set[str]:
    """Every blind index a case identifier or a referral's phone or email has."""
    from signpost.cases.selectors import identifier_indexes
    from signpost.referrals.models import Referral

    on_file = identifier_indexes()
    for column in ("phone_index", "email_index"):
        on_file.update(
            Referral.objects.exclude(**{column: ""}).values_list(column, flat=True).distinct()
        )
    return on_file


def _referrals_matching(indexes: list[str]) -> list[tuple[int, int, str, str]]:
    """(referral id, region id, kind, index) of referrals whose phone or email has one of
    these blind indexes."""
    from signpost.referrals.models import Referral

    found: list[tuple[int, int, str, str]] = []
    for kind, column in (("phone", "phone_index"), ("email", "email_index")):
        for referral_id, region_id, index in Referral.objects.filter(
            **{f"{column}__in": indexes}
        ).values_list("id", "region_id", column):
            found.append((referral_id, region_id, kind, index))
    return found


def _save_alerts(candidates: list[Alert], by: User | None) -> int:
    created = 0
    for alert in candidates:
        lookup = {"advert_id": alert.advert_id, "value_index": alert.value_index}
        lookup["case_id" if alert.case_id else "referral_id"] = alert.case_id or alert.referral_id
        if Alert.objects.filter(**lookup).exists():
            continue
        with transaction.atomic():
            alert.save()
            audit_record(
                actor=by,
                action=Action.CREATE,
                target=alert,
                details={
                    "advert_id": alert.advert_id,
                    "case_id": alert.case_id,
                    "referral_id": alert.referral_id,
                    "kind": alert.kind,
                },
            )
        created += 1
    return created


def alerts_for_case_identifiers(*, indexes: list[str], by: User | None = None) -> int:
    """Re-check adverts when a case gains identifiers (for a scheduler or a signal)."""
    advert_ids = list(
        AdvertIdentifier.objects.filter(value_index__in=indexes)
        .values_list("advert_id", flat=True)
        .distinct()
    )
    return alerts_raise(advert_ids=advert_ids, by=by)


# --- Import jobs (web uploads) ---------------------------------------------------------------


def import_job_create(
    *, region: Region, by: User, data: bytes, file_name: str, source: str = ""
) -> ImportJob:
    if len(data) > max_upload_bytes():
        raise ValueError("The file is larger than the upload limit.")
    fmt = detect_format(file_name, data[:2048])
    with transaction.atomic():
        job = ImportJob.objects.create(
            region=region,
            created_by=by,
            file_format=fmt,
            source=source,
            size=len(data),
            payload=data.decode("utf-8", errors="replace"),
            total=data.count(b"\n")
            + (0 if data.endswith(b"\n") else 1)
            - (1 if fmt == "csv" else 0),
        )
        audit_record(
            actor=by,
            action=Action.CREATE,
            target=job,
            region=region,
            details={"size": len(data), "format": fmt},
        )
    return job


def _job_progress(job: ImportJob, result: ImportResult) -> None:
    ImportJob.objects.filter(pk=job.pk).update(
        processed=result.total,
        created_count=result.created,
        updated_count=result.updated,
        unchanged_count=result.unchanged,
    )


def import_job_run(*, job_id: int) -> ImportJob:
    """Run a queued upload (called by the worker through tasks.import_job_task)."""
    job = ImportJob.objects.select_related("region", "created_by").get(pk=job_id)
    if job.status != ImportJob.Status.QUEUED:
        return job
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING)
    try:
        result = adverts_import(
            stream=io.BytesIO(job.payload.encode("utf-8")),
            region=job.region,
            by=job.created_by,
            file_format=job.file_format,
            default_source=job.source,
            job=job,
        )
    except Exception:
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportJob.Status.FAILED,
            payload="",
            failure="internal error",
            finished_at=timezone.now(),
        )
        raise
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.DONE,
        payload="",
        total=result.total,
        processed=result.total,
        created_count=result.created,
        updated_count=result.updated,
        unchanged_count=result.unchanged,
        errors=[{"line": e.line, "reason": e.reason} for e in result.errors[:MAX_ERRORS_KEPT]],
        finished_at=timezone.now(),
    )
    job.refresh_from_db()
    return job


# --- Audit of reads ----------------------------------------------------------------------------


def advert_view_record(*, advert: Advert, by: User) -> None:
    audit_record(actor=by, action=Action.VIEW, target=advert)


def group_view_record(*, group: AdvertGroup, by: User) -> None:
    audit_record(actor=by, action=Action.VIEW, target=group)


def search_record(*, by: User, region: Region | None, results: int) -> None:
    audit_record(
        actor=by,
        action=Action.VIEW,
        target_type="adverts.search",
        region=region,
        details={"results": results},
    )


def export_record(*, by: User | None, region: Region | None, adverts: int) -> None:
    audit_record(
        actor=by,
        action=Action.EXPORT,
        target_type="adverts.export",
        region=region,
        details={"adverts": adverts},
    )
