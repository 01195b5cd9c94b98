"""Text normalisation shared by the extractors and the near-duplicate sketches."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# Emoji keycaps ("7️⃣") are a digit, VARIATION SELECTOR-16 and COMBINING ENCLOSING KEYCAP;
# zero-width characters are used to break up numbers and words so that filters miss them.
_INVISIBLE = frozenset("\ufe0f\ufe0e\u20e3\u200b\u200c\u200d\u2060\ufeff\u00ad")
_EXTRA_DIGITS = {"⓪": "0", "🄀": "0"}
_EXTRA_DIGITS.update({chr(0x2460 + n): str(n + 1) for n in range(9)})  # ①..⑨
_EXTRA_DIGITS.update({chr(0x2776 + n): str(n + 1) for n in range(9)})  # ❶..❾
_EXTRA_DIGITS.update({chr(0x1F101 + n): str(n) for n in range(10)})  # 🄁..


_ASCII = frozenset(map(chr, range(128)))


@lru_cache(maxsize=4096)
def _normalise_char(char: str) -> str:
    if char in _INVISIBLE:
        return ""
    if char in _EXTRA_DIGITS:
        return _EXTRA_DIGITS[char]
    return unicodedata.normalize("NFKC", char)


@dataclass(frozen=True)
class Normalised:
    """Normalised text and, for each of its characters, the offset in the original text."""

    text: str
    origin: tuple[int, ...] | None  # None: identical to the original

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        if self.origin is None:
            return start, end
        if start >= len(self.origin):
            return len(self.origin), len(self.origin)
        last = self.origin[max(start, end - 1)]
        return self.origin[start], last + 1


def normalise(text: str) -> Normalised:
    """NFKC per character (full-width and keycap digits become ASCII), invisibles removed."""
    if text.isascii():
        return Normalised(text, None)
    changed = {
        char: replaced
        for char in set(text).difference(_ASCII)
        if (replaced := _normalise_char(char)) != char
    }
    if not changed:
        return Normalised(text, None)  # e.g. Romanian letters: nothing to change
    # Only the characters that change are visited; the text between them is copied whole.
    pieces: list[str] = []
    origin: list[int] = []
    done = 0
    for match in _any_of(frozenset(changed)).finditer(text):
        index = match.start()
        pieces.append(text[done:index])
        origin.extend(range(done, index))
        replaced = changed[match.group()]
        pieces.append(replaced)
        origin.extend([index] * len(replaced))
        done = index + 1
    pieces.append(text[done:])
    origin.extend(range(done, len(text)))
    return Normalised("".join(pieces), tuple(origin))


@lru_cache(maxsize=1024)
def _any_of(chars: frozenset[str]) -> re.Pattern[str]:
    return re.compile("[" + "".join(re.escape(char) for char in sorted(chars)) + "]")


def strip_marks(text: str) -> str:
    if text.isascii():  # most words of most adverts: nothing to decompose
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_ASCII_WORD = re.compile(r"[a-z0-9]+")  # the same on lower-case ASCII text, and much cheaper
_ASCII_WORD_BYTES = re.compile(rb"[a-z0-9]+")


def words(text: str) -> list[str]:
    """Lower-case words without diacritics, digits masked so a template keeps its shape."""
    if text.isascii():
        tokens = _ASCII_WORD.findall(text.lower())
    else:
        tokens = _WORD.findall(strip_marks(text).casefold())
    return ["#" if token.isdigit() else token for token in tokens]


def encoded_words(text: str) -> list[bytes]:
    """`words`, UTF-8 encoded (what shingles hash). ASCII text is read as bytes from the
    start: encoding each word, or each shingle, cost more than finding the words."""
    if not text.isascii():
        return [token.encode() for token in words(text)]
    tokens = _ASCII_WORD_BYTES.findall(text.lower().encode())
    return [b"#" if token.isdigit() else token for token in tokens]
