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


def test_one_scan_finds_what_a_scan_per_indicator_finds_overlaps_included():
    from signpost.adverts.indicators import _family_patterns

    texts = [
        "Our new girl in town, new girls every week, our new girl is here until Friday.",
        "Just arrived just 2 days, just turned 18, proaspătă sosită, abia am venit abia am 18.",
        "24/7 24 hours non-stop, anytime, no limits no rules, bareback bbbj, little english.",
        "new new new in town town; she is she is; agency management; 2 girls 3 girls duo",
        "",
    ]
    for text in texts:
        expected = {}
        for code, pattern in _family_patterns():
            spans = [match.span() for match in pattern.finditer(text.lower())]
            if spans:
                expected[code] = spans
        found = detect(text, extract(""))
        assert found == expected, text
