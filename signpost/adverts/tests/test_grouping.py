import zlib
from array import array

import pytest
from hypothesis import given
from hypothesis import strategies as st

from signpost.adverts import grouping
from signpost.adverts.corpus import CorpusGenerator
from signpost.adverts.grouping import (
    ExistingAdvert,
    GroupingRecord,
    ShingleCounter,
    assign_groups,
    band_tokens,
    chunk_band_tokens,
    group_records,
    pairwise_scores,
    shingles,
)
from signpost.adverts.text import words

TEMPLATE = (
    "Beautiful {name} here for you, the sweetest company in the whole of the midlands, "
    "elegant and fun, always smiling, visiting hotels and apartments, ring to arrange a "
    "meeting, genuine photos taken this month, kisses from {name} and her friends"
)


def shingles_as_defined(text):
    """The definition that stored counters and band tokens rely on, written plainly."""
    tokens = words(text)
    if len(tokens) < 3:
        return {zlib.crc32(" ".join(tokens).encode())} if tokens else set()
    return {zlib.crc32(" ".join(tokens[i : i + 3]).encode()) for i in range(len(tokens) - 2)}


def test_shingles_are_crc32_of_three_lower_case_words_with_digits_masked():
    assert sorted(shingles("Call ME on 07911 now")) == sorted(
        zlib.crc32(shingle) for shingle in (b"call me on", b"me on #", b"on # now")
    )
    assert shingles("Hi there") == [zlib.crc32(b"hi there")]
    assert shingles("") == []


# Letters, digits, separators, Romanian and Polish letters, a full-width and a superscript digit.
@given(
    st.text(
        alphabet=st.sampled_from("abcXYZ 019_-'\n\u0219\u0103\u00e9\u0142\uff11\u00b2"), max_size=60
    )
)
def test_shingles_follow_their_definition_on_any_text(text):
    found = shingles(text)
    assert len(found) == len(set(found))
    assert set(found) == shingles_as_defined(text)


def sketch(text, counter=None):
    hashes = shingles(text)
    return tuple(band_tokens(counter.rare(hashes) if counter else hashes))


def test_one_shared_phone_is_enough():
    records = [
        GroupingRecord("a", ("p:111", *sketch("completely different words one"))),
        GroupingRecord("b", ("p:111",)),
        GroupingRecord("c", ("p:222",)),
    ]
    groups = group_records(records)
    assert groups["a"] == groups["b"] is not None
    assert groups["c"] is None


def test_near_duplicate_text_links_adverts_with_different_phones():
    records = [
        GroupingRecord(key, (f"p:{key}", *sketch(TEMPLATE.format(name=name))))
        for key, name in (("a", "Alina"), ("b", "Maria"), ("c", "Ioana"))
    ]
    groups = group_records(records)
    assert groups["a"] == groups["b"] == groups["c"] is not None


def test_boilerplate_shared_by_many_posters_links_nobody():
    boilerplate = (
        "Posted on Site A. Report this advert if it breaks our rules. Never send money in "
        "advance. All advertisers are over eighteen. Stay safe and meet in public first."
    )
    counter = ShingleCounter()
    texts = [f"{boilerplate} unique{n} words{n} here{n} only{n}" for n in range(200)]
    for text in texts:
        counter.add(shingles(text))
    records = [
        GroupingRecord(n, (f"p:{n}", *sketch(text, counter))) for n, text in enumerate(texts)
    ]
    assert set(group_records(records).values()) == {None}


def test_a_band_used_by_more_posters_than_the_limit_is_ignored():
    shared = ("t0:abc",)
    many = [
        GroupingRecord(n, (f"p:{n}", *shared)) for n in range(grouping.MAX_POSTERS_PER_BAND + 1)
    ]
    assignment = assign_groups(many)
    assert assignment.boilerplate_bands == {"t0:abc"}
    few = [GroupingRecord(n, (f"p:{n}", *shared)) for n in range(3)]
    assert len(set(group_records(few).values())) == 1


