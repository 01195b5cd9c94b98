import io
import json
from datetime import UTC, datetime

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction

from signpost.adverts import services
from signpost.adverts.corpus import CorpusGenerator
from signpost.adverts.grouping import GroupingRecord, group_records
from signpost.adverts.models import Advert, AdvertGroup, AdvertIdentifier, Alert, ImportJob
from signpost.adverts.tests.conftest import ORGANISED, advert, jsonl
from signpost.cases.services import case_open, identifier_add
from signpost.core.crypto import blind_index
from signpost.core.models import AuditEvent
from signpost.referrals.models import Referral, new_reference


def test_import_is_idempotent_and_updates_changed_adverts(world, import_adverts):
    region = world.a.region
    first = import_adverts(region, ORGANISED)
    assert (first.created, first.updated, first.unchanged) == (3, 0, 0)
    again = import_adverts(region, ORGANISED)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    changed = [*ORGANISED[:2], {**ORGANISED[2], "body": "Now in Dudley. Call 07400 123456."}]
    third = import_adverts(region, changed)
    assert (third.created, third.updated, third.unchanged) == (0, 1, 2)
    updated = Advert.objects.get(external_id="ind-1")
    assert updated.town == "Walsall"  # the location field wins over the text
    assert "Dudley" in updated.record["body"]
    assert Advert.objects.count() == 3


def test_malformed_records_are_reported_with_line_and_reason_and_the_rest_imports(world):
    data = (
        jsonl([advert("ok-1", "Call 07911 123456")])
        + b"not json\n"
        + jsonl([{"id": "x", "body": "no source"}, advert("", "no id"), advert("ok-2", "")])
        + jsonl([advert("ok-3", "fine", posted_at="yesterday")])
        + jsonl([advert("ok-4", "Call 07400 123456")])
    )
    result = services.adverts_import(
        stream=io.BytesIO(data), region=world.a.region, by=None, file_format="jsonl"
    )
    assert result.created == 2
    reasons = {error.line: error.reason for error in result.errors}
    assert reasons[2] == "The line is not valid JSON."
    assert "source" in reasons[3]
    assert "id" in reasons[4]
    assert "body" in reasons[5]
    assert "posted_at" in reasons[6]


def test_csv_import_with_source_from_the_command_line(world):
    data = (
        b"id,url,posted_at,title,body,location,phone,email,image_hashes\n"
        b'1,,2026-11-01T10:00:00,New girl,"Sweet, call me",Coventry,07911 123456,a@b.com,'
        b"ab12;cd34\n"
        b"2,,,,,,,,\n"
    )
    result = services.adverts_import(
        stream=io.BytesIO(data), region=world.a.region, by=None, file_name="ads.csv",
        default_source="siteZ",
    )  # fmt: skip
    assert result.created == 1 and result.errors[0].line == 3
    stored = Advert.objects.get()
    assert stored.source == "siteZ" and stored.town == "Coventry"
    assert stored.extracted["phones_e164"] == ["+447911123456"]
    assert "i:ab12" in stored.group_tokens.split()


def test_contacts_are_stored_as_blind_indexes(world, import_adverts):
    import_adverts(world.a.region, ORGANISED)
    index = blind_index("phone", "+447911123456")
    assert AdvertIdentifier.objects.filter(kind="phone", value_index=index).count() == 2
    obfuscated = AdvertIdentifier.objects.get(advert__external_id="op-1", kind="phone")
    assert obfuscated.obfuscated


def test_adverts_sharing_a_phone_form_a_group_with_a_summary(world, import_adverts):
    import_adverts(world.a.region, ORGANISED)
    group = AdvertGroup.objects.get()
    assert group.advert_count == 2
    assert {a.external_id for a in group.adverts.all()} == {"op-1", "op-2"}
    assert Advert.objects.get(external_id="ind-1").group is None
    summary = group.summary
    assert dict(summary["names"]) == {"Alina": 1, "Maria": 1}
    assert [town["town"] for town in summary["towns"]] == ["Birmingham", "Coventry"]
    assert group.indicator_counts["circuit"] == 1  # two towns within two days
    assert group.indicator_counts["multiple_women"] >= 1  # one phone, two names
    assert group.strong_evidence >= 1


