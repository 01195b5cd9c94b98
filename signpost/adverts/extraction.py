"""What an advert says: contact details (also obfuscated), ages, names, nationality terms,
towns, prices, social handles and language.

Every extractor returns the matched spans in the *original* text, so that pages can highlight
exactly the words that were read. Adverts are hostile input: nothing here trusts their shape.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import phonenumbers

from signpost.adverts.language import detect_language
from signpost.adverts.text import Normalised, normalise, strip_marks
from signpost.adverts.words import WordGate, Words, occurrences

DATA_DIR = Path(__file__).resolve().parent / "data"
Span = tuple[int, int]


@dataclass
class Found:
    """One extracted value and where it was written (offsets into the original text)."""

    value: Any
    spans: list[Span]
    obfuscated: bool = False


# --- Phone numbers ---------------------------------------------------------------------------

DIGIT_WORDS = {
    # English
    "zero": "0", "oh": "0", "o": "0", "nought": "0", "nil": "0",
    "one": "1", "two": "2", "three": "3", "four": "4", "five": "5",
    "six": "6", "seven": "7", "eight": "8", "nine": "9",
    # Romanian (diacritics are stripped before the lookup)
    "unu": "1", "una": "1", "doi": "2", "doua": "2", "trei": "3", "patru": "4",
    "cinci": "5", "sase": "6", "sapte": "7", "opt": "8", "noua": "9",
    # Look-alike letters standing alone
    "l": "1", "i": "1",
}  # fmt: skip
MULTIPLIERS = {"double": 2, "triple": 3, "dublu": 2, "triplu": 3}
# Words people put between the parts of a number so that filters miss it.
FILLER_WORDS = frozenset({"and", "then", "si", "apoi", "dash", "space", "dot", "punct", "liniuta"})
SEPARATOR_CHARS = frozenset(".-/()[]{}_*,:~|'\"=>")
LOOKALIKE_DIGITS = str.maketrans({"o": "0", "O": "0", "l": "1", "I": "1", "i": "1", "|": "1"})
_LOOKALIKE_TOKEN = re.compile(r"[0-9oOlIi|]+")
_TOKEN = re.compile(r"[^\W_]+|\+|\S", re.UNICODE)
FALLBACK_REGIONS = ("GB", "RO")
MIN_DIGITS, MAX_DIGITS = 9, 15


@lru_cache(maxsize=200_000)
def phone_to_e164(digits: str, international: bool = False) -> str | None:
    """The E.164 form of a digit string, if it is a valid number (UK first, then Romania)."""
    candidates: list[tuple[str, str | None]] = []
    if international:
        candidates.append(("+" + digits, None))
    elif digits.startswith("00"):
        candidates.append(("+" + digits[2:], None))
    else:
        candidates.extend((digits, region) for region in FALLBACK_REGIONS)
        if not digits.startswith("0"):
            candidates.append(("+" + digits, None))
    for text, region in candidates:
        try:
            number = phonenumbers.parse(text, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return None


@dataclass
class _Piece:
    digits: str
    start: int
    end: int
    disguised: bool  # written as words, look-alike letters or a single digit at a time


@dataclass
class _Run:
    pieces: list[_Piece] = field(default_factory=list)
    international: bool = False
    plus_start: int = -1
    padded: bool = False  # filler words ("and then") between the parts


def _digits_of(token: str) -> tuple[str, bool] | None:
    if token.isdigit():
        if token.isascii():
            return token, False
        return "".join(str(int(char)) for char in token), True
    folded = strip_marks(token).casefold() if not token.isascii() else token.lower()
    word = DIGIT_WORDS.get(folded)
    if word is not None:
        return word, True
    if _LOOKALIKE_TOKEN.fullmatch(token) and any(char.isdigit() for char in token):
        return token.translate(LOOKALIKE_DIGITS), True
    return None


def _lower_same_length(text: str) -> str:
    lowered = text.lower()
    return lowered if len(lowered) == len(text) else text


_DIGITS = re.compile(r"\d+")
_ASCII_DIGITS = re.compile(r"[0-9]+")  # the same on ASCII text: a set is cheaper than a class
ANCHOR_GAP = 14  # characters of separators or filler words between parts of one number
ANCHOR_MARGIN = 3


# Single letters ("o", "l", "i") only count next to other digits: they do not start a window.
_ANCHOR_WORDS = frozenset(word for word in (*DIGIT_WORDS, *MULTIPLIERS) if len(word) > 1)


def _candidate_windows(text: str, words: Words) -> list[tuple[int, int]]:
    """Stretches of text around digits and digit words: only these are tokenised."""
    digits = _ASCII_DIGITS if text.isascii() else _DIGITS
    anchors = [match.span() for match in digits.finditer(text)]
    anchor_words = _ANCHOR_WORDS & words.token_set
    if anchor_words:
        bounds = words.bounds
        anchors.extend(
            (bounds[2 * index], bounds[2 * index + 1]) for index in words.indexes(anchor_words)
        )
    if not anchors:
        return []
    anchors.sort()
    windows: list[list[int]] = []
    for start, end in anchors:
        if windows and start - windows[-1][1] <= ANCHOR_GAP:
            windows[-1][1] = max(windows[-1][1], end)
        else:
            windows.append([start, end])
    snapped: list[tuple[int, int]] = []
    for start, end in windows:
        start = max(0, start - ANCHOR_MARGIN)
        while start > 0 and not text[start - 1].isspace():
            start -= 1
        end = min(len(text), end + ANCHOR_MARGIN)
        while end < len(text) and not text[end].isspace():
            end += 1
        if snapped and start <= snapped[-1][1]:
            snapped[-1] = (snapped[-1][0], max(end, snapped[-1][1]))
        else:
            snapped.append((start, end))
    return snapped


def _runs(text: str, words: Words | None = None) -> list[_Run]:
    runs: list[_Run] = []
    for window_start, window_end in _candidate_windows(text, words or Words(text)):
        for run in _runs_in(text[window_start:window_end]):
            for piece in run.pieces:
                piece.start += window_start
                piece.end += window_start
            if run.plus_start >= 0:
                run.plus_start += window_start
            runs.append(run)
    return runs


def _runs_in(text: str) -> list[_Run]:
    """Sequences of digit-like tokens separated only by separators and filler words."""
    runs: list[_Run] = []
    current = _Run()
    multiplier = 1
    last_end = 0

    def close() -> None:
        nonlocal current
        if current.pieces:
            runs.append(current)
            current = _Run()
        elif current.international:  # a "+" that no digits followed
            current = _Run()
        # else: most words close a run that holds nothing, which can stay open

    for match in _TOKEN.finditer(text):
        token = match.group()
        gap = text[last_end : match.start()]
        if "\n\n" in gap:
            close()
        last_end = match.end()
        digits = _digits_of(token)
        if digits is not None:
            value, disguised = digits
            if multiplier > 1:
                value, disguised, multiplier = value * multiplier, True, 1
            current.pieces.append(_Piece(value, match.start(), match.end(), disguised))
            continue
        folded = token.lower()
        if folded in MULTIPLIERS:
            multiplier = MULTIPLIERS[folded]
            continue
        if token == "+":  # noqa: S105 - a plus sign, not a password
            if not current.pieces:
                current.international = True
                current.plus_start = match.start()
            continue
        if token in SEPARATOR_CHARS:
            continue
        if folded in FILLER_WORDS:
            current.padded = current.padded or bool(current.pieces)
            continue
        multiplier = 1
        close()
    close()
    return runs


def _accept(pieces: list[_Piece], international: bool) -> str | None:
    digits = "".join(piece.digits for piece in pieces)
    if not MIN_DIGITS <= len(digits) <= MAX_DIGITS:
        return None
    return phone_to_e164(digits, international)


def _is_disguised(pieces: list[_Piece]) -> bool:
    singles = sum(1 for piece in pieces if len(piece.digits) == 1 and not piece.disguised)
    return any(piece.disguised for piece in pieces) or singles >= 3


def _phones_in_run(run: _Run) -> tuple[list[tuple[str, list[_Piece]]], list[_Piece]]:
    """Valid numbers in a run (longest first from each start), and the pieces left over."""
    pieces = run.pieces[:60]
    whole = _accept(pieces, run.international)
    if whole:
        return [(whole, pieces)], []
    found: list[tuple[str, list[_Piece]]] = []
    leftovers: list[_Piece] = []
    index = 0
    while index < len(pieces):
        best: tuple[str, int] | None = None
        length = 0
        for stop in range(index, len(pieces)):
            length += len(pieces[stop].digits)
            if length > MAX_DIGITS:
                break
            if length >= MIN_DIGITS:
                number = _accept(pieces[index : stop + 1], run.international and index == 0)
                if number:
                    best = (number, stop)
        if best:
            found.append((best[0], pieces[index : best[1] + 1]))
            index = best[1] + 1
        else:
            leftovers.append(pieces[index])
            index += 1
    return found, leftovers


SPLIT_JOIN_DISTANCE = 60


def extract_phones(
    text: str,
    normalised: Normalised | None = None,
    words: Words | None = None,
) -> list[Found]:
    norm = normalised or normalise(text)
    results: dict[str, Found] = {}

    def add(number: str, pieces: list[_Piece], obfuscated: bool, plus_start: int = -1) -> None:
        start = plus_start if plus_start >= 0 else pieces[0].start
        span = norm.original_span(start, pieces[-1].end)
        changed = (
            norm.origin is not None and text[span[0] : span[1]] != norm.text[start : pieces[-1].end]
        )
        entry = results.setdefault(number, Found(number, []))
        entry.spans.append(span)
        entry.obfuscated = entry.obfuscated or obfuscated or changed

    leftover_groups: list[list[_Piece]] = []
    for run in _runs(norm.text, words if norm.origin is None else None):
        found, leftovers = _phones_in_run(run)
        for number, pieces in found:
            plus = run.plus_start if run.international and pieces[0] is run.pieces[0] else -1
            add(number, pieces, run.padded or _is_disguised(pieces), plus)
        if leftovers:
            leftover_groups.append(leftovers)
    # A number split across the text ("07911 ... message me ... 123456"): join neighbouring
    # leftover fragments that are not numbers by themselves.
    fragments = [group for group in leftover_groups if sum(len(p.digits) for p in group) >= 3]
    index = 0
    while index + 1 < len(fragments):
        first, second = fragments[index], fragments[index + 1]
        if second[0].start - first[-1].end <= SPLIT_JOIN_DISTANCE:
            joined = _accept(first + second, False)
            if joined and joined not in results:
                add(joined, first, True)
                results[joined].spans.append(norm.original_span(second[0].start, second[-1].end))
                index += 2
                continue
        index += 1
    return list(results.values())


# --- Emails ------------------------------------------------------------------------------------

COMMON_TLDS = "com|net|org|co\\.uk|co|uk|ro|eu|info|biz|io|me|de|fr|it|es|pl|bg|hu|al|ru|gmail|mail"
_AT = (
    r"(?:\s*@\s*|\s*[\(\[\{<]\s*(?:at|@|arond|a)\s*[\)\]\}>]\s*|\s+(?:at|arond)\s+"
    r"|\s*\bat\b\s*(?=[a-z0-9-]+\s*(?:\.|\(|\[|\s+dot\s|\s+punct\s)))"
)
_DOT = r"(?:\s*\.\s*|\s*[\(\[\{<]\s*(?:dot|\.|punct)\s*[\)\]\}>]\s*|\s+(?:dot|punct)\s+)"
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_LOCAL = r"[a-z0-9](?:[a-z0-9_%+-]|\.(?!\.)){0,63}"
_LOCAL_PART = rf"{_LOCAL}(?:{_DOT}{_LOCAL})*"
_EMAIL = re.compile(
    rf"(?<![a-z0-9_.%+-])(?P<local>{_LOCAL_PART}){_AT}(?P<domain>{_LABEL}(?:{_DOT}{_LABEL})*){_DOT}(?P<tld>[a-z]{{2,24}})\b",
    re.IGNORECASE,
)
_PLAIN_EMAIL = re.compile(r"[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,24}", re.IGNORECASE)
_DOT_SPLIT = re.compile(_DOT, re.IGNORECASE)
_RESERVED_WORDS = frozenset({"at", "dot", "punct", "arond"})
KNOWN_TLDS = frozenset(
    [
        "com",
        "net",
        "org",
        "uk",
        "ro",
        "eu",
        "info",
        "biz",
        "io",
        "me",
        "de",
        "fr",
        "it",
        "es",
        "pl",
        "bg",
        "hu",
        "al",
        "ru",
        "nl",
        "be",
        "ie",
        "ch",
        "at",
        "cz",
        "sk",
        "lt",
        "lv",
        "ee",
        "md",
        "ua",
        "gr",
        "pt",
        "se",
        "no",
        "dk",
        "fi",
        "us",
        "ca",
        "au",
        "co",
        "app",
        "online",
        "site",
        "xyz",
    ]
)


def _clean_email(local: str, domain: str, tld: str) -> str:
    local = ".".join(_DOT_SPLIT.split(local))
    domain = ".".join(_DOT_SPLIT.split(domain))
    return f"{local}@{domain}.{tld}".lower()


_EMAIL_HINT = re.compile(r"@|\b(?:at|arond)\b")  # run on lower-case text: IGNORECASE is slow
_EMAIL_HINT_ANY_CASE = re.compile(_EMAIL_HINT.pattern, re.IGNORECASE)
EMAIL_WINDOW = 90


@cache
def _at_word_gate() -> WordGate:
    return WordGate(re.compile(r"\b(?:at|arond)\b"))


def _email_hints(text: str, words: Words | None) -> list[tuple[int, int]]:
    """Where an "@" or the word "at" stands: _EMAIL_HINT's matches, found from the words."""
    lowered = text.lower()
    if len(lowered) != len(text):
        return [hint.span() for hint in _EMAIL_HINT_ANY_CASE.finditer(text)]
    if words is None:
        return [hint.span() for hint in _EMAIL_HINT.finditer(lowered)]
    hints = [(index, index + 1) for index in occurrences(text, "@")]
    hints.extend(match.span() for match in _at_word_gate().matches(lowered, words))
    return sorted(hints)


