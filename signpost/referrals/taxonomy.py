"""The indicator taxonomy: signs of exploitation, each with its weight and its published source.

Loaded once from data/indicators.json and validated, so a broken data file fails at start-up,
not in the middle of a referral. Referral forms, risk scoring and advert analysis all read it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.utils.translation import get_language

DATA_FILE = Path(__file__).resolve().parent / "data" / "indicators.json"
APPLIES_TO = frozenset({"referral", "advert"})


class TaxonomyError(ValueError):
    """The taxonomy data file is malformed."""


@dataclass(frozen=True)
class Source:
    code: str
    title: str
    publisher: str


@dataclass(frozen=True)
class Family:
    code: str
    labels: dict[str, str]

    @property
    def label(self) -> str:
        return _in_language(self.labels)


@dataclass(frozen=True)
class Indicator:
    code: str
    family: str
    labels: dict[str, str]
    help_texts: dict[str, str]
    weight: int
    source: Source
    applies_to: frozenset[str]

    @property
    def label(self) -> str:
        return _in_language(self.labels)

    @property
    def help_text(self) -> str:
        return _in_language(self.help_texts)

    def label_in(self, language: str) -> str:
        return self.labels.get(language) or self.labels["en"]


@dataclass(frozen=True)
class Taxonomy:
    languages: tuple[str, ...]
    sources: dict[str, Source]
    families: tuple[Family, ...]
    indicators: dict[str, Indicator]


def _in_language(texts: dict[str, str]) -> str:
    language = (get_language() or "en").split("-")[0]
    return texts.get(language) or texts["en"]


def _texts(raw: Any, languages: tuple[str, ...], where: str) -> dict[str, str]:
    if not isinstance(raw, dict):
        raise TaxonomyError(f"{where}: expected texts by language")
    missing = [language for language in languages if not str(raw.get(language, "")).strip()]
    if missing:
        raise TaxonomyError(f"{where}: no text in {', '.join(missing)}")
    return {language: str(raw[language]) for language in languages}


def parse(raw: dict[str, Any]) -> Taxonomy:
    """Validate the data file's structure; every problem names the entry it is in."""
    languages = tuple(raw.get("languages") or ())
    if "en" not in languages:
        raise TaxonomyError("languages must include en")
    sources = {
        code: Source(code=code, title=str(entry["title"]), publisher=str(entry["publisher"]))
        for code, entry in raw.get("sources", {}).items()
    }
    families = tuple(
        Family(code=entry["code"], labels=_texts(entry.get("label"), languages, entry["code"]))
        for entry in raw.get("families", [])
    )
    family_codes = {family.code for family in families}
    if len(family_codes) != len(families):
        raise TaxonomyError("family codes must be unique")
    indicators: dict[str, Indicator] = {}
    for entry in raw.get("indicators", []):
        code = entry.get("code")
        if not code or code in indicators:
            raise TaxonomyError(f"indicator code missing or repeated: {code!r}")
        if entry.get("family") not in family_codes:
            raise TaxonomyError(f"{code}: unknown family {entry.get('family')!r}")
        if entry.get("source") not in sources:
            raise TaxonomyError(f"{code}: unknown source {entry.get('source')!r}")
        weight = entry.get("weight")
        if not isinstance(weight, int) or isinstance(weight, bool) or not 0 < weight <= 10:
            raise TaxonomyError(f"{code}: weight must be a whole number from 1 to 10")
        applies_to = frozenset(entry.get("applies_to") or ())
        if not applies_to or not applies_to <= APPLIES_TO:
            raise TaxonomyError(f"{code}: applies_to must be among {sorted(APPLIES_TO)}")
        indicators[code] = Indicator(
            code=code,
            family=entry["family"],
            labels=_texts(entry.get("label"), languages, f"{code} label"),
            help_texts=_texts(entry.get("help"), languages, f"{code} help"),
            weight=weight,
            source=sources[entry["source"]],
            applies_to=applies_to,
        )
    return Taxonomy(languages=languages, sources=sources, families=families, indicators=indicators)


@cache
def taxonomy() -> Taxonomy:
    with DATA_FILE.open(encoding="utf-8") as handle:
        return parse(json.load(handle))


def indicators(applies_to: str | None = None) -> list[Indicator]:
    """Every indicator in data-file order, or those that apply to referrals or to adverts."""
    return [
        indicator
        for indicator in taxonomy().indicators.values()
        if applies_to is None or applies_to in indicator.applies_to
    ]


def indicator(code: str) -> Indicator:
    """The indicator with this code; KeyError for an unknown code."""
    return taxonomy().indicators[code]


def families(applies_to: str | None = None) -> list[tuple[Family, list[Indicator]]]:
    """Families in order, each with its indicators (families left empty by the filter dropped)."""
    chosen = indicators(applies_to)
    grouped = [
        (family, [item for item in chosen if item.family == family.code])
        for family in taxonomy().families
    ]
    return [(family, members) for family, members in grouped if members]
