"""Extraction: a table of tricky real-world-style cases, and round-trip property tests."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from signpost.adverts.corpus import PHONE_STYLES, render_phone
from signpost.adverts.extraction import (
    extract,
    extract_ages,
    extract_emails,
    extract_handles,
    extract_names,
    extract_nationalities,
    extract_phones,
    extract_prices,
    extract_towns,
    find_town,
)
from signpost.adverts.words import Words

UK = "+447911123456"

PHONE_CASES = [
    ("Call 07911 123456 now", [UK]),
    ("ring 07911.123.456", [UK]),
    ("07911-123-456", [UK]),
    ("+44 (0) 7911 123456", [UK]),
    ("0044 7911 123456", [UK]),
    ("zero seven nine one one one two three four five six", [UK]),
    ("zero șapte nouă unu unu unu doi trei patru cinci șase", [UK]),
    ("O7911 l23456", [UK]),
    ("0 7 9 1 1 1 2 3 4 5 6", [UK]),
    ("0️⃣7️⃣9️⃣1️⃣1️⃣1️⃣2️⃣3️⃣4️⃣5️⃣6️⃣", [UK]),
    ("０７９１１ １２３４５６", [UK]),  # noqa: RUF001
    ("07911 (text me first) 123456", [UK]),
    ("07911 and then 123 456", [UK]),
    ("0791 double one 23456", [UK]),
    ("Romanian number 0721 234 567", ["+40721234567"]),
    ("sună +40 721 234 567", ["+40721234567"]),
    ("+ x 07911 123456", [UK]),  # a plus sign that no digits follow starts no number
    ("07911123456 or 07400 123 456", [UK, "+447400123456"]),
    ("£100 per hour, 22 years old, 07911123456", [UK]),
    ("Posted 12/11/2026 at 10:30, price 150", []),
    ("Call 01234", []),
]


@pytest.mark.parametrize(("text", "expected"), PHONE_CASES)
def test_tricky_phone_numbers(text, expected):
    assert sorted(found.value for found in extract_phones(text)) == sorted(expected)


def test_disguised_numbers_are_marked_obfuscated_and_plain_ones_not():
    assert extract_phones("zero seven nine one one one two three four five six")[0].obfuscated
    assert extract_phones("O7911 l23456")[0].obfuscated
    assert not extract_phones("Call 07911 123456")[0].obfuscated
    assert not extract_phones("+44 7911 123 456")[0].obfuscated


def test_phone_spans_point_at_the_original_text():
    text = "Call ０７９１１１２３４５６ now"  # noqa: RUF001
    [found] = extract_phones(text)
    start, end = found.spans[0]
    assert text[start:end] == "０７９１１１２３４５６"  # noqa: RUF001


uk_mobile = st.from_regex(r"07[45789][0-9]{8}", fullmatch=True).filter(
    lambda n: extract_phones(n) != []
)


@settings(max_examples=60, deadline=None)
@given(number=uk_mobile, style=st.sampled_from(sorted(PHONE_STYLES)), before=st.sampled_from(
    ["Call me on", "Hi, new in town.", "", "Sunt nouă, sună"]), after=st.sampled_from(
    ["now", "", "for a good time. 24/7", "x"]))  # fmt: skip
def test_a_number_rendered_in_any_style_is_extracted_back(number, style, before, after):
    expected = "+44" + number[1:]
    text = f"{before} {render_phone(number, style)} {after}"
    assert expected in [found.value for found in extract_phones(text)]


EMAIL_CASES = [
    ("mail me: anna_22@gmail.com", ["anna_22@gmail.com"]),
    ("anna at gmail dot com", ["anna@gmail.com"]),
    ("anna.maria(at)yahoo(dot)co(dot)uk", ["anna.maria@yahoo.co.uk"]),
    ("ANNA @ GMAIL . COM", ["anna@gmail.com"]),
    ("anna [at] mail [dot] ro", ["anna@mail.ro"]),
    ("anna arond yahoo punct com", ["anna@yahoo.com"]),
    ("I am at home dot not available", []),
    ("meet me at Birmingham", []),
]


@pytest.mark.parametrize(("text", "expected"), EMAIL_CASES)
def test_tricky_emails(text, expected):
    assert [found.value for found in extract_emails(text)] == expected


label = st.from_regex(r"[a-z][a-z0-9]{1,10}", fullmatch=True).filter(
    lambda word: word not in {"at", "dot", "punct", "arond", "a"}
)
EMAIL_STYLES = {
    "plain": lambda local, domain, tld: f"{local}@{domain}.{tld}",
    "spaced": lambda local, domain, tld: f"{local} @ {domain} . {tld}",
    "words": lambda local, domain, tld: f"{local} at {domain} dot {tld}",
    "brackets": lambda local, domain, tld: f"{local}(at){domain}(dot){tld}",
    "square": lambda local, domain, tld: f"{local} [at] {domain} [dot] {tld}",
    "upper": lambda local, domain, tld: f"{local.upper()} AT {domain.upper()} DOT {tld.upper()}",
    "romanian": lambda local, domain, tld: f"{local} arond {domain} punct {tld}",
}


@settings(max_examples=60, deadline=None)
@given(local=label, domain=label, tld=st.sampled_from(["com", "co.uk", "ro", "net"]),
       style=st.sampled_from(sorted(EMAIL_STYLES)))  # fmt: skip
def test_an_email_rendered_in_any_style_is_extracted_back(local, domain, tld, style):
    written_tld = tld if style in ("plain", "spaced") else tld.replace(".", " dot ")
    if style == "brackets":
        written_tld = tld.replace(".", "(dot)")
    text = f"Write to {EMAIL_STYLES[style](local, domain, written_tld)} please"
    assert f"{local}@{domain}.{tld}" in [found.value for found in extract_emails(text)]


def test_ages_names_nationalities_towns_prices_handles():
    text = (
        "Hi my name is Alina, 19 yo Romanian girl, new in Stoke-on-Trent and West Brom. "
        "Sunt româncă. £80/hour, 150 lei. snap: alina_xx, insta @alina.real, t.me/alinab"
    )
    assert [a.value for a in extract_ages(text)] == [19]
    assert [n.value for n in extract_names(text)] == ["Alina"]
    assert {n.value for n in extract_nationalities(text)} == {"romanian"}
    assert [t.value for t in extract_towns(text)] == ["Stoke-on-Trent", "West Bromwich"]
    prices = [p.value for p in extract_prices(text)]
    assert {"amount": 80, "currency": "GBP", "per": "hour"} in prices
    assert {"amount": 150, "currency": "RON"} in prices
    assert {h.value for h in extract_handles(text)} == {"alina_xx", "alina.real", "alinab"}


@pytest.mark.parametrize(
    ("text", "ages"),
    [("I am 22 years old", [22]), ("age: 19", [19]), ("am 20 de ani", [20]),
     ("£80 for 30 mins", []), ("born in 1999", []), ("I am 30£ cheap", [])],
)  # fmt: skip
def test_stated_ages(text, ages):
    assert [a.value for a in extract_ages(text)] == ages


def test_ambiguous_town_names_need_a_capital_letter():
    assert extract_towns("reading a book in the bath") == []
    assert [t.value for t in extract_towns("New in Reading")] == ["Reading"]


def test_location_field_finds_a_town():
    assert find_town("Birmingham city centre").name == "Birmingham"
    assert find_town("b'ham").name == "Birmingham"
    assert find_town("Atlantis") is None


def test_extract_collects_everything_with_spans():
    result = extract("Alina 07911 123456", language="en").as_json()
    assert result["phones"][0]["value"] == UK
    assert result["phones"][0]["spans"] == [[6, 18]]


PRICE_CASES = [
    ("£80/hour, 150 lei", [{"amount": 80, "currency": "GBP", "per": "hour"},
                           {"amount": 150, "currency": "RON"}]),
    ("150lei pe ora", [{"amount": 150, "currency": "RON", "per": "ora"}]),
    ("EUR 100 a night", [{"amount": 100, "currency": "EUR", "per": "night"}]),
    ("gbp120, or 40 quid per 30 min", [{"amount": 120, "currency": "GBP"},
                                      {"amount": 40, "currency": "GBP", "per": "30 min"}]),
    ("200 RON, 100 € or 90 pounds", [{"amount": 200, "currency": "RON"},
                                     {"amount": 100, "currency": "EUR"},
                                     {"amount": 90, "currency": "GBP"}]),
    ("Amateur 25 years old, chauffeur 100 yards away", []),
    ("Leisure 100, front 50, strong 40", []),
    ("\uff47\uff42\uff50 \uff18\uff10", [{"amount": 80, "currency": "GBP"}]),  # full-width
]  # fmt: skip


@pytest.mark.parametrize(("text", "prices"), PRICE_CASES)
def test_prices_name_their_currency(text: str, prices: list[dict[str, object]]):
    assert [found.value for found in extract(text).prices] == prices
    if text.isascii():  # the text's own words, as an import gives them: the same prices
        alone = extract_prices(text)
        assert [found.value for found in alone] == prices
        with_words = extract_prices(text, Words(text))
        assert [(f.value, f.spans) for f in with_words] == [(f.value, f.spans) for f in alone]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        (
            "Hi, I'm Ioana and im Maria; my name's Elena. Call me Bianca",
            ["Ioana", "Maria", "Elena", "Bianca"],
        ),
        ("Mă numesc Andreea. Numele meu este Corina, sunt Ana", ["Andreea", "Corina", "Ana"]),
        ("Ask for Diana. THIS IS Roxana. Sunt nouă aici", ["Diana", "Roxana"]),
        ("I am new, I am available, name: Sweet", []),
        ("Timisoara girl, Iam Ana, I'mMaria", []),
    ],
)
def test_names_follow_their_lead_words_wherever_they_stand(text, names):
    # Lead phrases are tried only where their first word stands: the same as a whole scan.
    assert [found.value for found in extract_names(text)] == names


@pytest.mark.parametrize(
    "text",
    [
        "ana at gmail dot com, AT yahoo, 2at, at's, cat at home, _at_ x at",
        "at the start and at",
        "scrie-mi: ioana arond yahoo punct com sau ioana@gmail.com; fată at@x.ro",
        "no hints here",
    ],
)
def test_email_hints_from_the_words_are_the_hint_patterns_matches(text):
    from signpost.adverts.extraction import _email_hints
    from signpost.adverts.words import Words

    assert _email_hints(text, Words(text)) == _email_hints(text, None)
