"""Probabilistic matching of people with Splink 5 on DuckDB, independent of Django.

Records are plain dicts (see `prepare`); names are compared after folding diacritics and
transliteration (Ștefănescu, Stefanescu, Shtefanescu), nicknames are mapped to a canonical
first name (Ioni, Ioana), and swapped name order is a level of its own. Dates of birth and
estimated ages become a birth year so that either can match the other. The model's m and u
probabilities are fixed priors rather than trained: the charity's data is small, and a fixed
model gives the same weights and reasons every run.

The same code runs on Spark for national scale by swapping DuckDBAPI for SparkAPI.
"""

from __future__ import annotations

import datetime
import logging
import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

# Romanian (and a few English) nicknames and variants, to one canonical first name.
NICKNAMES = {
    "ioni": "ioana",
    "ionela": "ioana",
    "oana": "ioana",
    "nicu": "nicolae",
    "nicusor": "nicolae",
    "nick": "nicolae",
    "nicholas": "nicolae",
    "gigi": "gheorghe",
    "george": "gheorghe",
    "gica": "gheorghe",
    "ionut": "ion",
    "ionel": "ion",
    "john": "ion",
    "nelu": "ion",
    "misu": "mihai",
    "michael": "mihai",
    "mike": "mihai",
    "vasi": "vasile",
    "vali": "valentin",
    "cristi": "cristian",
    "costel": "constantin",
    "costi": "constantin",
    "dani": "daniel",
    "deea": "andreea",
    "anca": "ana",
    "anuta": "ana",
    "ani": "ana",
    "mari": "maria",
    "marioara": "maria",
    "ela": "elena",
    "lenuta": "elena",
    "helen": "elena",
    "alex": "alexandru",
    "sandra": "alexandra",
    "sanda": "alexandra",
    "flori": "florentina",
    "florica": "florentina",
    "gabi": "gabriela",
    "roxi": "roxana",
    "cati": "catalina",
    "cata": "catalina",
    "stefi": "stefania",
    "fane": "stefan",
    "stephen": "stefan",
    "steve": "stefan",
    "dumi": "dumitru",
    "mitica": "dumitru",
    "dimitri": "dumitru",
    "adi": "adrian",
    "julia": "iulia",
    "iuli": "iulia",
    "lari": "larisa",
}
# English-style spellings of Romanian sounds, undone after diacritics are folded.
TRANSLITERATIONS = [("sh", "s"), ("tz", "t"), ("ts", "t"), ("y", "i"), ("w", "v")]


def fold(value: str) -> str:
    decomposed = unicodedata.normalize("NFKD", value)
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return re.sub(r"\s+", " ", re.sub(r"[^a-z ]+", " ", stripped.casefold())).strip()


def transliterate(word: str) -> str:
    for written, spoken in TRANSLITERATIONS:
        word = word.replace(written, spoken)
    return word


def name_parts(full_name: str) -> tuple[str, str]:
    words = [transliterate(word) for word in fold(full_name).split()]
    if not words:
        return "", ""
    if len(words) == 1:
        return words[0], ""
    return words[0], words[-1]


def canonical_first(first: str) -> str:
    return NICKNAMES.get(first, first)


def birth_year_of(date_of_birth: str | None, age: Any, on: datetime.date) -> int | None:
    if date_of_birth:
        try:
            return datetime.date.fromisoformat(str(date_of_birth)).year
        except ValueError:
            return None
    if age not in (None, ""):
        try:
            return on.year - int(age)
        except (TypeError, ValueError):
            return None
    return None


def prepare(
    *,
    key: str,
    full_name: str = "",
    date_of_birth: str | None = None,
    age: Any = None,
    postcode: str = "",
    town: str = "",
    nationality: str = "",
    on: datetime.date | None = None,
) -> dict[str, Any]:
    """One record in the shape the model compares. Keys are opaque ("person:12")."""
    on = on or datetime.datetime.now(tz=datetime.UTC).date()
    first, surname = name_parts(full_name or "")
    compact = postcode.replace(" ", "").upper()
    canonical = canonical_first(first) if first else ""
    return {
        "unique_id": key,
        "first_name": first or None,
        "surname": surname or None,
        "first_canonical": canonical or None,
        "name_key": " ".join(sorted(filter(None, [canonical, surname]))) or None,
        "dob": str(date_of_birth) if date_of_birth else None,
        "birth_year": birth_year_of(date_of_birth, age, on),
        "postcode": compact or None,
        "postcode_district": compact[:-3] if len(compact) > 4 else (compact or None),
        "town": fold(town) or None,
        "nationality": fold(nationality) or None,
    }


# --- The model ------------------------------------------------------------------------------------


def _level(sql: str, label: str, m: float, u: float) -> dict[str, Any]:
    return {"sql_condition": sql, "label_for_charts": label, "m_probability": m, "u_probability": u}


def _null(columns: list[str]) -> dict[str, Any]:
    condition = " OR ".join(f'"{c}_l" IS NULL OR "{c}_r" IS NULL' for c in columns)
    return {"sql_condition": condition, "label_for_charts": "missing", "is_null_level": True}


JW = "jaro_winkler_similarity"


