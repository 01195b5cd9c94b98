import pytest

from signpost.adverts.extraction import extract
from signpost.adverts.indicators import (
    catalogue,
    detect,
    evidence_key,
    highlight_segments,
    ranked,
    sources,
)

REQUIRED = {
    "new_arrival", "youth", "nationality", "third_person", "multiple_women", "circuit",
    "availability_24_7", "unsafe_services", "obfuscated_contact",
}  # fmt: skip


def test_catalogue_covers_the_required_indicators_with_sources_and_weights():
    known = catalogue()
    assert set(known) >= REQUIRED
    for indicator in known.values():
        assert indicator.weight in (1, 2, 3)
        assert indicator.sources and all(key in sources() for key in indicator.sources)
        assert indicator.description


def hits_for(text):
    return detect(text, extract(text, language="en"))


def test_wording_indicators_fire_on_their_words_in_english_and_romanian():
    text = (
        "Just arrived! Young Romanian girl, she is available 24/7, no condom. "
        "Fete noi, zi și noapte."
    )
    hits = hits_for(text)
    words = {code: [text[s:e] for s, e in spans] for code, spans in hits.items()}
    assert words["new_arrival"] == ["Just arrived"]
    assert "Young" in words["youth"]
    assert words["nationality"] == ["Romanian"]
    assert words["third_person"] == ["she is"]
    assert "24/7" in words["availability_24_7"]
    assert "zi și noapte" in words["availability_24_7"]
    assert words["unsafe_services"] == ["no condom"]
    assert words["multiple_women"] == ["Fete noi"]


def test_stated_low_age_and_obfuscated_contact_fire():
    hits = hits_for("I am 18 years old, call zero seven nine one one one two three four five six")
    assert "youth" in hits
    assert "obfuscated_contact" in hits
    assert "obfuscated_contact" not in hits_for("Call 07911 123456, I am 30 years old")
    assert "youth" not in hits_for("I am 30 years old")


def test_highlight_segments_merge_overlaps_and_keep_text_intact():
    text = "abc new in town def"
    segments = highlight_segments(text, {"new_arrival": [[4, 15]], "youth": [[8, 10]]})
    assert "".join(segment["text"] for segment in segments) == text
    marked = [segment for segment in segments if segment["codes"]]
    assert marked == [{"text": "new in town", "codes": ["new_arrival", "youth"]}]


def test_ranking_puts_organisation_evidence_before_wording():
    rows = ranked({"new_arrival": 10, "circuit": 1, "third_person": 2})
    assert [row["indicator"].code for row in rows] == ["circuit", "third_person", "new_arrival"]
    assert evidence_key({"circuit": 1}) > evidence_key(
        {"new_arrival": 9, "youth": 9, "nationality": 9}
    )


def _scanned_whole(text):
    """What a scan of the whole text with each indicator's patterns finds."""
    from signpost.adverts.indicators import _families

    expected = {}
    for family in _families():
        spans = [match.span() for match in family.gate.pattern.finditer(text.lower())]
        if spans:
            expected[family.code] = spans
    return expected


TRICKY_TEXTS = [
    "Our new girl in town, new girls every week, our new girl is here until Friday.",
    "Just arrived just 2 days, just turned 18, proaspătă sosită, abia am venit abia am 18.",
    "24/7 24 hours non-stop, anytime, no limits no rules, bareback bbbj, little english.",
    "new new new in town town; she is she is; agency management; 2 girls 3 girls duo",
    "I can't go out, cant go out; don't speak english; the agency's girls; 24h 24hours",
    "Tânără, micuță, fetiță nevinovată. Zi și noapte, fără limite, fetele noastre. 3 fete",
    "call 07911 224 724, 2girls, girls2, x24/7, _fresh fresh_ fresh2 fresh-faced",
    "",
]


@pytest.mark.parametrize("text", TRICKY_TEXTS)
def test_trying_patterns_only_where_their_first_words_stand_finds_what_a_whole_scan_finds(text):
    assert detect(text, extract("")) == _scanned_whole(text)


def test_the_same_on_generated_adverts():
    from signpost.adverts.corpus import CorpusGenerator

    for advert in CorpusGenerator(seed=7).adverts(400):
        text = f"{advert['title']}\n\n{advert['body']}"
        assert detect(text, extract("")) == _scanned_whole(text), text