def _email_matches(text: str, words: Words | None = None) -> Iterator[re.Match[str]]:
    """Email matches, looking only around an "@" or an "at" (a full scan is slow)."""
    searched_to = 0
    for hint_start, hint_end in _email_hints(text, words):
        if hint_start < searched_to:
            continue
        start = max(searched_to, hint_start - EMAIL_WINDOW)
        if start > 0:
            space = text.find(" ", start, hint_start)
            start = space + 1 if space >= 0 else start
        end = min(len(text), hint_end + EMAIL_WINDOW)
        for match in _EMAIL.finditer(text, start, end):
            searched_to = max(searched_to, match.end())
            yield match
        searched_to = max(searched_to, hint_end)


def extract_emails(
    text: str, normalised: Normalised | None = None, words: Words | None = None
) -> list[Found]:
    norm = normalised or normalise(text)
    results: dict[str, Found] = {}
    for match in _email_matches(norm.text, words if norm.origin is None else None):
        tld = match.group("tld").lower()
        raw = match.group()
        plain = bool(_PLAIN_EMAIL.fullmatch(raw))
        if not plain and tld not in KNOWN_TLDS:
            continue
        local_words = {word.lower() for word in re.split(r"\W+", match.group("local"))}
        if not plain and local_words & _RESERVED_WORDS:
            continue
        email = _clean_email(match.group("local"), match.group("domain"), tld)
        span = norm.original_span(match.start(), match.end())
        entry = results.setdefault(email, Found(email, []))
        entry.spans.append(span)
        entry.obfuscated = entry.obfuscated or not plain or text[span[0] : span[1]] != raw
    return list(results.values())