@pytest.mark.parametrize("screened", [True, False])
@pytest.mark.parametrize("groups_by_key", [True, False])
def test_new_adverts_join_and_merge_existing_groups(
    world, import_adverts, monkeypatch, screened, groups_by_key
):
    # Small imports screen stored adverts by token set; big ones leave it to assign_groups.
    monkeypatch.setattr(services, "SCREEN_MAX_ADVERTS", 50_000 if screened else 0)
    # The stored adverts' groups are read by key while few, from the index on group after.
    monkeypatch.setattr(services, "GROUPS_BY_KEY_MAX", 50_000 if groups_by_key else 0)
    region = world.a.region
    import_adverts(region, [advert("a", "Call 07911 123456"), advert("b", "07911123456 x")])
    import_adverts(region, [advert("c", "Call 07400 123456"), advert("d", "07400123456 y")])
    assert AdvertGroup.objects.count() == 2
    first = Advert.objects.get(external_id="a").group
    import_adverts(region, [advert("e", "Both 07911 123456 and 07400 123456")])
    assert AdvertGroup.objects.count() == 1
    merged = AdvertGroup.objects.get()
    assert merged.pk == first.pk  # the oldest group keeps its stable id
    assert merged.advert_count == 5


def test_regions_are_kept_apart(world, import_adverts):
    import_adverts(world.a.region, [advert("a", "Call 07911 123456")])
    import_adverts(world.b.region, [advert("a", "Call 07911 123456")])
    assert Advert.objects.count() == 2
    assert AdvertGroup.objects.count() == 0


def _case_with_phone(world, phone):
    case = case_open(
        region=world.a.region, area=world.a.areas[0], lead_investigator=world.a.investigator,
        exploitation_types=["sexual"], by=world.a.lead,
    )  # fmt: skip
    identifier_add(case=case, kind="phone", value=phone, by=world.a.investigator)
    return case


@pytest.mark.parametrize("screened", [True, False])
def test_an_advert_touching_a_known_case_raises_an_audited_alert(
    world, import_adverts, monkeypatch, screened
):
    # A big import's contacts are first screened against every index on file.
    monkeypatch.setattr(services, "ON_FILE_SCREEN_MIN", 0 if screened else 5000)
    case = _case_with_phone(world, "07911 123456")
    result = import_adverts(world.a.region, ORGANISED)
    assert result.alerts == 2
    alert = Alert.objects.get(advert__external_id="op-1")
    assert alert.case == case and alert.kind == "phone"
    assert alert.group == Advert.objects.get(external_id="op-1").group
    assert AuditEvent.objects.filter(target_type="adverts.alert", action="create").count() == 2
    assert import_adverts(world.a.region, ORGANISED).alerts == 0  # no duplicates


def test_an_identifier_added_to_a_case_later_raises_the_alert_at_once(world, import_adverts):
    import_adverts(world.a.region, ORGANISED)
    case = _case_with_phone(world, "+44 7400 123456")
    assert Alert.objects.get(case=case).kind == "phone"
    recheck = services.alerts_for_case_identifiers(indexes=[blind_index("phone", "07400123456")])
    assert recheck == 0  # already raised, never twice


def test_a_case_in_another_region_raises_no_alert(world, import_adverts):
    _case_with_phone(world, "07911 123456")
    assert import_adverts(world.b.region, ORGANISED).alerts == 0


def test_import_writes_one_audit_event_without_personal_data(world, import_adverts):
    import_adverts(world.a.region, ORGANISED)
    event = AuditEvent.objects.get(target_type="adverts.import")
    assert event.details["created"] == 3
    assert "07911" not in str(event.details)


def test_import_job_runs_and_records_progress_and_errors(world):
    data = jsonl(ORGANISED) + b"{broken\n"
    job = services.import_job_create(region=world.a.region, by=world.a.analyst, data=data,
                                     file_name="ads.jsonl")  # fmt: skip
    assert job.status == ImportJob.Status.QUEUED and job.total == 4
    job = services.import_job_run(job_id=job.pk)
    assert job.status == ImportJob.Status.DONE
    assert (job.created_count, job.processed, job.percent) == (3, 4, 100)
    assert job.errors == [{"line": 4, "reason": "The line is not valid JSON."}]
    assert job.payload == ""  # the uploaded file is not kept