def test_incremental_join_and_merge_of_existing_groups():
    existing = [
        ExistingAdvert(1, 10, ("p:aaa",)),
        ExistingAdvert(2, 10, ("p:aaa",)),
        ExistingAdvert(3, 20, ("e:bbb",)),
        ExistingAdvert(4, None, ("h:ccc",)),
        ExistingAdvert(5, None, ("p:zzz",)),
    ]
    assignment = assign_groups([GroupingRecord("new", ("p:aaa", "e:bbb", "h:ccc"))], existing)
    [component] = assignment.new_members
    assert assignment.new_members[component] == ["new"]
    assert assignment.existing_groups[component] == {10, 20}
    assert assignment.existing_singles[component] == {4}


def test_shingle_counter_round_trips_and_drops_common_shingles():
    counter = ShingleCounter()
    for _ in range(100):
        counter.add([1, 2])
    counter.add([3])
    restored = ShingleCounter.from_bytes(counter.to_bytes(), counter.adverts)
    assert restored.rare([1, 2, 3]) == [3]


def test_pairwise_scores():
    truth = {"a": "x", "b": "x", "c": "y"}
    assert pairwise_scores({"a": 0, "b": 0, "c": None}, truth)["f1"] == 1.0
    scores = pairwise_scores({"a": 0, "b": 0, "c": 0}, truth)
    assert scores["recall"] == 1.0 and scores["precision"] == 1 / 3


def test_generated_corpus_groups_with_high_precision():
    """A small version of the benchmark (bench/bench_adverts.py runs the large one)."""
    from signpost.adverts.analysis import analyse_many
    from signpost.adverts.records import to_record

    generator = CorpusGenerator(seed=3)
    adverts = list(generator.adverts(600))
    read = [to_record(advert, line=number) for number, advert in enumerate(adverts)]
    analyses = analyse_many(read, languages=["en"] * len(read))
    counter = ShingleCounter()
    for analysis in analyses:
        counter.add(analysis.shingles)
    records = []
    for advert, analysis in zip(adverts, analyses, strict=True):
        analysis.band_tokens = band_tokens(counter.rare(analysis.shingles))
        records.append(GroupingRecord(advert["id"], tuple(analysis.tokens)))
    scores = pairwise_scores(group_records(records), generator.truth.poster)
    assert scores["precision"] >= 0.97
    assert scores["recall"] >= 0.85


def test_chunk_band_tokens_equal_counting_and_sketching_one_advert_at_a_time():
    import random

    generator = random.Random(5)
    vocabulary = [f"w{n}" for n in range(300)]
    boilerplate = "welcome to the best site in town for you "  # common: dropped from chunk 2 on
    texts = [
        boilerplate + " ".join(generator.choice(vocabulary) for _ in range(40)) for _ in range(120)
    ]
    texts += ["short text", "", "stock phrase " * 30]  # too few shingles; one repeated shingle
    chunks = [[shingles(text) for text in texts[:60]], [shingles(text) for text in texts[60:]]]
    one_by_one, batched = ShingleCounter(bits=10), ShingleCounter(bits=10)
    packed_counter = ShingleCounter(bits=10)
    for chunk in chunks:
        for hashes in chunk:
            one_by_one.add(hashes)
        expected = [band_tokens(one_by_one.rare(hashes)) for hashes in chunk]
        assert chunk_band_tokens(batched, chunk) == expected
        packed = [array("I", hashes).tobytes() for hashes in chunk]
        assert chunk_band_tokens(packed_counter, packed) == expected
    assert batched.counts == one_by_one.counts and batched.adverts == one_by_one.adverts
    assert packed_counter.counts == one_by_one.counts
    assert any(expected)


def test_tokens_as_stored_text_group_like_tuples_and_single_tokens_link_nothing():
    records = [
        GroupingRecord(1, ("p:1", "t0:a", "t1:only-one")),
        GroupingRecord(2, ("p:2", "t0:a")),
        GroupingRecord(3, ("p:3", "t1:b")),
    ]
    existing = [ExistingAdvert(9, 90, ("t1:b", "p:9")), ExistingAdvert(8, None, ("t1:c",))]
    as_text = [GroupingRecord(r.key, " ".join(r.tokens)) for r in records]
    stored = [ExistingAdvert(e.key, e.group, " ".join(e.tokens)) for e in existing]
    expected = assign_groups(records, existing)
    assert assign_groups(as_text, stored) == expected
    assert sorted(map(sorted, expected.new_members.values())) == [[1, 2], [3]]
    assert list(expected.existing_groups.values()) == [{90}]


