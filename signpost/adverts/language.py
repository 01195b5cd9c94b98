"""An advert's language: its common function words where they leave no doubt, else lingua.

lingua (which ships its models) is the detector; it costs a sixth of an advert's analysis
even on the first 80 characters. Most adverts settle the question cheaply: a Romanian one says
"si", "de", "pentru", an English one "the", "and", "you". Where a text holds at least
FUNCTION_WORDS_NEEDED different function words that only one language uses, and no function
word that language lacks, that language is taken; any mix (a Romanian advert quoting "for
you", a site's English boilerplate under a Polish text) and any text with too few of them
goes to lingua, as before.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

from signpost.adverts.words import Words

DETECTED_LANGUAGES = ("ENGLISH", "ROMANIAN", "POLISH", "ALBANIAN")
# Characters lingua reads. Detection costs in proportion to them. On 616 passages of our own
# English, Romanian, Polish and Albanian catalogues (bench/bench_language.py) lingua was right
# on 99.8% from 80 characters, and on all of them typed without diacritics; 99.4% from 100 and
# 99.5% from 160: a longer sample reaches more English words quoted in Romanian text.
LANGUAGE_SAMPLE = 80
MIN_TEXT = 12  # characters: below this no language is named

# Frequent short words of each language, written as `Words` folds them (lower case, no
# diacritics: Romanian "și" is "si", Polish "się" is "sie"). A word of several languages is
# listed under each ("in" is English and Romanian): it speaks against the others only. Words
# an advert in another language borrows ("cum", "KY") are left out.
FUNCTION_WORDS: dict[str, tuple[str, ...]] = {
    "en": (
        "the", "and", "you", "your", "with", "for", "is", "this", "that", "will", "have",
        "of", "it", "be", "can", "our", "if", "at", "from", "what", "who", "there", "or",
        "but", "so", "not", "all", "was", "has", "here", "they", "she", "he", "her", "him",
        "his", "very", "only", "about", "more", "how", "when", "where", "just",
        "a", "an", "am", "are", "by", "do", "i", "in", "me", "my", "on", "per", "to", "we",
    ),
    "ro": (
        "si", "de", "la", "cu", "pe", "sunt", "esti", "este", "eu", "nu", "din", "pentru",
        "care", "mai", "foarte", "iti", "vreau", "acum", "doar", "sau", "fara", "aici",
        "tine", "cand", "unde", "un", "una", "ca", "iar", "dar", "ceva", "prin", "vei", "fi",
        "poti", "ori", "cei", "cel", "cea", "ale", "lui", "ei", "el", "ea", "noi", "voi",
        "asta", "acest", "aceasta", "nici", "cat", "daca", "spre", "dupa", "catre", "tot",
        "toate", "ce",
        "a", "ai", "am", "an", "are", "ci", "e", "in", "ma", "mi", "ne", "o", "sa", "se", "te",
        "tu",
    ),
    "pl": (
        "nie", "jest", "sie", "na", "ze", "jestem", "dla", "mnie", "czy", "jak", "ale",
        "tak", "od", "przez", "bardzo", "tylko", "juz", "mam", "cie", "ciebie", "moja", "w",
        "z", "lub", "oraz", "gdzie", "co", "tam", "ty", "ja", "mozesz", "jesli", "bo", "ten",
        "za", "przy", "pod", "nad", "bez", "jako", "nas", "ktory", "ktora", "ktore", "jej",
        "ich",
        "a", "by", "ci", "do", "i", "ma", "mi", "my", "o", "on", "po", "sa", "ta", "te", "to",
        "tu", "u", "was", "we",
    ),
    "sq": (
        "dhe", "nje", "eshte", "jam", "nuk", "ka", "qe", "jo", "ju", "une", "ti", "shume",
        "vetem", "mund", "kam", "por", "ose", "tek", "nga", "kjo", "keto", "cdo", "edhe",
        "tani", "ketu", "dua", "jane", "kete", "ate", "kur", "ku", "pa", "mos", "ishte",
        "kemi", "keni", "jeni", "kane", "ato", "ata", "mua",
        "ai", "do", "e", "i", "me", "ne", "per", "po", "se", "si", "ta", "te", "ty", "u",
    ),
}  # fmt: skip
# A language is taken when at least this many different words of it alone are in the text,
# and every function word found is one of its own.
FUNCTION_WORDS_NEEDED = 3
_LANGUAGES_OF_WORD: dict[str, frozenset[str]] = {
    word: frozenset(code for code, words in FUNCTION_WORDS.items() if word in words)
    for words in FUNCTION_WORDS.values()
    for word in words
}
_ALL_FUNCTION_WORDS = frozenset(_LANGUAGES_OF_WORD)
# For each language: the words only it uses, and the function words it does not use.
_OWN_AND_FOREIGN = [
    (
        code,
        frozenset(word for word, codes in _LANGUAGES_OF_WORD.items() if codes == {code}),
        _ALL_FUNCTION_WORDS.difference(words),
    )
    for code, words in FUNCTION_WORDS.items()
]


@cache
def language_detector() -> Any:
    """Built once a process: lingua ships its models; fewer languages make it faster."""
    from lingua import Language, LanguageDetectorBuilder

    languages = [getattr(Language, name) for name in DETECTED_LANGUAGES]
    return LanguageDetectorBuilder.from_languages(*languages).with_low_accuracy_mode().build()


def by_function_words(words: Words) -> str | None:
    """The language whose function words the text uses, when it uses enough of one and none
    of another; None when that does not settle it."""
    found = words.token_set & _ALL_FUNCTION_WORDS
    if len(found) < FUNCTION_WORDS_NEEDED:
        return None
    for code, own, foreign in _OWN_AND_FOREIGN:
        if len(found & own) >= FUNCTION_WORDS_NEEDED and found.isdisjoint(foreign):
            return code
    return None


def detect_languages(texts: Sequence[str], *, words: Sequence[Words] | None = None) -> list[str]:
    """Each text's ISO 639-1 code, or "" for a text too short to tell or in none of
    DETECTED_LANGUAGES. `words`, when given, are the texts' `Words` (an import has them)."""
    detector = language_detector()
    found: list[str] = []
    for index, text in enumerate(texts):
        if len(text.strip()) < MIN_TEXT:
            found.append("")
            continue
        settled = by_function_words(words[index] if words is not None else Words(text))
        if settled is None:
            language = detector.detect_language_of(text[:LANGUAGE_SAMPLE])
            settled = language.iso_code_639_1.name.lower() if language is not None else ""
        found.append(settled)
    return found


def detect_language(text: str) -> str:
    return detect_languages([text])[0]