def test_import_job_refuses_files_over_the_limit(world, settings):
    settings.ADVERTS_MAX_UPLOAD_BYTES = 10
    with pytest.raises(ValueError, match="limit"):
        services.import_job_create(region=world.a.region, by=world.a.analyst,
                                   data=b"x" * 11, file_name="a.jsonl")  # fmt: skip


def _stored(region):
    adverts = (
        Advert.objects.filter(region=region).select_related("document").order_by("external_id")
    )
    return [
        (
            a.external_id,
            a.town,
            a.language,
            a.document.content,
            a.indicator_hits,
            a.group_tokens,
            _group_as_stored(a.group),
            sorted(a.identifiers.values_list("kind", "value_index", "obfuscated")),
        )
        for a in adverts
    ]


def _group_as_stored(group):
    """A group's summary and ranking, with its adverts named by their ids at the source
    (public ids differ from one import to another)."""
    if group is None:
        return None
    names = dict(group.adverts.values_list("public_id", "external_id"))
    summary = json.loads(json.dumps(group.summary))  # a copy to rename in
    summary["near_duplicates"] = [[names[a], names[b]] for a, b in summary["near_duplicates"]]
    return (
        summary,
        group.indicator_counts,
        group.advert_count,
        group.first_posted_at,
        group.last_posted_at,
        (group.strong_evidence, group.moderate_evidence, group.weak_evidence, group.town_count),
    )


def test_worker_processes_store_exactly_what_the_importing_process_stores(
    world, import_adverts, settings, monkeypatch
):
    corpus = [*ORGANISED, *(advert(f"x-{n}", f"Lovely {n} call 0791112{n:04d}") for n in range(9))]
    monkeypatch.setattr(services, "CHUNK_SIZE", 4)  # several chunks in flight at once
    import_adverts(world.a.region, corpus)
    settings.ADVERTS_IMPORT_PARALLEL_MIN_BYTES = 0
    settings.ADVERTS_IMPORT_WORKERS = 2
    result = import_adverts(world.b.region, corpus)
    assert (result.created, result.groups_touched) == (12, 1)
    assert _stored(world.b.region) == _stored(world.a.region)


@pytest.mark.parametrize("workers", [0, 2])
def test_a_record_repeated_in_a_later_chunk_is_unchanged_or_an_update(
    world, import_adverts, settings, monkeypatch, workers
):
    settings.ADVERTS_IMPORT_PARALLEL_MIN_BYTES = 0
    settings.ADVERTS_IMPORT_WORKERS = workers
    monkeypatch.setattr(services, "CHUNK_SIZE", 2)
    first, second = advert("a", "Call 07911 123456"), advert("b", "Hello")
    changed = advert("a", "Now call 07400 123456")
    result = import_adverts(world.a.region, [first, second, first, second, changed])
    assert (result.created, result.updated, result.unchanged) == (2, 1, 2)
    stored = Advert.objects.get(external_id="a")
    assert stored.record["body"] == "Now call 07400 123456"
    assert list(stored.identifiers.values_list("value_index", flat=True)) == [
        blind_index("phone", "07400123456")
    ]


def test_imports_from_a_thread_analyse_in_process(settings):
    import threading

    from signpost.adverts import pipeline

    settings.ADVERTS_IMPORT_PARALLEL_MIN_BYTES = 0
    settings.ADVERTS_IMPORT_WORKERS = 2
    assert pipeline.workers_wanted(10) == 2
    seen = []
    thread = threading.Thread(target=lambda: seen.append(pipeline.workers_wanted(10)))
    thread.start()
    thread.join()
    assert seen == [0]


def test_a_group_summary_counts_the_indicators_of_adverts_from_earlier_imports(
    world, import_adverts
):
    # The new advert's codes come from the import in memory, the stored ones' from the database.
    region = world.a.region
    import_adverts(region, [advert("a", "New in town, 24/7. Call 07911 123456")])
    import_adverts(region, [advert("b", "Available 24/7, no limits. 07911123456")])
    group = AdvertGroup.objects.get()
    assert group.advert_count == 2
    assert group.indicator_counts["availability_24_7"] == 2
    assert group.indicator_counts["unsafe_services"] == 1
    assert group.summary["phones"] == [["+447911123456", 2]]


