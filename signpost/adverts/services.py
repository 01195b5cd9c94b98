"""Every write of the adverts app: imports, grouping, group summaries, alerts, import jobs."""

from __future__ import annotations

import io
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import pairwise
from typing import IO, Any, cast

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from signpost.adverts import grouping
from signpost.adverts.analysis import Analysis, analyse
from signpost.adverts.extraction import detect_languages, uk_towns
from signpost.adverts.indicators import CIRCUIT_DAYS, catalogue, evidence_key
from signpost.adverts.models import (
    Advert,
    AdvertGroup,
    AdvertIdentifier,
    Alert,
    GroupingState,
    ImportJob,
)
from signpost.adverts.records import AdvertRecord, RecordError, detect_format, read_records
from signpost.core.audit import audit_record
from signpost.core.models import AuditEvent, Region, User

Action = AuditEvent.Action
CHUNK_SIZE = 2000
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
    """
    head = stream.read(2048)
    stream.seek(0)
    fmt = file_format or detect_format(file_name, head)
    result = ImportResult()
    state, counter = _load_state(region)
    analysed: dict[int, Analysis] = {}
    records_by_id: dict[int, AdvertRecord] = {}
    for chunk in _chunks(read_records(stream, fmt=fmt, default_source=default_source), CHUNK_SIZE):
        records: dict[tuple[str, str], AdvertRecord] = {}
        for item in chunk:
            if isinstance(item, RecordError):
                result.errors.append(item)
            else:
                records[(item.source, item.external_id)] = item  # a later duplicate wins
        result.total += len(chunk)
        _import_chunk(records, region, counter, result, analysed, records_by_id)
        if progress:
            progress(len(chunk))
        if job is not None:
            _job_progress(job, result)
    changed_ids = list(analysed)
    with transaction.atomic():
        state.counters = counter.to_bytes()
        state.adverts = counter.adverts
        state.save(update_fields=["counters", "adverts"])
        touched = _group_new_adverts(region, analysed)
        result.groups_touched = len(touched)
        summarise_groups(group_ids=touched, known=analysed, records=records_by_id)
        result.alerts = alerts_raise(advert_ids=changed_ids, by=by)
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


def _import_chunk(
    records: dict[tuple[str, str], AdvertRecord],
    region: Region,
    counter: grouping.ShingleCounter,
    result: ImportResult,
    analysed: dict[int, Analysis],
    records_by_id: dict[int, AdvertRecord],
) -> None:
    if not records:
        return
    existing: dict[tuple[str, str], tuple[int, str]] = {}
    by_source: dict[str, list[str]] = defaultdict(list)
    for source, external_id in records:
        by_source[source].append(external_id)
    for source, ids in by_source.items():
        for batch in _in_batches(ids):
            for pk, external_id, fingerprint in Advert.objects.filter(
                region=region, source=source, external_id__in=batch
            ).values_list("id", "external_id", "fingerprint"):
                existing[(source, external_id)] = (pk, fingerprint)
    pending: list[tuple[AdvertRecord, str, int | None]] = []
    for key, record in records.items():
        fingerprint = record.fingerprint()
        known = existing.get(key)
        if known and known[1] == fingerprint:
            result.unchanged += 1
            continue
        pending.append((record, fingerprint, known[0] if known else None))
    if not pending:
        return
    languages = detect_languages([record.text for record, _f, _pk in pending])
    now = timezone.now()
    new_adverts: list[tuple[Advert, Analysis, AdvertRecord]] = []
    updated: list[tuple[Advert, Analysis, AdvertRecord]] = []
    analyses = [
        analyse(record, language=language)
        for (record, _f, _pk), language in zip(pending, languages, strict=True)
    ]
    # Count the whole chunk's shingles before sketching, so that boilerplate is known as such
    # from the first chunk of a new store on.
    for analysis in analyses:
        counter.add(analysis.shingles)
    for (record, fingerprint, existing_pk), analysis in zip(pending, analyses, strict=True):
        analysis.band_tokens = grouping.band_tokens(counter.rare(analysis.shingles))
        advert = Advert(
            pk=existing_pk,
            region=region,
            source=record.source,
            external_id=record.external_id,
            fingerprint=fingerprint,
            posted_at=record.posted_at,
            town=analysis.town,
            language=analysis.extraction["language"],
            content={"record": record.content(), "extracted": analysis.extraction},  # type: ignore[misc]
            indicator_hits={
                code: [list(s) for s in spans] for code, spans in analysis.hits.items()
            },
            group_tokens=" ".join(analysis.tokens),
            updated_at=now,
        )
        (updated if existing_pk else new_adverts).append((advert, analysis, record))
    with transaction.atomic():
        if new_adverts:
            for advert, _a, _r in new_adverts:
                advert.imported_at = now
            Advert.objects.bulk_create([advert for advert, _a, _r in new_adverts])
        if updated:
            Advert.objects.bulk_update(
                [advert for advert, _a, _r in updated],
                [
                    "fingerprint",
                    "posted_at",
                    "town",
                    "language",
                    "content",
                    "indicator_hits",
                    "group_tokens",
                    "updated_at",
                ],
            )
            AdvertIdentifier.objects.filter(
                advert_id__in=[advert.pk for advert, _a, _r in updated]
            ).delete()
        identifiers = [
            AdvertIdentifier(
                advert_id=advert.pk,
                region=region,
                kind=kind,
                value_index=index,
                obfuscated=obfuscated,
            )
            for advert, analysis, _r in (*new_adverts, *updated)
            for kind, index, obfuscated in analysis.identifiers
        ]
        AdvertIdentifier.objects.bulk_create(identifiers, ignore_conflicts=True)
    for advert, analysis, record in (*new_adverts, *updated):
        analysed[advert.pk] = analysis
        records_by_id[advert.pk] = record
        analysis.shingles = []  # not needed any more; keeps memory to the batch
    result.created += len(new_adverts)
    result.updated += len(updated)


def _existing_adverts(region: Region, skip: set[int]) -> Iterator[grouping.ExistingAdvert]:
    queryset = Advert.objects.filter(region=region).values_list("id", "group_id", "group_tokens")
    for pk, group_id, tokens in queryset.iterator(chunk_size=5000):
        if pk in skip or not tokens:
            continue
        yield grouping.ExistingAdvert(pk, group_id, tuple(tokens.split()))


def _group_new_adverts(region: Region, analysed: dict[int, Analysis]) -> set[int]:
    """Join new and changed adverts to groups incrementally; returns the groups touched."""
    if not analysed:
        return set()
    records = [grouping.GroupingRecord(pk, tuple(a.tokens)) for pk, a in analysed.items()]
    assignment = grouping.assign_groups(records, _existing_adverts(region, set(analysed)))
    now = timezone.now()
    touched: set[int] = set()
    new_groups: list[tuple[AdvertGroup, list[Any]]] = []
    moves: list[tuple[int, Any]] = []  # (group id, advert id)
    merges: list[tuple[int, list[int]]] = []
    for component, members in assignment.new_members.items():
        groups = assignment.existing_groups.get(component, set())
        singles = assignment.existing_singles.get(component, set())
        if not groups and len(members) + len(singles) < 2:
            continue
        joining = [*members, *singles]
        if groups:
            group_ids = sorted(int(group) for group in groups)  # type: ignore[call-overload]
            target, others = group_ids[0], group_ids[1:]
            if others:
                merges.append((target, others))
            moves.extend((target, pk) for pk in joining)
            touched.add(target)
        else:
            new_groups.append((AdvertGroup(region=region, created_at=now), joining))
    if new_groups:
        AdvertGroup.objects.bulk_create([group for group, _m in new_groups])
        for group, joining in new_groups:
            moves.extend((group.pk, pk) for pk in joining)
            touched.add(group.pk)
    for target, others in merges:
        Advert.objects.filter(group_id__in=others).update(group_id=target)
        Alert.objects.filter(group_id__in=others).update(group_id=target)
        AdvertGroup.objects.filter(id__in=others).delete()
        touched.difference_update(others)
    if moves:
        table = Advert._meta.db_table
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {table} SET group_id = %s WHERE id = %s",  # noqa: S608
                moves,
            )
    return touched


def _circuits(points: list[tuple[datetime, str]]) -> bool:
    """Two different towns within CIRCUIT_DAYS of each other for one contact."""
    ordered = sorted(point for point in points if point[0] is not None and point[1])
    window = timedelta(days=CIRCUIT_DAYS)
    return any(
        later[1] != earlier[1] and later[0] - earlier[0] <= window
        for earlier, later in pairwise(ordered)
    )


@dataclass
class _Member:
    pk: int
    public_id: str
    posted_at: datetime | None
    town: str
    extracted: dict[str, Any]
    codes: list[str]
    tokens: list[str]


def _members_of(
    group_ids: list[int], known: dict[int, Analysis], records: dict[int, AdvertRecord]
) -> dict[int, list[_Member]]:
    members: dict[int, list[_Member]] = defaultdict(list)
    missing: list[int] = []
    rows = Advert.objects.filter(group_id__in=group_ids).values_list(
        "id", "public_id", "group_id", "posted_at", "town", "indicator_hits", "group_tokens"
    )
    for batch in _in_batches(group_ids):
        for pk, public_id, group_id, posted_at, town, hits, tokens in rows.filter(
            group_id__in=batch
        ).order_by():
            analysis = known.get(pk)
            member = _Member(
                pk,
                public_id,
                posted_at,
                town,
                analysis.extraction if analysis else {},
                list(hits),
                tokens.split(),
            )
            members[group_id].append(member)
            if analysis is None:
                missing.append(pk)
    if missing:
        by_pk = {member.pk: member for group in members.values() for member in group}
        for batch in _in_batches(missing):
            for pk, content in Advert.objects.filter(pk__in=batch).values_list("id", "content"):
                by_pk[pk].extracted = dict(cast(dict[str, Any], content).get("extracted", {}))
    return members


def _summary(members: list[_Member]) -> tuple[dict[str, Any], dict[str, int]]:
    names: Counter[str] = Counter()
    ages: Counter[int] = Counter()
    phones: Counter[str] = Counter()
    emails: Counter[str] = Counter()
    handles: Counter[str] = Counter()
    codes: Counter[str] = Counter()
    contact_points: dict[str, list[tuple[Any, str]]] = defaultdict(list)
    contact_names: dict[str, set[str]] = defaultdict(set)
    band_members: dict[str, list[_Member]] = defaultdict(list)
    for member in members:
        extracted = member.extracted
        member_names = {item["value"] for item in extracted.get("names", [])}
        names.update(member_names)
        ages.update(item["value"] for item in extracted.get("ages", []))
        phones.update(extracted.get("phones_e164", []))
        emails.update(extracted.get("emails_all", []))
        handles.update(item["value"] for item in extracted.get("handles", []))
        codes.update(member.codes)
        for token in member.tokens:
            if grouping.is_contact(token):
                contact_points[token].append((member.posted_at, member.town))
                contact_names[token].update(name.casefold() for name in member_names)
            else:
                band_members[token].append(member)
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
            first_contacts = {t for t in first.tokens if grouping.is_contact(t)}
            for second in shared[index + 1 :]:
                if first_contacts.isdisjoint(t for t in second.tokens if grouping.is_contact(t)):
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
    towns = uk_towns()
    visits: dict[str, dict[str, Any]] = {}
    timeline = []
    for member in sorted(members, key=lambda m: (m.posted_at is None, m.posted_at or 0, m.pk)):
        when = member.posted_at.isoformat() if member.posted_at else ""
        timeline.append({"advert": member.public_id, "posted_at": when, "town": member.town})
        if member.town:
            visit = visits.setdefault(
                member.town, {"town": member.town, "first": when, "last": when, "count": 0}
            )
            visit["count"] += 1
            visit["last"] = when or visit["last"]
            town = towns.get(member.town.lower())
            if town:
                visit["latitude"], visit["longitude"] = town.latitude, town.longitude
    summary = {
        "names": names.most_common(30),
        "ages": sorted(ages.items()),
        "phones": phones.most_common(30),
        "emails": emails.most_common(30),
        "handles": handles.most_common(30),
        "towns": list(visits.values()),
        "timeline": timeline[:500],
        "near_duplicates": pairs,
    }
    return summary, dict(codes)


def summarise_groups(
    *,
    group_ids: Iterable[int],
    known: dict[int, Analysis] | None = None,
    records: dict[int, AdvertRecord] | None = None,
) -> None:
    """Recompute the summary, indicator counts and evidence ranking of the groups."""
    ids = sorted(set(group_ids))
    if not ids:
        return
    weights = {code: indicator.weight for code, indicator in catalogue().items()}
    now = timezone.now()
    for batch in _in_batches(ids, 200):
        members = _members_of(batch, known or {}, records or {})
        groups = list(AdvertGroup.objects.filter(pk__in=batch))
        for group in groups:
            group_members = members.get(group.pk, [])
            summary, codes = _summary(group_members)
            dates = [m.posted_at for m in group_members if m.posted_at]
            strong, moderate, weak, _count = evidence_key(codes)
            group.summary = summary
            group.indicator_counts = {
                code: count for code, count in codes.items() if code in weights
            }
            group.advert_count = len(group_members)
            group.first_posted_at = min(dates) if dates else None
            group.last_posted_at = max(dates) if dates else None
            group.strong_evidence, group.moderate_evidence, group.weak_evidence = (
                strong,
                moderate,
                weak,
            )
            group.town_count = len(summary["towns"])
            group.updated_at = now
        AdvertGroup.objects.bulk_update(
            groups,
            [
                "summary",
                "indicator_counts",
                "advert_count",
                "first_posted_at",
                "last_posted_at",
                "strong_evidence",
                "moderate_evidence",
                "weak_evidence",
                "town_count",
                "updated_at",
            ],
        )


# --- Alerts ----------------------------------------------------------------------------------


def alerts_raise(*, advert_ids: list[int], by: User | None = None) -> int:
    """Alerts for adverts whose phone, email or handle matches a case identifier or a
    referral's contact in the same region (by blind index). Returns how many were new."""
    from signpost.cases.selectors import identifiers_matching

    if not advert_ids:
        return 0
    created = 0
    for batch in _in_batches(advert_ids):
        rows = list(
            AdvertIdentifier.objects.filter(advert_id__in=batch).values_list(
                "advert_id", "kind", "value_index", "region_id", "advert__group_id"
            )
        )
        by_index: dict[str, list[tuple[int, str, int, int | None]]] = defaultdict(list)
        for advert_id, kind, index, region_id, group_id in rows:
            by_index[index].append((advert_id, kind, region_id, group_id))
        if not by_index:
            continue
        candidates: list[Alert] = []
        for identifier in identifiers_matching(indexes=list(by_index)):
            for advert_id, kind, advert_region, advert_group in by_index[identifier.value_index]:
                if identifier.case.region_id == advert_region:
                    candidates.append(
                        Alert(
                            region_id=advert_region,
                            advert_id=advert_id,
                            group_id=advert_group,
                            case_id=identifier.case_id,
                            kind=kind,
                            value_index=identifier.value_index,
                        )
                    )
        candidates.extend(_referral_alerts(by_index))
        created += _save_alerts(candidates, by)
    return created


def _referral_alerts(by_index: dict[str, list[tuple[int, str, int, int | None]]]) -> list[Alert]:
    from signpost.referrals.models import Referral

    found: list[Alert] = []
    for kind, column in (("phone", "phone_index"), ("email", "email_index")):
        indexes = [index for index, rows in by_index.items() if any(r[1] == kind for r in rows)]
        if not indexes:
            continue
        for referral_id, region_id, index in Referral.objects.filter(
            **{f"{column}__in": indexes}
        ).values_list("id", "region_id", column):
            for advert_id, advert_kind, advert_region, group_id in by_index[index]:
                if advert_kind == kind and advert_region == region_id:
                    found.append(
                        Alert(
                            region_id=region_id,
                            advert_id=advert_id,
                            group_id=group_id,
                            referral_id=referral_id,
                            kind=kind,
                            value_index=index,
                        )
                    )
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
