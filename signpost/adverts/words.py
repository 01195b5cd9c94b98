"""A text's words, and patterns tried only where the words their matches start with stand.

Most of an advert's analysis asks "is one of these words in the text, and where?". Asked of
the bare list of words with set operations (in C), the answer is mostly "no" at once; offsets
are worked out only when a word is found.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import accumulate, compress, count

from signpost.adverts.leading_words import leading_words
from signpost.adverts.text import strip_marks

_WORD_SPAN = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
_WORD_SPLIT = re.compile(f"({_WORD_SPAN.pattern})")
_ASCII_WORD_SPLIT = re.compile(r"([a-z]+(?:'[a-z]+)?)")  # the same on lower-case ASCII text


_FOLD = str.maketrans(
    {
        **dict.fromkeys("ăâáàäå", "a"), **dict.fromkeys("îíìï", "i"), **dict.fromkeys("șşśš", "s"),
        **dict.fromkeys("țţ", "t"), **dict.fromkeys("éèëę", "e"), **dict.fromkeys("óòöő", "o"),
        **dict.fromkeys("úùüű", "u"), **dict.fromkeys("ñń", "n"), **dict.fromkeys("çćč", "c"),
        **dict.fromkeys("źżž", "z"), "ł": "l", "ą": "a",
    }
)  # fmt: skip


class Words:
    """A text's lower-case words without diacritics; their offsets in the text are worked out
    only when asked for. Most lookups find nothing, and a set operation over the bare words
    (in C) says so far faster than a Python loop over (word, start, end) tuples."""

    __slots__ = (
        "_apostrophe", "_bounds", "_first_part_set", "_first_parts", "_parts", "_token_set",
        "tokens",
    )  # fmt: skip

    def __init__(self, text: str) -> None:
        self.tokens: list[str]
        self._bounds: list[int] | None = None
        self._parts: list[str] = []
        self._first_parts: list[str] | None = None
        self._token_set: frozenset[str] | None = None
        self._first_part_set: frozenset[str] | None = None
        self._apostrophe = "'" in text
        lowered = text.lower()
        if len(lowered) != len(text):  # lowering changed the length: read the original
            matches = list(_WORD_SPAN.finditer(text))
            self.tokens = [strip_marks(match.group()).lower() for match in matches]
            self._bounds = [offset for match in matches for offset in match.span()]
            return
        # Split keeps what lies between the words: their offsets are then sums of lengths,
        # worked out in C, instead of a match object per word. ASCII text is split by an ASCII
        # class, far cheaper than Unicode categories.
        if lowered.isascii():
            self._parts = _ASCII_WORD_SPLIT.split(lowered)
        else:
            self._parts = _WORD_SPLIT.split(lowered.translate(_FOLD))
        self.tokens = self._parts[1::2]

    @property
    def bounds(self) -> list[int]:
        """Where each word starts and ends, one after the other: word i is
        text[bounds[2 * i] : bounds[2 * i + 1]]. (A flat list: a pair per word cost as much
        again to make, and few words are ever asked about.)"""
        if self._bounds is None:
            # The parts alternate between what lies between words and a word: the sums of their
            # lengths are where each word starts and ends (the last, after the last word, is not).
            self._bounds = list(accumulate(map(len, self._parts)))[:-1]
        return self._bounds

    def starts(self, indexes: Iterable[int]) -> list[int]:
        """Where the words at these indexes start."""
        bounds = self.bounds
        return [bounds[2 * index] for index in indexes]

    @property
    def first_parts(self) -> list[str]:
        """The words cut at an apostrophe: "can't" starts with the word "can"."""
        if self._first_parts is None:
            if self._apostrophe and any("'" in token for token in self.tokens):
                self._first_parts = [token.partition("'")[0] for token in self.tokens]
            else:
                self._first_parts = self.tokens
        return self._first_parts

    # As sets: "which of these words are here?" then costs a lookup per word asked about
    # rather than one per word of the text, and the text's adverts ask it several times.
    @property
    def token_set(self) -> frozenset[str]:
        if self._token_set is None:
            self._token_set = frozenset(self.tokens)
        return self._token_set

    @property
    def first_part_set(self) -> frozenset[str]:
        if self._first_part_set is None:
            parts = self.first_parts
            self._first_part_set = self.token_set if parts is self.tokens else frozenset(parts)
        return self._first_part_set

    # Where words stand, found by one pass over the words in C (`compress` over membership
    # tests) each time an advert is asked: it is asked four to six times, about a handful of
    # words each, and a table of every word's positions built once cost more (its Python loop
    # over eighty-odd words), as did a search of the list per word asked about (list.index).
    def indexes(self, words: Iterable[str]) -> list[int]:
        """Where these words are, in order."""
        return _indexes(self.tokens, words)

    def first_part_indexes(self, words: Iterable[str]) -> list[int]:
        """Where these words (as in `first_parts`) are, in order."""
        return _indexes(self.first_parts, words)

    def starts_of(self, words: Iterable[str]) -> dict[str, list[int]]:
        """Where each of these words (as in `first_parts`) starts in the text."""
        parts = self.first_parts
        found: dict[str, list[int]] = {word: [] for word in words}
        bounds = self.bounds
        for index in _indexes(parts, found):
            found[parts[index]].append(bounds[2 * index])
        return found

    def key(self) -> str:
        return " ".join(self.tokens)


def _indexes(tokens: list[str], words: Iterable[str]) -> list[int]:
    wanted = words if isinstance(words, (frozenset, set, dict)) else frozenset(words)
    if len(wanted) == 1:
        # Half the questions ask about one word: the list's own searches (in C, comparing
        # strings) find it faster than a membership test per word.
        (word,) = wanted
        found, start = [], -1
        for _ in range(tokens.count(word)):
            start = tokens.index(word, start + 1)
            found.append(start)
        return found
    if not wanted:
        return []
    return list(compress(count(), map(wanted.__contains__, tokens)))


def occurrences(text: str, needle: str) -> list[int]:
    """Where the needle stands in the text (str.find searches in C)."""
    found = []
    index = text.find(needle)
    while index >= 0:
        found.append(index)
        index = text.find(needle, index + 1)
    return found


def fold(word: str) -> str:
    """A word as `Words` has it: lower case, without Romanian and other diacritics."""
    return word.lower().translate(_FOLD)


class WordGate:
    """A pattern tried only where one of the words its matches can start with stands
    (adverts/leading_words.py), with the matches a scan of the whole text would find.

    Patterns are written in lower case and run over lower-cased text of the same length.
    """

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        first = leading_words(pattern.pattern)
        # None: the first words cannot be listed, and the whole text is scanned.
        self.letters = frozenset(fold(word) for word in first.letters) if first else None
        self.digits = tuple(sorted(first.digits)) if first else ()

    def matches(self, lowered: str, words: Words) -> list[re.Match[str]]:
        if self.letters is None:
            return list(self.pattern.finditer(lowered))
        wanted = self.letters & words.first_part_set
        if not wanted and not self.digits:
            return []
        return self._matches_at(lowered, words.starts(words.first_part_indexes(wanted)))

    def matches_from(self, lowered: str, starts: list[int]) -> list[re.Match[str]]:
        """`matches`, for a caller that tries several gates over one text and found where
        their first words stand itself: `starts` holds where the text's words among
        self.letters start (in any order; the list is extended)."""
        if self.letters is None:
            return list(self.pattern.finditer(lowered))
        return self._matches_at(lowered, starts)

    def _matches_at(self, lowered: str, starts: list[int]) -> list[re.Match[str]]:
        for digits in self.digits:
            starts.extend(occurrences(lowered, digits))
        found: list[re.Match[str]] = []
        end = 0
        for start in sorted(starts):
            if start < end:
                continue
            match = self.pattern.match(lowered, start)  # \b still sees the character before
            if match:
                found.append(match)
                end = match.end()
        return found
