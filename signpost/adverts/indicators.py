"""The advert indicator catalogue (data/indicators.json, documented in INDICATORS.md) and the
code that shows which indicators fired and on which words.

Indicators are evidence for a reviewer, never a verdict: each hit keeps the words it fired on
and the catalogue keeps the published source and how much weight evaluations give it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from signpost.adverts.extraction import Extraction

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


@cache
def _family_patterns() -> list[tuple[str, re.Pattern[str]]]:
    """One alternation per indicator (all languages: adverts mix them)."""
    combined = []
    for indicator in catalogue().values():
        parts = [p.pattern for patterns in indicator.patterns.values() for p in patterns]
        if parts:
            combined.append((indicator.code, re.compile("|".join(f"(?:{p})" for p in parts))))
    return combined


@cache
def _one_pass() -> tuple[re.Pattern[str], list[tuple[str, int]]]:
    """All indicator families in one scan of the text, with the same hits as one scan each.

    Every catalogue pattern starts at the beginning of a word (`\\b` then a word character),
    so at each word start an optional lookahead per family captures what that family's own
    scan would match there; the nested conditionals make positions where no family matches
    fail fast, so Python only sees hits.
    Overlaps between families are kept (each family has its own group); overlaps within a
    family are dropped in `detect`, as a family's own finditer would.
    """
    families = _family_patterns()
    for indicator in catalogue().values():
        for patterns in indicator.patterns.values():
            if any(not pattern.pattern.startswith(r"\b") for pattern in patterns):
                raise ImproperlyConfigured("indicator patterns must start at a word boundary")
    lookaheads = "".join(f"(?=({pattern.pattern})|)" for _, pattern in families)
    required = "(?!)"
    for number in range(len(families), 0, -1):
        required = f"(?({number})|{required})"
    combined = re.compile(rf"\b(?=\w){lookaheads}{required}")
    if combined.groups != len(families):
        raise ImproperlyConfigured("indicator patterns must not contain capturing groups")
    return combined, [(code, number) for number, (code, _) in enumerate(families, start=1)]


Hits = dict[str, list[tuple[int, int]]]


def detect(text: str, extraction: Extraction) -> Hits:
    """Indicators that fire on one advert's text, each with the spans it fired on.

    Patterns are written in lower case and run over the lower-cased text: much faster than
    case-insensitive matching, and offsets stay valid when lowering keeps the length.
    """
    hits: Hits = {}
    lowered = text.lower()
    if len(lowered) != len(text):
        lowered = text
    pattern, groups = _one_pass()
    ends: dict[str, int] = {}
    for match in pattern.finditer(lowered):
        for code, number in groups:
            start, end = match.span(number)
            if start >= 0 and start >= ends.get(code, 0):
                hits.setdefault(code, []).append((start, end))
                ends[code] = end
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
