from signpost.intel import sanitise
from signpost.intel.sanitise import SensitiveTerm


def test_names_match_without_diacritics_or_case():
    terms = [SensitiveTerm("victim_name", "text", "Ioana Ștefănescu")]
    result = sanitise.mask("Seen: IOANA STEFANESCU and ioana ştefănescu.", terms)
    assert "Stefanescu" not in result.text and "ştefănescu" not in result.text
    assert len(result.findings) == 2


def test_phones_match_whatever_the_spacing():
    terms = [SensitiveTerm("victim_contact", "phone", "+447700900111")]
    result = sanitise.mask("Call 07700 900111 or +44 7700 900 111 but not 07700 900222.", terms)
    assert "900111" not in result.text and "900 111" not in result.text
    assert "07700 900222" in result.text
    assert len(result.findings) == 2


def test_longest_term_first_and_word_boundaries():
    terms = [
        SensitiveTerm("victim_name", "text", "Ana"),
        SensitiveTerm("victim_name", "text", "Ana Maria Pop"),
    ]
    result = sanitise.mask("Ana Maria Pop met Anastasia and Ana.", terms)
    assert result.text.count("[") == 2
    assert "Anastasia" in result.text


def test_fold_keeps_offsets():
    text = "Ștefan Țurcanu"
    assert len(sanitise.fold(text)) == len(text)
    assert sanitise.fold(text) == "stefan turcanu"
