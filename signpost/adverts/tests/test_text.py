import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from signpost.adverts.text import strip_marks


def without_marks(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def test_marks_are_stripped_from_romanian_letters():
    assert strip_marks("Ștefania, Tânără") == "Stefania, Tanara"


@given(st.text() | st.text(st.characters(max_codepoint=127)))
def test_strip_marks_is_nfkd_without_combining_marks(text):
    assert strip_marks(text) == without_marks(text)
