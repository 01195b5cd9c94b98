import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from signpost.adverts.words import WordGate, Words, fold


@pytest.mark.parametrize(
    "text",
    [
        "New girl in town, can't wait! 24/7",
        "Fată nouă în București, sună-mă: zi și noapte",
        "İstanbul girl",  # lowering changes the length: offsets from the original text
        "",
        "12 34 !!",
    ],
)
def test_words_and_their_offsets(text):
    words = Words(text)
    bounds = words.bounds
    assert len(bounds) == 2 * len(words.tokens)
    for index, token in enumerate(words.tokens):
        start, end = bounds[2 * index], bounds[2 * index + 1]
        assert fold(text[start:end]).replace("i̇", "i") == token
    assert words.starts(range(len(words.tokens))) == bounds[0::2]


def test_words_are_folded_and_cut_at_apostrophes_for_first_words():
    words = Words("Tânără, can't STOP")
    assert words.tokens == ["tanara", "can't", "stop"]
    assert words.first_parts == ["tanara", "can", "stop"]
    assert words.token_set == {"tanara", "can't", "stop"}
    assert words.first_part_set == {"tanara", "can", "stop"}
    plain = Words("No apostrophe here")
    assert plain.first_parts is plain.tokens
    assert plain.first_part_set is plain.token_set == {"no", "apostrophe", "here"}
    assert words.indexes(frozenset({"stop", "tanara", "can"})) == [0, 2]
    assert words.first_part_indexes(["stop", "tanara", "can"]) == [0, 1, 2]
    assert Words("a b a").indexes({"a"}) == [0, 2]
    assert words.indexes(set()) == []
    assert words.starts_of(["can", "stop", "absent"]) == {"can": [8], "stop": [14], "absent": []}


def test_a_gate_finds_what_a_scan_of_the_whole_text_finds():
    pattern = re.compile(r"\bnon[\s-]?stop\b|\b24\s?/\s?7\b|\bcan'?t go\b")
    gate = WordGate(pattern)
    assert gate.letters == frozenset({"non", "nonstop", "can", "cant"})
    text = "non-stop, nonstop, x24/7, 24 / 7, can't go, cant go, cannot go, 124/7"
    lowered = text.lower()
    scanned = [m.span() for m in pattern.finditer(lowered)]
    assert [m.span() for m in gate.matches(lowered, Words(text))] == scanned
    words = Words(text)
    starts_of = words.starts_of(gate.letters.intersection(words.first_parts))
    starts = [start for found in starts_of.values() for start in found]
    assert [m.span() for m in gate.matches_from(lowered, starts)] == scanned


def test_a_pattern_whose_first_words_cannot_be_listed_is_scanned_whole():
    gate = WordGate(re.compile(r"\b\w+girl\b"))
    assert gate.letters is None
    assert [m.group() for m in gate.matches("newgirl hotgirl", Words("newgirl hotgirl"))] == [
        "newgirl",
        "hotgirl",
    ]


@given(
    st.lists(st.sampled_from(["a", "b", "c", "ab"]), max_size=12),
    st.sets(st.sampled_from(["a", "b", "c", "d"]), max_size=3),
)
def test_indexes_are_where_the_words_stand_in_order(tokens, asked):
    words = Words(" ".join(tokens))
    expected = [index for index, token in enumerate(tokens) if token in asked]
    assert words.indexes(asked) == expected
    assert words.indexes(list(asked)) == expected