def test_a_summary_from_the_import_in_memory_equals_one_from_the_store(world, import_adverts):
    # Groups made by an import are summarised from what it kept of its adverts; summarising
    # them again later reads them back from the database. Both must say the same.
    region = world.a.region
    import_adverts(region, [advert("a", "Lonely 07911 123456", posted_at="2026-11-04T09:00:00Z")])
    import_adverts(
        region,
        [
            *ORGANISED,
            advert("b", "Ana, 20, call 07911 123456", posted_at="2026-11-05T12:00:00+02:00"),
        ],
    )
    group = AdvertGroup.objects.get()
    assert group.advert_count == 4
    from_memory = (group.summary, group.indicator_counts, group.first_posted_at)
    services.summarise_groups(group_ids=[group.pk])
    group.refresh_from_db()
    assert (group.summary, group.indicator_counts, group.first_posted_at) == from_memory
    assert group.last_posted_at.isoformat() == "2026-11-05T10:00:00+00:00"


def _referral_with_contact(area, **indexes):
    return Referral.objects.create(
        reference=new_reference(),
        source=Referral.Source.PUBLIC,
        region=area.region,
        area=area,
        what_is_happening="Two girls in a flat, the man keeps their phones",
        **indexes,
    )


@pytest.mark.parametrize("screened", [True, False])
def test_an_advert_with_a_referrals_phone_or_email_raises_an_alert_in_its_region(
    world, import_adverts, monkeypatch, screened
):
    monkeypatch.setattr(services, "ON_FILE_SCREEN_MIN", 0 if screened else 5000)
    by_phone = _referral_with_contact(
        world.a.areas[0], phone_index=blind_index("phone", "07911 123456")
    )
    by_email = _referral_with_contact(
        world.a.areas[0], email_index=blind_index("email", "maria@example.com")
    )
    elsewhere = _referral_with_contact(
        world.b.areas[0], phone_index=blind_index("phone", "07911 123456")
    )
    records = [
        *ORGANISED,
        advert("mail", "Write to me", email="Maria@Example.com"),
        advert("other", "Call 07400 999888"),
    ]
    assert import_adverts(world.a.region, records).alerts == 3
    alerts = {(a.advert.external_id, a.referral_id, a.kind) for a in Alert.objects.all()}
    assert alerts == {
        ("op-1", by_phone.pk, "phone"),
        ("op-2", by_phone.pk, "phone"),
        ("mail", by_email.pk, "email"),
    }
    group = Advert.objects.get(external_id="op-1").group
    assert group is not None
    assert set(Alert.objects.filter(referral=by_phone).values_list("group", flat=True)) == {
        group.pk
    }
    assert not Alert.objects.filter(referral=elsewhere).exists()
    assert import_adverts(world.a.region, records).alerts == 0  # no duplicates


def test_groups_guessed_while_writing_end_as_the_grouping_decides(
    world, import_adverts, monkeypatch
):
    # Adverts are written with a first guess at their group, from contacts shared so far;
    # what is stored in the end is what grouping all the written adverts gives.
    monkeypatch.setattr(services, "CHUNK_SIZE", 25)
    corpus = list(CorpusGenerator(seed=3).adverts(400))
    import_adverts(world.a.region, corpus)
    rows = list(Advert.objects.values_list("id", "group_id", "group_tokens"))
    components = group_records([GroupingRecord(pk, tokens) for pk, _group, tokens in rows])
    stored: dict[int, set[int]] = {}
    expected: dict[int, set[int]] = {}
    for pk, group, _tokens in rows:
        if group is not None:
            stored.setdefault(group, set()).add(pk)
        if components[pk] is not None:
            expected.setdefault(components[pk], set()).add(pk)
    assert sorted(map(sorted, stored.values())) == sorted(map(sorted, expected.values()))
    groups = dict(AdvertGroup.objects.values_list("id", "advert_count"))
    assert groups == {group: len(members) for group, members in stored.items()}