# --- Ages, names, nationality, towns, prices, handles ------------------------------------------

# The lookbehind comes after the first digit so that the pattern starts with a character set,
# which the regex engine skips to; a leading lookbehind is tried at every position (5x slower).
_TWO_DIGITS = re.compile(r"[1-7](?<![\d£$€.,:/][1-7])\d(?![\d.,:/%£€])")
_AGE_AFTER = re.compile(r"\s?(?:yo\b|y/o|y\.o\.?|yrs?\b|years?\b|yr\b|ani\b|de ani\b|anisori\b)")
_AGE_BEFORE = re.compile(
    r"(?:\bage|\baged|\bv[aâ]rst[aă]|\bi am|\bi'm|\bim|\bam)\s*[:=-]?\s*(?:only\s+|doar\s+)?$"
)
_AGE_NOT_AFTER = re.compile(r"\s*(?:£|lei|pounds|min|mins|minutes|hour|euro|eur|gbp)")
MIN_AGE, MAX_AGE = 14, 75


def extract_ages(text: str) -> list[Found]:
    results: dict[int, Found] = {}
    lowered = _lower_same_length(text)
    for number in _TWO_DIGITS.finditer(lowered):
        start, end = number.span()
        after = _AGE_AFTER.match(lowered, end)
        if after:
            span = (start, after.end())
        elif _AGE_BEFORE.search(lowered, max(0, start - 24), start) and not _AGE_NOT_AFTER.match(
            lowered, end
        ):
            span = (start, end)
        else:
            continue
        age = int(number.group())
        if MIN_AGE <= age <= MAX_AGE:
            results.setdefault(age, Found(age, [])).spans.append(span)
    return sorted(results.values(), key=lambda found: found.value)


