import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from signpost.adverts.text import Normalised, _normalise_char, normalise, strip_marks


def without_marks(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def test_marks_are_stripped_from_romanian_letters():
    assert strip_marks("Ștefania, Tânără") == "Stefania, Tanara"


@given(st.text() | st.text(st.characters(max_codepoint=127)))
def test_strip_marks_is_nfkd_without_combining_marks(text):
    assert strip_marks(text) == without_marks(text)


def normalised_char_by_char(text: str) -> Normalised:
    """The definition: each character NFKC-normalised on its own, with where it came from."""
    pieces: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        replaced = char if char.isascii() else _normalise_char(char)
        pieces.append(replaced)
        origin.extend([index] * len(replaced))
    joined = "".join(pieces)
    return Normalised(
        joined, None if joined == text and len(origin) == len(text) else tuple(origin)
    )


TRICKY = st.sampled_from(list("0\uff17\uff18①❾🄃\ufe0f\u20e3\u200b\u00adﬁăȘ🌹 a-]^\\"))


@given(st.text(TRICKY | st.characters()))
def test_normalise_is_nfkc_character_by_character(text):
    assert normalise(text) == normalised_char_by_char(text)


def test_keycap_and_full_width_digits_become_ascii_with_their_origin():
    found = normalise("Call 0\ufe0f\u20e37\uff191\u200b1")
    assert found.text == "Call 07911"
    assert found.original_span(5, 10) == (5, 13)
