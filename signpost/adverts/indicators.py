"""The advert indicator catalogue (data/indicators.json, documented in INDICATORS.md) and the
code that shows which indicators fired and on which words.

Indicators are evidence for a reviewer, never a verdict: each hit keeps the words it fired on
and the catalogue keeps the published source and how much weight evaluations give it.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from signpost.adverts.extraction import Extraction
from signpost.adverts.words import WordGate, Words

CATALOGUE_PATH = Path(__file__).resolve().parent / "data" / "indicators.json"
YOUNG_AGE = 20  # a stated age at or under this counts as youth emphasis
CIRCUIT_DAYS = 7

WEIGHT_LABELS = {1: _("weak"), 2: _("moderate"), 3: _("strong")}


@dataclass(frozen=True)
class Indicator:
    code: str
    kind: str
    weight: int
    name: str
    description: str
    patterns: dict[str, tuple[re.Pattern[str], ...]]
    sources: tuple[str, ...]
    caution: str

    @property
    def weight_label(self) -> str:
        return str(WEIGHT_LABELS[self.weight])


@cache
def catalogue() -> dict[str, Indicator]:
    data = json.loads(CATALOGUE_PATH.read_text(encoding="utf-8"))
    indicators = {}
    for row in data["indicators"]:
        indicators[row["code"]] = Indicator(
            code=row["code"],
            kind=row["kind"],
            weight=int(row["weight"]),
            name=row["name"],
            description=row["description"],
            patterns={
                language: tuple(re.compile(pattern) for pattern in patterns)
                for language, patterns in row["patterns"].items()
            },
            sources=tuple(row["sources"]),
            caution=row.get("caution", ""),
        )
    return indicators


@cache
def sources() -> dict[str, str]:
    return dict(json.loads(CATALOGUE_PATH.read_text(encoding="utf-8"))["sources"])


Hits = dict[str, list[tuple[int, int]]]


@dataclass(frozen=True)
class _Family:
    """One indicator's patterns (all languages: adverts mix them) as one alternation."""

    code: str
    gate: WordGate


@cache
def _families() -> list[_Family]:
    families = []
    for indicator in catalogue().values():
        patterns = [p.pattern for patterns in indicator.patterns.values() for p in patterns]
        if not patterns:
            continue
        if any(not pattern.startswith(r"\b") for pattern in patterns):
            raise ImproperlyConfigured("indicator patterns must start at a word boundary")
        alternation = re.compile("|".join(f"(?:{pattern})" for pattern in patterns))
        families.append(_Family(indicator.code, WordGate(alternation)))
    return families


@cache
def _families_starting_with() -> dict[str, tuple[int, ...]]:
    """For each word an indicator's matches can start with, the families (by position)."""
    families: dict[str, list[int]] = defaultdict(list)
    for index, family in enumerate(_families()):
        for word in family.gate.letters or ():
            families[word].append(index)
    return {word: tuple(indexes) for word, indexes in families.items()}


@cache
def _first_letters() -> frozenset[str]:
    """Every word an indicator's matches can start with."""
    return frozenset(_families_starting_with())


@cache
def _families_always_tried() -> tuple[int, ...]:
    """Families whose matches may start with digits, or whose first words are not listed."""
    return tuple(
        index
        for index, family in enumerate(_families())
        if family.gate.letters is None or family.gate.digits
    )


def _pattern_hits(lowered: str, words: Words) -> Hits:
    """Each family's matches, tried only where one of its first words stands."""
    families = _families()
    # Families share first words ("i", "new", "in"): each is looked for once, and only the
    # families whose first words the text holds are tried (asking each family which of the
    # text's words it starts with cost a fifth of the indicators' time).
    starts_of = words.starts_of(_first_letters() & words.first_part_set)
    starts: dict[int, list[int]] = {index: [] for index in _families_always_tried()}
    starting_with = _families_starting_with()
    for word, word_starts in starts_of.items():
        for index in starting_with[word]:
            starts.setdefault(index, []).extend(word_starts)
    hits: Hits = {}
    for index in sorted(starts):  # in the catalogue's order, as stored
        family = families[index]
        found = family.gate.matches_from(lowered, starts[index])
        if found:
            hits[family.code] = [match.span() for match in found]
    return hits


def detect(text: str, extraction: Extraction, words: Words | None = None) -> Hits:
    """Indicators that fire on one advert's text, each with the spans it fired on.

    Patterns are written in lower case and run over the lower-cased text: much faster than
    case-insensitive matching, and offsets stay valid when lowering keeps the length.
    """
    lowered = text.lower()
    if len(lowered) == len(text):
        hits = _pattern_hits(lowered, words or Words(text))
    else:
        hits = {}
        for family in _families():
            found = [match.span() for match in family.gate.pattern.finditer(text)]
            if found:
                hits[family.code] = found
    young = [span for age in extraction.ages if age.value <= YOUNG_AGE for span in age.spans]
    if young:
        hits.setdefault("youth", []).extend(young)
    nationality = [span for found in extraction.nationalities for span in found.spans]
    if nationality:
        hits["nationality"] = nationality
    obfuscated = [
        span
        for found in (*extraction.phones, *extraction.emails)
        if found.obfuscated
        for span in found.spans
    ]
    if obfuscated:
        hits["obfuscated_contact"] = obfuscated
    return {code: sorted(set(spans)) for code, spans in hits.items()}


def ranked(codes: dict[str, int]) -> list[dict[str, Any]]:
    """Indicator counts as reasons, strongest evidence first (weight, then how often)."""
    known = catalogue()
    pairs = [(known[code], count) for code, count in codes.items() if code in known]
    pairs.sort(key=lambda pair: (-pair[0].weight, -pair[1], pair[0].code))
    return [{"indicator": indicator, "count": count} for indicator, count in pairs]


def evidence_key(codes: dict[str, int], advert_count: int = 1) -> tuple[int, int, int, int]:
    """Sort key for review: strong organisation evidence first, then moderate, then weak.

    A tuple, not a blended score, so that the order can be explained: "two strong reasons"
    always outranks "many weak ones".
    """
    weights = {code: indicator.weight for code, indicator in catalogue().items()}
    strong = sum(1 for code in codes if weights.get(code) == 3)
    moderate = sum(1 for code in codes if weights.get(code) == 2)
    weak = sum(1 for code in codes if weights.get(code) == 1)
    return (strong, moderate, weak, advert_count)


def highlight_segments(text: str, hits: dict[str, list[Any]]) -> list[dict[str, Any]]:
    """The text cut into plain and highlighted segments, for escaped rendering in templates.

    Overlapping spans are merged; each highlighted segment lists the indicator codes on it.
    """
    marks: list[tuple[int, int, str]] = []
    for code, spans in hits.items():
        for start, end in spans:
            if 0 <= start < end <= len(text):
                marks.append((start, end, code))
    marks.sort()
    segments: list[dict[str, Any]] = []
    position = 0
    index = 0
    while index < len(marks):
        start, end, code = marks[index]
        codes = {code}
        index += 1
        while index < len(marks) and marks[index][0] < end:
            end = max(end, marks[index][1])
            codes.add(marks[index][2])
            index += 1
        start = max(start, position)
        if start > position:
            segments.append({"text": text[position:start], "codes": []})
        if end > start:
            segments.append({"text": text[start:end], "codes": sorted(codes)})
        position = max(position, end)
    if position < len(text):
        segments.append({"text": text[position:], "codes": []})
    return segments