_NAME_LEAD = re.compile(
    r"\b(?:my name is|my name's|name is|name:|i am|i'm|im|call me|ask for|this is|"
    r"m[aă] numesc|numele meu este|numele meu e|sunt|eu sunt)\s+"
)
_NAME_WORD = re.compile(r"[A-ZĂÂÎȘŞȚŢÁÉÍÓÚ][a-zăâîșşțţáéíóúñ]{2,15}\b")


@cache
def _name_lead_gate() -> WordGate:
    return WordGate(_NAME_LEAD)


NOT_NAMES = frozenset(
    [
        "new",
        "here",
        "back",
        "available",
        "young",
        "sweet",
        "sexy",
        "hot",
        "real",
        "independent",
        "romanian",
        "english",
        "polish",
        "very",
        "the",
        "your",
        "just",
        "only",
        "not",
        "from",
        "in",
        "at",
        "a",
        "an",
        "so",
        "open",
        "waiting",
        "ready",
        "busy",
        "visiting",
        "noua",
        "nou",
        "disponibila",
        "aici",
        "tanara",
        "frumoasa",
        "singura",
        "independenta",
    ]
)


def extract_names(text: str, words: Words | None = None) -> list[Found]:
    results: dict[str, Found] = {}
    lowered = text.lower()
    if len(lowered) == len(text):
        leads = _name_lead_gate().matches(lowered, words or Words(text))
    else:
        leads = list(_NAME_LEAD.finditer(text))
    for lead in leads:
        match = _NAME_WORD.match(text, lead.end())
        if match is None:
            continue
        name = match.group()
        if strip_marks(name).lower() in NOT_NAMES:
            continue
        results.setdefault(name, Found(name, [])).spans.append(match.span())
    return list(results.values())


