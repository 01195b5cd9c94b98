"""What an advert says: contact details (also obfuscated), ages, names, nationality terms,
towns, prices, social handles and language.

Every extractor returns the matched spans in the *original* text, so that pages can highlight
exactly the words that were read. Adverts are hostile input: nothing here trusts their shape.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import phonenumbers

from signpost.adverts.text import Normalised, normalise, strip_marks

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


def _runs(text: str) -> list[_Run]:
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
        if token == "+":
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


def extract_phones(text: str, normalised: Normalised | None = None) -> list[Found]:
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
    for run in _runs(norm.text):
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
            number = _accept(first + second, False)
            if number and number not in results:
                add(number, first, True)
                results[number].spans.append(norm.original_span(second[0].start, second[-1].end))
                index += 2
                continue
        index += 1
    return list(results.values())


# --- Emails ------------------------------------------------------------------------------------

COMMON_TLDS = "com|net|org|co\\.uk|co|uk|ro|eu|info|biz|io|me|de|fr|it|es|pl|bg|hu|al|ru|gmail|mail"
_AT = r"(?:\s*@\s*|\s*[\(\[\{<]\s*(?:at|@|arond|a)\s*[\)\]\}>]\s*|\s+(?:at|arond)\s+|\s*\bat\b\s*(?=[a-z0-9-]+\s*(?:\.|\(|\[|\s+dot\s|\s+punct\s)))"
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
    "com net org uk ro eu info biz io me de fr it es pl bg hu al ru nl be ie ch at cz sk lt lv "
    "ee md ua gr pt se no dk fi us ca au co app online site xyz".split()
)


def _clean_email(local: str, domain: str, tld: str) -> str:
    local = ".".join(_DOT_SPLIT.split(local))
    domain = ".".join(_DOT_SPLIT.split(domain))
    return f"{local}@{domain}.{tld}".lower()


def extract_emails(text: str, normalised: Normalised | None = None) -> list[Found]:
    norm = normalised or normalise(text)
    results: dict[str, Found] = {}
    for match in _EMAIL.finditer(norm.text):
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

_AGE_PATTERNS = [
    re.compile(
        r"\b(?P<age>[1-7]\d)\s?(?:yo|y/o|y\.o\.?|yrs?\b(?:\s?old)?|years?\b(?:\s?old)?|yr\b|ani\b|de ani\b)",
        re.IGNORECASE,
    ),
    re.compile(r"\b(?:age|aged|v[aâ]rst[aă])\s*[:=-]?\s*(?P<age>[1-7]\d)\b", re.IGNORECASE),
    re.compile(
        r"\b(?:i am|i'm|im|am)\s+(?:only\s+|doar\s+)?(?P<age>[1-7]\d)\b(?!\s*(?:£|lei|%|pounds|min))",
        re.IGNORECASE,
    ),
]
MIN_AGE, MAX_AGE = 14, 75


def extract_ages(text: str) -> list[Found]:
    results: dict[int, Found] = {}
    for pattern in _AGE_PATTERNS:
        for match in pattern.finditer(text):
            age = int(match.group("age"))
            if MIN_AGE <= age <= MAX_AGE:
                results.setdefault(age, Found(age, [])).spans.append(match.span())
    return sorted(results.values(), key=lambda found: found.value)


_NAME_LEAD = (
    r"(?i:\b(?:my name is|my name's|name is|name:|i am|i'm|im|call me|ask for|this is|"
    r"m[aă] numesc|numele meu este|numele meu e|sunt|eu sunt)\s+)"
)
_NAME = re.compile(_NAME_LEAD + r"(?P<name>[A-ZĂÂÎȘŞȚŢÁÉÍÓÚ][a-zăâîșşțţáéíóúñ]{2,15})\b")
NOT_NAMES = frozenset(
    """new here back available young sweet sexy hot real independent romanian english polish
    very the your just only not from in at a an so open waiting ready busy visiting
    noua nou disponibila aici tanara frumoasa singura independenta""".split()
)


def extract_names(text: str) -> list[Found]:
    results: dict[str, Found] = {}
    for match in _NAME.finditer(text):
        name = match.group("name")
        if strip_marks(name).lower() in NOT_NAMES:
            continue
        results.setdefault(name, Found(name, [])).spans.append(match.span("name"))
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
    # Romanian terms (diacritics optional)
    "romanca": "romanian", "romanca noua": "romanian", "romanie": "romanian",
    "româncă": "romanian", "româncuță": "romanian", "romancuta": "romanian",
    "poloneza": "polish", "poloneză": "polish", "bulgaroaica": "bulgarian",
    "bulgăroaică": "bulgarian", "unguroaica": "hungarian", "unguroaică": "hungarian",
    "albaneza": "albanian", "albaneză": "albanian", "moldoveanca": "moldovan",
    "moldoveancă": "moldovan", "rusoaica": "russian", "rusoaică": "russian",
    "ucraineanca": "ukrainian", "ucraineancă": "ukrainian", "braziliana": "brazilian",
    "braziliană": "brazilian", "asiatica": "asian", "asiatică": "asian",
    "latino": "latin_american", "europeana": "european", "europeană": "european",
    "est europeana": "eastern_european", "est-europeană": "eastern_european",
}  # fmt: skip
_NATIONALITY = re.compile(
    r"\b("
    + "|".join(
        re.escape(term).replace(r"\ ", r"[\s-]")
        for term in sorted(NATIONALITY_TERMS, key=len, reverse=True)
    )
    + r")\b",
    re.IGNORECASE,
)


def extract_nationalities(text: str) -> list[Found]:
    results: dict[str, Found] = {}
    for match in _NATIONALITY.finditer(text):
        key = re.sub(r"[\s-]+", " ", match.group().lower())
        code = NATIONALITY_TERMS.get(key) or NATIONALITY_TERMS.get(match.group().lower())
        if code is None:
            continue
        results.setdefault(code, Found(code, [])).spans.append(match.span())
    return list(results.values())


@dataclass(frozen=True)
class Town:
    name: str
    region: str
    latitude: float
    longitude: float


# Town names that are also ordinary words only count when capitalised.
AMBIGUOUS_TOWNS = frozenset({"Reading", "Bath", "Hull", "Aston", "Poole", "Corby", "Derry"})


@cache
def uk_towns() -> dict[str, Town]:
    """Every shipped town by lower-case name and alias."""
    towns: dict[str, Town] = {}
    with (DATA_DIR / "uk_towns.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            town = Town(row["name"], row["region"], float(row["latitude"]), float(row["longitude"]))
            towns[town.name.lower()] = town
            for alias in filter(None, row["aliases"].split("|")):
                towns[alias.lower()] = town
    return towns


@cache
def _town_pattern() -> re.Pattern[str]:
    names = sorted(uk_towns(), key=len, reverse=True)
    alternatives = "|".join(
        re.escape(name).replace(r"\ ", r"[\s-]+").replace(r"\-", r"[\s-]+") for name in names
    )
    return re.compile(rf"(?<![\w'])({alternatives})(?![\w'])", re.IGNORECASE)


def find_town(name: str) -> Town | None:
    key = re.sub(r"[\s-]+", " ", name.strip().lower())
    town = uk_towns().get(key) or uk_towns().get(key.replace(" ", "-"))
    if town is None:
        match = _town_pattern().search(name)
        if match:
            return find_town(match.group()) if match.group().lower() != key else None
    return town


def extract_towns(text: str) -> list[Found]:
    results: dict[str, Found] = {}
    for match in _town_pattern().finditer(text):
        word = match.group()
        key = re.sub(r"[\s-]+", " ", word.lower())
        town = uk_towns().get(key) or uk_towns().get(re.sub(r"[\s-]+", "-", word.lower()))
        if town is None:
            continue
        if town.name in AMBIGUOUS_TOWNS and not word[0].isupper():
            continue
        results.setdefault(town.name, Found(town.name, [])).spans.append(match.span())
    return list(results.values())


_PRICE = re.compile(
    r"(?:(?P<pre>£|€|gbp|eur)\s?(?P<a>\d{2,4})|(?P<b>\d{2,4})\s?(?P<post>£|€|gbp|eur|euro|pounds?|quid|lei|ron)(?!\w))"
    r"(?:\s?(?:/|per|an?|pe|la)\s?(?P<unit>hour|hr|h|half hour|30\s?min|15\s?min|ora|oră|jumatate de ora|night|noapte))?",
    re.IGNORECASE,
)
CURRENCIES = {"£": "GBP", "gbp": "GBP", "pounds": "GBP", "pound": "GBP", "quid": "GBP",
              "€": "EUR", "eur": "EUR", "euro": "EUR", "lei": "RON", "ron": "RON"}  # fmt: skip


def extract_prices(text: str) -> list[Found]:
    results: list[Found] = []
    for match in _PRICE.finditer(text):
        symbol = (match.group("pre") or match.group("post") or "").lower()
        amount = int(match.group("a") or match.group("b"))
        value = {"amount": amount, "currency": CURRENCIES.get(symbol, "GBP")}
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


def extract_handles(text: str) -> list[Found]:
    results: dict[str, Found] = {}
    for pattern in (_HANDLE_URL, _HANDLE_LABELLED, _HANDLE_AT):
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


# --- Language ----------------------------------------------------------------------------------

DETECTED_LANGUAGES = (
    "ENGLISH",
    "ROMANIAN",
    "POLISH",
    "BULGARIAN",
    "HUNGARIAN",
    "ALBANIAN",
    "SPANISH",
)


@cache
def language_detector() -> Any:
    """Built once a process: lingua ships its models; fewer languages make it faster."""
    from lingua import Language, LanguageDetectorBuilder

    languages = [getattr(Language, name) for name in DETECTED_LANGUAGES]
    return LanguageDetectorBuilder.from_languages(*languages).with_low_accuracy_mode().build()


def detect_language(text: str) -> str:
    if len(text.strip()) < 12:
        return ""
    language = language_detector().detect_language_of(text)
    return language.iso_code_639_1.name.lower() if language is not None else ""


def detect_languages(texts: list[str]) -> list[str]:
    detector = language_detector()
    results = (
        detector.detect_languages_in_parallel_of(texts)
        if len(texts) > 1
        else [detector.detect_language_of(texts[0])]
        if texts
        else []
    )
    return [
        language.iso_code_639_1.name.lower()
        if language is not None and len(text.strip()) >= 12
        else ""
        for language, text in zip(results, texts, strict=True)
    ]


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


def extract(text: str, *, language: str | None = None) -> Extraction:
    """All extractors over one advert's text (title and body joined by a blank line)."""
    norm = normalise(text)
    return Extraction(
        phones=extract_phones(text, norm),
        emails=extract_emails(text, norm),
        ages=extract_ages(norm.text)
        if norm.origin is None
        else _remap(extract_ages(norm.text), norm),
        names=extract_names(text),
        nationalities=extract_nationalities(text),
        towns=extract_towns(text),
        prices=extract_prices(norm.text)
        if norm.origin is None
        else _remap(extract_prices(norm.text), norm),
        handles=extract_handles(text),
        language=detect_language(text) if language is None else language,
    )


def _remap(items: list[Found], norm: Normalised) -> list[Found]:
    for item in items:
        item.spans = [norm.original_span(start, end) for start, end in item.spans]
    return items
