"""The words a regular expression's matches can start with.

An indicator pattern such as `\\bnon[\\s-]?stop\\b` can only match where the text has the word
"non" or "nonstop". Knowing that, `indicators.detect` tries each pattern only where such a word
stands (found with set operations on the advert's words, in C) instead of scanning the whole
text with every pattern, which was the larger part of an advert's analysis.

The first word is the run of letters (or of digits) a match starts with, up to the first other
character or word boundary. Patterns whose first words cannot be listed (a repeated letter, any
character, too many variants) get None: they are run over the whole text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# The parser the re module itself uses. It is private, so it is read defensively: anything
# unexpected in it makes leading_words answer None, and the pattern is then run in full.
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

MAX_VARIANTS = 256


@dataclass(frozen=True)
class LeadingWords:
    letters: frozenset[str]  # runs of letters, as written in the pattern
    digits: frozenset[str]  # runs of digits


class _Unlisted(Exception):
    """The pattern's first words cannot be listed."""


# A first word being read: (characters so far, finished). A finished word takes no more.
_State = tuple[str, bool]


def _kind(char: str) -> str:
    if char.isalpha():
        return "letter"
    if char.isdigit():
        return "digit"
    return "other"


def _add_char(states: set[_State], char: str) -> set[_State]:
    out: set[_State] = set()
    for word, finished in states:
        if finished or _kind(char) == "other":
            out.add((word, True))
        elif not word or _kind(word[0]) == _kind(char):
            out.add((word + char, False))
        else:  # letters then digits (or the reverse): the first word ends here
            out.add((word, True))
    return out


def _finish(states: set[_State]) -> set[_State]:
    """A word boundary ends the words begun (the one before the first word begins nothing)."""
    return {(word, finished or bool(word)) for word, finished in states}


def _chars_of_set(items: list[tuple[Any, Any]]) -> list[str]:
    """The characters of a character set (a space stands for any space)."""
    chars: list[str] = []
    for op, value in items:
        if op is sre.LITERAL:
            chars.append(chr(value))
        elif op is sre.RANGE:
            chars.extend(chr(code) for code in range(value[0], value[1] + 1))
        elif op is sre.CATEGORY and value is sre.CATEGORY_SPACE:
            chars.append(" ")
        else:
            raise _Unlisted
    if not chars:
        raise _Unlisted
    return chars


def _walk(items: Any, states: set[_State]) -> set[_State]:
    for op, value in items:
        if all(finished for _word, finished in states):
            return states
        if op is sre.AT:
            states = _finish(states)
        elif op is sre.LITERAL:
            states = _add_char(states, chr(value))
        elif op is sre.IN:
            states = set().union(*(_add_char(states, char) for char in _chars_of_set(value)))
        elif op is sre.BRANCH:
            states = set().union(*(_walk(branch, states) for branch in value[1]))
        elif op is sre.SUBPATTERN:
            states = _walk(value[-1], states)
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT):
            low, high, item = value
            if high > 1 and not all(finished for _w, finished in _walk(item, {("a", False)})):
                raise _Unlisted  # a repeated letter or digit: words of any length
            # Once is enough: an item that may repeat ends every word it follows (spaces).
            taken = _walk(item, states) if high >= 1 else states
            states = taken if low >= 1 else states | taken
        else:
            raise _Unlisted
        if len(states) > MAX_VARIANTS:
            raise _Unlisted
    return states


def leading_words(pattern: str) -> LeadingWords | None:
    """The first words of the pattern's matches, or None when they cannot be listed."""
    try:
        states = _walk(sre_parse.parse(pattern), {("", False)})
    except (_Unlisted, re.error, AttributeError, TypeError, ValueError):
        return None
    words = {word for word, _finished in states}
    if "" in words:
        return None  # a match may start with something else than a letter or a digit
    return LeadingWords(
        letters=frozenset(word for word in words if word[0].isalpha()),
        digits=frozenset(word for word in words if word[0].isdigit()),
    )