NATIONALITY_TERMS: dict[str, str] = {
    # English terms
    "romanian": "romanian", "polish": "polish", "bulgarian": "bulgarian",
    "hungarian": "hungarian", "albanian": "albanian", "lithuanian": "lithuanian",
    "latvian": "latvian", "czech": "czech", "slovak": "slovak", "ukrainian": "ukrainian",
    "russian": "russian", "moldovan": "moldovan", "brazilian": "brazilian",
    "spanish": "spanish", "italian": "italian", "portuguese": "portuguese", "thai": "thai",
    "chinese": "chinese", "vietnamese": "vietnamese", "filipina": "filipino",
    "nigerian": "nigerian", "english": "british", "british": "british",
    "eastern european": "eastern_european", "east european": "eastern_european",
    "european": "european", "asian": "asian", "oriental": "asian", "latina": "latin_american",
    "ebony": "black", "african": "african", "exotic": "exotic",
    # Romanian terms (looked up without diacritics)
    "romanca": "romanian", "romancuta": "romanian", "poloneza": "polish",
    "bulgaroaica": "bulgarian", "unguroaica": "hungarian", "albaneza": "albanian",
    "moldoveanca": "moldovan", "rusoaica": "russian", "ucraineanca": "ukrainian",
    "braziliana": "brazilian", "asiatica": "asian", "latino": "latin_american",
    "europeana": "european", "est europeana": "eastern_european",
}  # fmt: skip