def test_a_phrase_used_by_more_adverts_than_the_cap_is_boilerplate_however_big_the_store():
    counter = ShingleCounter(bits=10)
    counter.adverts = 1_000_000  # 3% would be 30,000 adverts
    assert counter.threshold() == grouping.COMMON_MAX_ADVERTS
    counter.counts[5] = grouping.COMMON_MAX_ADVERTS
    counter.counts[6] = grouping.COMMON_MAX_ADVERTS - 1
    assert counter.rare([5, 6]) == [6]
    small = ShingleCounter(bits=10)
    small.adverts = 100
    assert small.threshold() == grouping.COMMON_MIN_ADVERTS


def _settled(guesses, contacts, first_id):
    plan = guesses.plan(contacts)
    made = list(range(first_id, first_id + plan.to_make))
    return guesses.settle(plan, made)


def test_contact_guesses_group_adverts_of_a_chunk_that_share_a_contact():
    guesses = grouping.ContactGroups()
    plan = _settled(guesses, [["p:1"], ["p:2"], ["p:1", "e:1"], ["e:1"], ["p:3"]], first_id=100)
    assert plan.groups == [100, None, 100, 100, None]
    assert plan.joins == []


def test_an_advert_written_alone_joins_the_group_a_later_chunk_makes_once():
    guesses = grouping.ContactGroups()
    first = _settled(guesses, [["p:1", "h:1"], ["p:2"]], first_id=100)
    assert first.groups == [None, None]
    guesses.remember_alone(11, ["p:1", "h:1"])
    guesses.remember_alone(12, ["p:2"])
    # Two adverts of the next chunk reach advert 11 through two different contacts.
    second = _settled(guesses, [["h:1"], ["p:1", "p:9"]], first_id=200)
    assert second.groups == [200, 200]
    assert second.joins == [(200, 11)]  # once, though it holds two of the contacts
    third = _settled(guesses, [["p:9"], ["p:2"]], first_id=300)
    assert third.groups == [200, 300]
    assert third.joins == [(300, 12)]


def test_contact_guesses_never_split_what_the_grouping_joins():
    # Every guessed group lies inside one group of assign_groups, on generated adverts
    # written in chunks as an import does.
    generator = CorpusGenerator(seed=11)
    adverts = list(generator.adverts(600))
    counter = ShingleCounter()
    guesses = grouping.ContactGroups()
    records, guessed = [], {}
    for start in range(0, len(adverts), 50):
        chunk = adverts[start : start + 50]
        contacts = [[f"p:{advert['phone']}"] if advert.get("phone") else [] for advert in chunk]
        bands = chunk_band_tokens(counter, [shingles(advert["body"]) for advert in chunk])
        plan = _settled(guesses, contacts, first_id=10_000 + start)
        for offset, (contact, band, group) in enumerate(
            zip(contacts, bands, plan.groups, strict=True)
        ):
            key = start + offset
            records.append(GroupingRecord(key, [*contact, *band]))
            if group is None:
                guesses.remember_alone(key, contact)
            else:
                guessed[key] = group
        for group, key in plan.joins:
            guessed[key] = group
    final = group_records(records)
    for group in set(guessed.values()):
        members = [key for key, guess in guessed.items() if guess == group]
        assert len(members) >= 2
        assert len({final[key] for key in members}) == 1
    assert len(guessed) > 200  # the corpus's shared phones make most of the guesses


def test_tokens_as_text_must_be_separated_by_single_spaces():
    with pytest.raises(ValueError, match="single spaces"):
        assign_groups([GroupingRecord(1, "p:1  t0:a"), GroupingRecord(2, "p:1")])