def _comparisons() -> list[dict[str, Any]]:
    name = {
        "output_column_name": "name",
        "comparison_description": "name",
        "comparison_levels": [
            _null(["first_name"]),
            _level('"name_key_l" = "name_key_r"', "same_name", 0.70, 0.0004),
            _level(
                '"surname_l" IS NOT NULL AND "surname_r" IS NOT NULL AND '
                '"first_canonical_l" = "surname_r" AND "surname_l" = "first_canonical_r"',
                "swapped_order",
                0.04,
                0.00005,
            ),
            _level(
                f'"first_canonical_l" = "first_canonical_r" AND '
                f'{JW}("surname_l", "surname_r") >= 0.88',
                "same_first_similar_surname",
                0.12,
                0.0008,
            ),
            _level(
                f'{JW}("first_canonical_l", "surname_r") >= 0.9 AND '
                f'{JW}("surname_l", "first_canonical_r") >= 0.9',
                "swapped_similar",
                0.02,
                0.00006,
            ),
            _level(
                f'{JW}("first_name_l", "first_name_r") >= 0.85 AND '
                f'{JW}("surname_l", "surname_r") >= 0.85',
                "similar_name",
                0.06,
                0.003,
            ),
            _level('"surname_l" = "surname_r"', "same_surname", 0.03, 0.01),
            _level('"first_canonical_l" = "first_canonical_r"', "same_first_name", 0.02, 0.02),
            _level("ELSE", "different_name", 0.01, 0.96),
        ],
    }
    birth = {
        "output_column_name": "birth",
        "comparison_description": "date of birth or age",
        "comparison_levels": [
            _null(["birth_year"]),
            _level('"dob_l" = "dob_r"', "same_date_of_birth", 0.80, 0.0002),
            _level('"birth_year_l" = "birth_year_r"', "same_birth_year", 0.10, 0.03),
            # An estimated age is often a year out either way.
            _level('abs("birth_year_l" - "birth_year_r") <= 1', "birth_year_within_1", 0.07, 0.06),
            _level('abs("birth_year_l" - "birth_year_r") <= 2', "birth_year_within_2", 0.01, 0.04),
            _level("ELSE", "different_age", 0.02, 0.87),
        ],
    }
    place = {
        "output_column_name": "place",
        "comparison_description": "place",
        "comparison_levels": [
            {
                "sql_condition": '("postcode_l" IS NULL OR "postcode_r" IS NULL) AND '
                '("town_l" IS NULL OR "town_r" IS NULL)',
                "label_for_charts": "missing",
                "is_null_level": True,
            },
            _level('"postcode_l" = "postcode_r"', "same_postcode", 0.35, 0.002),
            _level(
                '"postcode_district_l" = "postcode_district_r" OR "town_l" = "town_r"',
                "same_district_or_town",
                0.35,
                0.05,
            ),
            _level("ELSE", "different_place", 0.30, 0.948),
        ],
    }
    nationality = {
        "output_column_name": "nationality",
        "comparison_description": "nationality",
        "comparison_levels": [
            _null(["nationality"]),
            _level('"nationality_l" = "nationality_r"', "same_nationality", 0.95, 0.35),
            _level("ELSE", "different_nationality", 0.05, 0.65),
        ],
    }
    return [name, birth, place, nationality]


BLOCKING_RULES = [
    'l."first_canonical" = r."first_canonical" AND l."birth_year" = r."birth_year"',
    'l."surname" = r."surname"',
    'l."name_key" = r."name_key"',
    'l."first_canonical" = r."surname" AND l."surname" = r."first_canonical"',
    'l."first_canonical" = r."first_canonical" AND l."postcode_district" = r."postcode_district"',
    'l."dob" = r."dob"',
]


def settings(prior: float) -> dict[str, Any]:
    return {
        "link_type": "dedupe_only",
        "unique_id_column_name": "unique_id",
        "probability_two_random_records_match": prior,
        "comparisons": _comparisons(),
        "blocking_rules_to_generate_predictions": [
            {"blocking_rule": rule} for rule in BLOCKING_RULES
        ],
        "retain_intermediate_calculation_columns": True,
        "retain_matching_columns": False,
    }


# The level each comparison's partial weight stands for: Splink reports the weights (mw_*).
LEVEL_WEIGHTS = {
    comparison["output_column_name"]: [
        (math.log2(level["m_probability"] / level["u_probability"]), level["label_for_charts"])
        for level in comparison["comparison_levels"]
        if not level.get("is_null_level")
    ]
    for comparison in _comparisons()
}


@dataclass(frozen=True)
class Match:
    left: str
    right: str
    match_weight: float
    match_probability: float
    reasons: list[str]


def _reasons(record: dict[str, Any]) -> list[str]:
    reasons = []
    for column, levels in LEVEL_WEIGHTS.items():
        partial = record.get(f"mw_{column}")
        if partial is None:
            continue
        label = next((name for weight, name in levels if abs(weight - partial) < 1e-6), "")
        if label:
            reasons.append(label)
    return reasons


def predict(
    records: Iterable[dict[str, Any]], *, threshold_weight: float = 6.0, prior: float = 0.001
) -> list[Match]:
    """Pairs whose match weight reaches the threshold, with the level each comparison fell in."""
    import pyarrow as pa
    from splink import DuckDBAPI, Linker

    rows = list(records)
    if len(rows) < 2:
        return []
    db_api = DuckDBAPI()
    table = db_api.register(pa.Table.from_pylist(rows))
    linker = Linker(table, settings(prior), log_level=logging.WARNING)
    threshold_probability = 2**threshold_weight / (1 + 2**threshold_weight)
    predictions = linker.inference.predict(threshold_match_probability=threshold_probability)
    matches = []
    for record in predictions.as_record_list():
        left, right = sorted([record["unique_id_l"], record["unique_id_r"]])
        matches.append(
            Match(
                left=left,
                right=right,
                match_weight=round(float(record["match_weight"]), 2),
                match_probability=float(record["match_probability"]),
                reasons=_reasons(record),
            )
        )
    return matches