class _PhraseTable:
    """A table of phrases (lower-case words joined by spaces) and, for each first word, the
    longest phrase it starts."""

    def __init__(self, table: dict[str, Any], longest: int) -> None:
        self.table = table
        self.longest = longest
        self.first_words: dict[str, int] = {}
        for key in table:
            parts = key.split(" ")
            self.first_words[parts[0]] = max(self.first_words.get(parts[0], 0), len(parts))
        self.first_word_set = frozenset(self.first_words)

    def lookup(self, words: Words) -> Iterator[tuple[Any, int, int, str]]:
        """Longest phrases found in the words: (value, start, end, key)."""
        present = self.first_word_set & words.token_set
        if not present:
            return
        tokens, bounds, table = words.tokens, words.bounds, self.table
        covered = -1
        for index in words.indexes(present):
            if index <= covered:
                continue
            most = min(self.first_words[tokens[index]], self.longest, len(tokens) - index)
            for size in range(most, 0, -1):
                key = " ".join(tokens[index : index + size])
                value = table.get(key)
                if value is not None:
                    yield value, bounds[2 * index], bounds[2 * (index + size) - 1], key
                    covered = index + size - 1
                    break


_NATIONALITIES = _PhraseTable(NATIONALITY_TERMS, 2)


def extract_nationalities(text: str, words: Words | None = None) -> list[Found]:
    results: dict[str, Found] = {}
    for code, start, end, _key in _NATIONALITIES.lookup(words or Words(text)):
        results.setdefault(code, Found(code, [])).spans.append((start, end))
    return list(results.values())


@dataclass(frozen=True)
class Town:
    name: str
    region: str
    latitude: float
    longitude: float


# Town names that are also ordinary words only count when capitalised.
AMBIGUOUS_TOWNS = frozenset({"Reading", "Bath", "Hull", "Aston", "Poole", "Corby", "Derry"})


def _town_key(name: str) -> str:
    return Words(name.replace("-", " ")).key()