def test_a_guessed_group_gives_way_to_the_stored_group_it_joins(world, import_adverts):
    region = world.a.region
    import_adverts(region, [advert("a", "Call 07911 123456"), advert("b", "07911123456 x")])
    first = AdvertGroup.objects.get()
    import_adverts(region, [advert("c", "Ring 07911 123456"), advert("d", "07911 123456 y")])
    assert list(AdvertGroup.objects.all()) == [first]
    first.refresh_from_db()
    assert first.advert_count == 4
    assert set(first.adverts.values_list("external_id", flat=True)) == {"a", "b", "c", "d"}


def test_the_database_refuses_to_lose_a_group_an_advert_is_in(world, import_adverts):
    # An import deletes the groups it guessed and did not keep in plain SQL, trusting that no
    # advert is in them; were one, the foreign key would stop the import rather than orphan it.
    import_adverts(world.a.region, [advert("a", "Call 07911 123456"), advert("b", "07911123456")])
    group = AdvertGroup.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        services._delete_unreferenced_groups([group.pk])
        connection.check_constraints()
    assert AdvertGroup.objects.get() == group


@pytest.mark.django_db
def test_grouping_reads_stored_adverts_from_indexes_not_their_rows(world):
    if connection.vendor != "sqlite":
        pytest.skip("The grouping index is SQLite's (migrations 0003 and 0004).")
    with connection.cursor() as cursor:
        cursor.execute(
            f"EXPLAIN QUERY PLAN {services.ADVERT_TOKENS_SQL.replace('%s', '?')}",
            [world.a.region.pk],
        )
        tokens_plan = " ".join(str(row[-1]) for row in cursor.fetchall())
        cursor.execute(f"EXPLAIN QUERY PLAN {services.ADVERT_GROUPS_SQL}")
        groups_plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert "COVERING INDEX advert_tokens" in tokens_plan
    assert "COVERING INDEX adverts_advert_group_id" in groups_plan


@pytest.mark.django_db
def test_moving_an_advert_to_another_group_leaves_the_grouping_index_alone(world):
    # Were the group in advert_tokens, each advert an import moves would rewrite its entry
    # there, tokens and all (the page cache spilled at a million adverts).
    if connection.vendor != "sqlite":
        pytest.skip("The grouping index is SQLite's (migrations 0003 and 0004).")
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM pragma_index_info('advert_tokens')")
        columns = [row[0] for row in cursor.fetchall()]
    assert columns == ["region_id", "id", "group_tokens"]


def test_a_changed_advert_that_shares_nothing_any_more_leaves_its_group(world, import_adverts):
    region = world.a.region
    trio = [
        advert("a", "Ana, call 07911 123456"),
        advert("b", "Bia, call 07911 123456"),
        advert("c", "Cleo, call 07911 123456"),
    ]
    import_adverts(region, trio)
    group = AdvertGroup.objects.get()
    result = import_adverts(region, [advert("c", "Cleo, new number 07400 987654")])
    assert result.updated == 1
    assert Advert.objects.get(external_id="c").group is None
    group.refresh_from_db()
    assert group.advert_count == 2
    assert group.summary["phones"] == [["+447911123456", 2]]


def test_a_group_every_advert_left_is_deleted(world, import_adverts):
    region = world.a.region
    import_adverts(region, [advert("a", "Call 07911 123456"), advert("b", "07911123456 x")])
    assert AdvertGroup.objects.count() == 1
    import_adverts(
        region,
        [advert("a", "Now call 07400 111222"), advert("b", "Now ring 07400 333444")],
    )
    assert not AdvertGroup.objects.exists()
    assert not Advert.objects.filter(group__isnull=False).exists()


