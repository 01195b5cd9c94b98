"""An advert's language: function words where they settle it, lingua otherwise."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from signpost.adverts import language
from signpost.adverts.language import (
    FUNCTION_WORDS,
    FUNCTION_WORDS_NEEDED,
    by_function_words,
    detect_language,
    detect_languages,
)
from signpost.adverts.words import Words

SETTLED_BY_FUNCTION_WORDS = [
    ("Sunt noua in oras, fata dulce si discreta, suna-ma acum pentru o seara", "ro"),
    ("Sunt nouă în oraș, fată dulce și discretă, sună-mă acum pentru o seară", "ro"),
    ("Jestem nowa w miescie, zadzwon do mnie, czekam na ciebie tylko dzis", "pl"),
    ("Jam e re ne qytet, me telefono tani, jam vetem per ty sot", "sq"),
    ("Hello, I am new in town and very discreet, call me for a good time", "en"),
]


class SpyDetector:
    """lingua's detector, recording the texts it was asked about."""

    def __init__(self, detector: Any) -> None:
        self.detector = detector
        self.asked: list[str] = []

    def detect_language_of(self, text: str) -> Any:
        self.asked.append(text)
        return self.detector.detect_language_of(text)


@pytest.fixture
def lingua(monkeypatch: pytest.MonkeyPatch) -> SpyDetector:
    spy = SpyDetector(language.language_detector())
    monkeypatch.setattr(language, "language_detector", lambda: spy)
    return spy


@pytest.mark.parametrize(("text", "code"), SETTLED_BY_FUNCTION_WORDS)
def test_function_words_settle_a_text_without_lingua(lingua: SpyDetector, text: str, code: str):
    assert by_function_words(Words(text)) == code
    assert detect_languages([text]) == [code]
    assert lingua.asked == []


def test_a_text_mixing_languages_goes_to_lingua(lingua: SpyDetector):
    romanian_then_english = (
        "Sunt noua in oras si te astept la mine, suna-ma acum. "
        "Posted on Site A. Report this advert if it breaks our rules. Never send money in "
        "advance, and if you are in doubt, do not go."
    )
    assert by_function_words(Words(romanian_then_english)) is None
    # lingua reads the start, which is Romanian; a count of function words would say English
    assert detect_languages([romanian_then_english]) == ["ro"]
    assert lingua.asked == [romanian_then_english[: language.LANGUAGE_SAMPLE]]


def test_a_word_of_two_languages_speaks_only_against_the_others(lingua: SpyDetector):
    # "in" and "a" are English and Romanian: they do not stop a Romanian text being Romanian,
    # while one Polish "nie" does
    assert by_function_words(Words("Sunt in oras, a venit vara, suna-ma acum la mine")) == "ro"
    assert by_function_words(Words("Sunt in oras, nie a venit vara, suna acum la mine")) is None


def test_too_few_function_words_go_to_lingua(lingua: SpyDetector):
    text = "Sweet Romanian girl, new, Birmingham, call now"
    assert by_function_words(Words(text)) is None
    assert detect_language(text) == "en"
    assert lingua.asked == [text]


def test_lingua_detects_what_function_words_leave_open():
    assert detect_language("Fată nouă, dulce, discretă, sună-mă oricând, zi noapte") == "ro"
    assert detect_language("Sweet new girl, discreet, call anytime, day or night") == "en"


def test_short_texts_have_no_language(lingua: SpyDetector):
    assert detect_languages(["hi", "   the and you   ", ""]) == ["", "", ""]
    assert lingua.asked == []


def test_the_words_given_are_used(lingua: SpyDetector):
    text, code = SETTLED_BY_FUNCTION_WORDS[0]
    assert detect_languages([text], words=[Words(text)]) == [code]
    assert detect_languages([text], words=[Words("you and the night")]) == ["en"]


@pytest.mark.parametrize("code", sorted(FUNCTION_WORDS))
def test_function_words_are_written_as_words_fold_them(code: str):
    words = FUNCTION_WORDS[code]
    assert [word for word, count in Counter(words).items() if count > 1] == []
    assert [word for word in words if Words(word).tokens != [word]] == []
    others = {word for other, listed in FUNCTION_WORDS.items() if other != code for word in listed}
    assert len(set(words) - others) >= 3 * FUNCTION_WORDS_NEEDED