@cache
def uk_towns() -> dict[str, Town]:
    """Every shipped town by its key (lower-case words) and by its aliases' keys."""
    towns: dict[str, Town] = {}
    with (DATA_DIR / "uk_towns.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            town = Town(row["name"], row["region"], float(row["latitude"]), float(row["longitude"]))
            towns[_town_key(town.name)] = town
            towns[town.name.lower()] = town
            for alias in filter(None, row["aliases"].split("|")):
                towns[_town_key(alias)] = town
    return towns


TOWN_WORDS = 4


@cache
def _town_table() -> _PhraseTable:
    return _PhraseTable(uk_towns(), TOWN_WORDS)


@lru_cache(maxsize=20_000)  # location fields repeat: a few hundred towns, written a few ways
def find_town(name: str) -> Town | None:
    """The town a location field names ("Birmingham city centre" is Birmingham)."""
    town = uk_towns().get(_town_key(name))
    if town is not None:
        return town
    for found, _start, _end, _key in _town_table().lookup(Words(name)):
        return found  # type: ignore[no-any-return]
    return None


def extract_towns(text: str, words: Words | None = None) -> list[Found]:
    results: dict[str, Found] = {}
    for town, start, end, _key in _town_table().lookup(words or Words(text)):
        if town.name in AMBIGUOUS_TOWNS and not text[start].isupper():
            continue
        results.setdefault(town.name, Found(town.name, [])).spans.append((start, end))
    return list(results.values())


_PRICE = re.compile(
    r"(?=[£€ge\d])"  # what a price can start with, so that other positions are skipped fast
    r"(?:(?P<pre>£|€|\bgbp|\beur)\s?(?P<a>\d{2,4})"  # "amateur 25" names no price
    r"|(?P<b>\d{2,4})\s?(?P<post>£|€|gbp|eur|euro|pounds?|quid|lei|ron)(?!\w))"
    r"(?:\s?(?:/|per|an?|pe|la)\s?(?P<unit>hour|hr|h|half hour|30\s?min|15\s?min|ora|oră"
    r"|jumatate de ora|night|noapte))?"
)
CURRENCIES = {"£": "GBP", "gbp": "GBP", "pounds": "GBP", "pound": "GBP", "quid": "GBP",
              "€": "EUR", "eur": "EUR", "euro": "EUR", "lei": "RON", "ron": "RON"}  # fmt: skip


# Every price names its currency with one of these (most adverts name none): a symbol, or a
# word standing on its own ("150lei" too: digits end a word). As substrings, the words are in
# many that are not currencies ("amateur", "front", "leisure").
_CURRENCY_SYMBOLS = ("£", "€")
_CURRENCY_WORDS = frozenset({"gbp", "eur", "euro", "pound", "pounds", "quid", "lei", "ron"})
_CURRENCY_MARKS = (*_CURRENCY_SYMBOLS, *sorted(_CURRENCY_WORDS))  # as substrings, in any text


def extract_prices(text: str, words: Words | None = None) -> list[Found]:
    """Prices with their currency. `words`, when given, must be the Words of this very text."""
    results: list[Found] = []
    if words is None:
        lowered = _lower_same_length(text)
        if not any(mark in lowered for mark in _CURRENCY_MARKS):
            return results
    elif _CURRENCY_WORDS.isdisjoint(words.first_part_set) and not any(
        symbol in text for symbol in _CURRENCY_SYMBOLS
    ):
        return results
    else:  # lowered only for the few adverts that name a currency
        lowered = _lower_same_length(text)
    for match in _PRICE.finditer(lowered):
        symbol = (match.group("pre") or match.group("post") or "").lower()
        amount = int(match.group("a") or match.group("b"))
        value: dict[str, Any] = {"amount": amount, "currency": CURRENCIES.get(symbol, "GBP")}
        if match.group("unit"):
            value["per"] = match.group("unit").lower()
        results.append(Found(value, [match.span()]))
    return results


_PLATFORMS = {
    "snap": "snapchat", "snapchat": "snapchat", "sc": "snapchat", "insta": "instagram",
    "instagram": "instagram", "ig": "instagram", "telegram": "telegram", "tg": "telegram",
    "kik": "kik", "onlyfans": "onlyfans", "twitter": "twitter", "tiktok": "tiktok",
    "signal": "signal", "wickr": "wickr", "skype": "skype",
}  # fmt: skip
_PLATFORM_WORDS = frozenset(_PLATFORMS)
_HANDLE_LABELLED = re.compile(
    r"\b(?P<platform>" + "|".join(sorted(_PLATFORMS, key=len, reverse=True)) + r")\b"
    r"\s*(?:[:\-=]|id|is|pe)?\s*@?(?P<handle>[A-Za-z][A-Za-z0-9_.]{2,29})",
    re.IGNORECASE,
)
_HANDLE_URL = re.compile(
    r"\b(?:t\.me|instagram\.com|onlyfans\.com|twitter\.com|x\.com|tiktok\.com/@?|snapchat\.com/add)"
    r"/@?(?P<handle>[A-Za-z0-9_.]{3,30})",
    re.IGNORECASE,
)
_HANDLE_AT = re.compile(r"(?<![\w.@])@(?P<handle>[A-Za-z][A-Za-z0-9_.]{2,29})")
NOT_HANDLES = frozenset({"me", "add", "on", "at", "my", "the", "and", "only", "or", "is", "for"})


_HANDLE_SITES = ("t.me", "instagram.com", "onlyfans.com", "twitter.com", "x.com", "tiktok.com",
                 "snapchat.com")  # fmt: skip


def _handle_patterns(text: str, words: Words) -> list[re.Pattern[str]]:
    """The handle patterns that can match this text: most adverts have no handle, and a
    case-insensitive scan for every platform name at every position costs more than the
    rest of the contact extraction."""
    patterns = []
    if "/" in text:
        lowered = text.lower()
        if any(site in lowered for site in _HANDLE_SITES):
            patterns.append(_HANDLE_URL)
    if not _PLATFORM_WORDS.isdisjoint(words.tokens):
        patterns.append(_HANDLE_LABELLED)
    if "@" in text:
        patterns.append(_HANDLE_AT)
    return patterns


def extract_handles(text: str, words: Words | None = None) -> list[Found]:
    results: dict[str, Found] = {}
    for pattern in _handle_patterns(text, words or Words(text)):
        for match in pattern.finditer(text):
            handle = match.group("handle").rstrip(".").lower()
            if handle in NOT_HANDLES or handle in _PLATFORMS:
                continue
            if "." in handle and handle.rsplit(".", 1)[-1] in KNOWN_TLDS:
                continue
            entry = results.setdefault(handle, Found(handle, []))
            if not any(start <= match.start() < end for start, end in entry.spans):
                entry.spans.append(match.span())
    return list(results.values())


# --- Everything at once ---------------------------------------------------------------------


@dataclass
class Extraction:
    phones: list[Found]
    emails: list[Found]
    ages: list[Found]
    names: list[Found]
    nationalities: list[Found]
    towns: list[Found]
    prices: list[Found]
    handles: list[Found]
    language: str = ""

    def as_json(self) -> dict[str, Any]:
        def rows(items: list[Found]) -> list[dict[str, Any]]:
            return [
                {
                    "value": item.value,
                    "spans": [list(span) for span in item.spans],
                    "obfuscated": item.obfuscated,
                }
                for item in items
            ]

        return {
            "phones": rows(self.phones),
            "emails": rows(self.emails),
            "ages": rows(self.ages),
            "names": rows(self.names),
            "nationalities": rows(self.nationalities),
            "towns": rows(self.towns),
            "prices": rows(self.prices),
            "handles": rows(self.handles),
            "language": self.language,
        }


def extract(text: str, *, language: str | None = None, words: Words | None = None) -> Extraction:
    """All extractors over one advert's text (title and body joined by a blank line)."""
    return extract_many([text], languages=[language], words=[words or Words(text)])[0]


def extract_many(
    texts: Sequence[str], *, languages: Sequence[str | None], words: Sequence[Words]
) -> list[Extraction]:
    """All extractors over many adverts' texts, each extractor over all of them in turn: an
    extractor's patterns and tables stay in the processor's caches from one text to the next
    (an import's worker spent 6% more going text by text)."""
    norms = [normalise(text) for text in texts]
    items = list(zip(texts, norms, words, strict=True))
    phones = [extract_phones(text, norm, word) for text, norm, word in items]
    emails = [extract_emails(text, norm, word) for text, norm, word in items]
    ages = [_on_normalised(extract_ages, norm) for norm in norms]
    names = [extract_names(text, word) for text, _norm, word in items]
    nationalities = [extract_nationalities(text, word) for text, _norm, word in items]
    towns = [extract_towns(text, word) for text, _norm, word in items]
    prices = [
        extract_prices(text, word) if norm.origin is None else _on_normalised(extract_prices, norm)
        for text, norm, word in items
    ]
    handles = [extract_handles(text, word) for text, _norm, word in items]
    return [
        Extraction(
            phones=phones[index],
            emails=emails[index],
            ages=ages[index],
            names=names[index],
            nationalities=nationalities[index],
            towns=towns[index],
            prices=prices[index],
            handles=handles[index],
            language=detect_language(text) if language is None else language,
        )
        for index, (text, language) in enumerate(zip(texts, languages, strict=True))
    ]


def _on_normalised(extractor: Callable[[str], list[Found]], norm: Normalised) -> list[Found]:
    """An extractor that reads normalised text, with spans in the original text."""
    found = extractor(norm.text)
    return found if norm.origin is None else _remap(found, norm)


def _remap(items: list[Found], norm: Normalised) -> list[Found]:
    for item in items:
        item.spans = [norm.original_span(start, end) for start, end in item.spans]
    return items