def test_adverts_linked_only_by_their_text_make_a_group_their_alerts_point_to(
    world, import_adverts
):
    # Neither advert shares a contact, so neither is written with a guessed group: the group
    # is made when the import ends, before its alerts are raised and its summary written.
    region = world.a.region
    case = _case_with_phone(world, "07911 123456")
    template = (
        "Sweet new girl in town, {name}, visiting hotels and apartments across the midlands, "
        "genuine photos taken this month, discreet and friendly and always smiling, ring me on "
    )
    import_adverts(
        region,
        [
            advert("a", template.format(name="Ana") + "07911 123456"),
            advert("b", template.format(name="Bia") + "07400 987654"),
        ],
    )
    group = AdvertGroup.objects.get()
    assert group.advert_count == 2
    assert dict(group.summary["phones"]) == {"+447911123456": 1, "+447400987654": 1}
    assert Alert.objects.get(case=case).group == group


def test_a_group_left_with_one_advert_is_dissolved(world, import_adverts, tmp_path):
    region = world.a.region
    _case_with_phone(world, "07911 123456")
    import_adverts(region, [advert("a", "Call 07911 123456"), advert("b", "07911123456 x")])
    group = AdvertGroup.objects.get()
    assert set(Alert.objects.values_list("group", flat=True)) == {group.pk}
    import_adverts(region, [advert("b", "Now ring 07400 333444")])
    assert not AdvertGroup.objects.exists()
    assert not Advert.objects.filter(group__isnull=False).exists()
    # The alerts keep their adverts and lose the group.
    assert Alert.objects.count() == 2
    assert not Alert.objects.filter(group__isnull=False).exists()
    out = tmp_path / "adverts.jsonl"
    call_command("adverts_export", str(out), "--region", region.slug)
    assert [json.loads(line)["group"] for line in out.read_text().splitlines()] == [None, None]


def test_an_advert_changed_in_the_chunk_that_guesses_its_group_ends_where_grouping_says(
    world, import_adverts, monkeypatch
):
    # "a" is written alone; the next chunk changes it (new number) and brings "b" with a's
    # old number: b's guessed group takes the row of "a" along, which then shares nothing.
    monkeypatch.setattr(services, "CHUNK_SIZE", 2)
    import_adverts(
        world.a.region,
        [
            advert("a", "Call 07911 123456"),
            advert("c", "Call 07400 555666"),
            advert("a", "Now call 07400 111222"),
            advert("b", "Ring 07911 123456"),
            advert("d", "Text 07911 123456"),
        ],
    )
    group = AdvertGroup.objects.get()
    assert set(group.adverts.values_list("external_id", flat=True)) == {"b", "d"}
    assert group.advert_count == 2
    assert Advert.objects.get(external_id="a").group is None


@pytest.mark.parametrize("collecting", [True, False])
def test_the_import_pauses_the_garbage_collector_and_leaves_it_as_it_found_it(
    world, import_adverts, monkeypatch, collecting
):
    import gc

    seen = []
    write_chunk = services._write_chunk

    def watched(*args, **kwargs):
        seen.append(gc.isenabled())
        return write_chunk(*args, **kwargs)

    monkeypatch.setattr(services, "_write_chunk", watched)
    if not collecting:
        gc.disable()
    try:
        import_adverts(world.a.region, ORGANISED)
        assert gc.isenabled() is collecting
    finally:
        gc.enable()
    assert seen == [False]
    assert gc.get_freeze_count() == 0


def test_a_summary_lists_towns_in_the_order_first_posted_in_with_first_and_last_postings():
    def member(pk, day, town):
        posted = datetime(2026, 11, day, 10, tzinfo=UTC) if day else None
        return services._Member(pk, f"p{pk}", posted, town, "[[],[],[],[],[],[]]", "")

    members = [
        member(1, 3, "Coventry"),
        member(2, 1, "Birmingham"),
        member(3, None, "Birmingham"),
        member(4, 5, "Birmingham"),
        member(5, None, "Atlantis"),
        member(6, 2, ""),
    ]
    towns = services._summary(members)[0]["towns"]
    assert [(t["town"], t["first"], t["last"], t["count"]) for t in towns] == [
        ("Birmingham", "2026-11-01T10:00:00+00:00", "2026-11-05T10:00:00+00:00", 3),
        ("Coventry", "2026-11-03T10:00:00+00:00", "2026-11-03T10:00:00+00:00", 1),
        ("Atlantis", "", "", 1),
    ]
    assert "latitude" in towns[0] and "latitude" not in towns[2]
