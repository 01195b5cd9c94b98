"""Probabilistic matching of people with Splink 5 on DuckDB, independent of Django.

Records are plain dicts (see `prepare`); names are compared after folding diacritics and
transliteration (Ștefănescu, Stefanescu, Shtefanescu), nicknames are mapped to a canonical
first name (Ioni, Ioana), and both names are keyed in either order (swapped names). Dates of
birth and estimated ages become a birth year so that either can match the other. The model's m
and u probabilities are fixed priors rather than trained: the charity's data is small, a fixed
model gives the same weights and reasons every run, and nothing is trained at run time.

The same code runs on Spark for national scale by swapping DuckDBAPI for SparkAPI.
"""

from __future__ import annotations

import datetime
import logging
import math
import os
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
    # The second word is canonicalised too, so that a swapped "Stefanescu Ioni" keys like
    # "Ioana Stefanescu".
    surname_canonical = canonical_first(surname) if surname else ""
    birth_year = birth_year_of(date_of_birth, age, on)
    return {
        "unique_id": key,
        "first_name": first or None,
        "surname": surname or None,
        "first_canonical": canonical or None,
        "surname_canonical": surname_canonical or None,
        "name_key": " ".join(sorted(filter(None, [canonical, surname_canonical]))) or None,
        # Blocking keys that survive one typing error in the surname: its first letters, or
        # the set of its letters (a swap, a doubled or (mostly) a dropped letter keep it).
        "first_start": first[:3] or None,
        "surname_start": surname[:3] or None,
        "surname_letters": "".join(sorted(set(surname))) or None,
        "dob": str(date_of_birth) if date_of_birth else None,
        "birth_year": birth_year,
        # Two pairings of years (1990-91 and 1991-92): years a year apart share one of them,
        # so an estimated age a year out still meets its date of birth in an equi-join.
        "birth_pair": birth_year // 2 if birth_year is not None else None,
        "birth_pair_shifted": (birth_year + 1) // 2 if birth_year is not None else None,
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
    # Cheapest and most decisive levels first: DuckDB stops at the first level that holds, and
    # most blocked pairs are decided by an equality before any string similarity is computed.
    name = {
        "output_column_name": "name",
        "comparison_description": "name",
        "comparison_levels": [
            _null(["first_name"]),
            _level('"name_key_l" = "name_key_r"', "same_name", 0.70, 0.0004),
            _level(
                f'"first_canonical_l" = "first_canonical_r" AND '
                f'{JW}("surname_l", "surname_r") >= 0.88',
                "same_first_similar_surname",
                0.12,
                0.0008,
            ),
            _level(
                f'{JW}("first_canonical_l", "surname_canonical_r") >= 0.9 AND '
                f'{JW}("surname_canonical_l", "first_canonical_r") >= 0.9',
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
            # One name the same and the other unlike it: a typing error keeps a name similar,
            # so this is mostly two relatives, or two people with a common first name.
            _level('"surname_l" = "surname_r"', "same_surname", 0.005, 0.005),
            _level('"first_canonical_l" = "first_canonical_r"', "same_first_name", 0.005, 0.03),
            _level("ELSE", "different_name", 0.01, 0.96),
        ],
    }
    birth = {
        "output_column_name": "birth",
        "comparison_description": "date of birth or age",
        "comparison_levels": [
            _null(["birth_year"]),
            _level('"dob_l" = "dob_r"', "same_date_of_birth", 0.80, 0.0002),
            # Two recorded dates of birth that differ: rarely one person (a typing error).
            _level(
                '"dob_l" IS NOT NULL AND "dob_r" IS NOT NULL', "different_date_of_birth", 0.01, 0.9
            ),
            # From here on at least one side is an estimated age, which is often a year out.
            _level('"birth_year_l" = "birth_year_r"', "same_birth_year", 0.60, 0.033),
            _level('abs("birth_year_l" - "birth_year_r") <= 1', "birth_year_within_1", 0.30, 0.065),
            _level('abs("birth_year_l" - "birth_year_r") <= 2', "birth_year_within_2", 0.05, 0.063),
            _level("ELSE", "different_age", 0.05, 0.84),
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
                0.55,
                0.05,
            ),
            _level("ELSE", "different_place", 0.10, 0.948),
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


# Every rule is an equi-join, so DuckDB hashes it instead of comparing all pairs; together they
# find over 99% of the generated duplicates (bench/bench_intel.py) while the pairs they produce
# grow with the size of each name's block, not with the square of all records. A rule on a
# common column alone (surname, first name and year) would produce tens of millions of pairs.
BLOCKING_RULES = [
    # Same names in any order, nicknames and diacritics folded, born within about a year.
    'l."name_key" = r."name_key" AND l."birth_pair" = r."birth_pair"',
    'l."name_key" = r."name_key" AND l."birth_pair_shifted" = r."birth_pair_shifted"',
    # Same names when one record has no birth date or age at all (filtered after the join).
    'l."name_key" = r."name_key" AND (l."birth_year" IS NULL OR r."birth_year" IS NULL)',
    # A typing error in one name: the other name and the date of birth.
    'l."first_canonical" = r."first_canonical" AND l."dob" = r."dob"',
    'l."surname_canonical" = r."surname_canonical" AND l."dob" = r."dob"',
    'l."first_canonical" = r."surname_canonical" AND l."dob" = r."dob"',
    'l."surname_canonical" = r."first_canonical" AND l."dob" = r."dob"',
    # A typing error in the surname and an age instead of a date of birth.
    'l."first_canonical" = r."first_canonical" AND l."surname_start" = r."surname_start" '
    'AND l."birth_pair" = r."birth_pair"',
    'l."first_canonical" = r."first_canonical" AND l."surname_start" = r."surname_start" '
    'AND l."birth_pair_shifted" = r."birth_pair_shifted"',
    'l."first_canonical" = r."first_canonical" AND l."surname_letters" = r."surname_letters" '
    'AND l."birth_pair" = r."birth_pair"',
    'l."first_canonical" = r."first_canonical" AND l."surname_letters" = r."surname_letters" '
    'AND l."birth_pair_shifted" = r."birth_pair_shifted"',
    # The same with the names swapped (each direction: pairs are only joined left < right).
    'l."first_canonical" = r."surname_canonical" AND l."surname_start" = r."first_start" '
    'AND l."birth_pair" = r."birth_pair"',
    'l."first_canonical" = r."surname_canonical" AND l."surname_start" = r."first_start" '
    'AND l."birth_pair_shifted" = r."birth_pair_shifted"',
    'l."surname_canonical" = r."first_canonical" AND l."first_start" = r."surname_start" '
    'AND l."birth_pair" = r."birth_pair"',
    'l."surname_canonical" = r."first_canonical" AND l."first_start" = r."surname_start" '
    'AND l."birth_pair_shifted" = r."birth_pair_shifted"',
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


# Splink 5 returns each comparison's partial match weight (mw_*), not the level it fell in
# (gamma_* only comes with every matching column, which would be copied for every pair); each
# level's weight is distinct within its comparison, so the weight names the level.
def _weight_key(weight: float) -> float:
    return round(weight, 4)


LEVEL_LABELS = {
    comparison["output_column_name"]: {
        _weight_key(math.log2(level["m_probability"] / level["u_probability"])): level[
            "label_for_charts"
        ]
        for level in comparison["comparison_levels"]
        if not level.get("is_null_level")
    }
    for comparison in _comparisons()
}


# Only what a proposal keeps comes back to Python (column names are the model's own constants).
_PARTIALS = ", ".join(f"mw_{column}" for column in LEVEL_LABELS)
RESULT_SQL = (
    "SELECT least(unique_id_l, unique_id_r) AS left_key, "  # noqa: S608
    "greatest(unique_id_l, unique_id_r) AS right_key, match_weight, match_probability, "
    f"{_PARTIALS} FROM {{this}}"
)


@dataclass(frozen=True)
class Match:
    left: str
    right: str
    match_weight: float
    match_probability: float
    reasons: list[str]


# The chance that two records drawn at random are one person, before comparing them. Together
# with the proposal threshold it sets how sure a pair must be to reach the review queue. A person
# has a handful of records however many there are, so true pairs grow with the records and all
# pairs with their square: beyond PRIOR_RECORDS records the prior falls as 1/N (a common name
# born the same year is more often someone else in a million records). Up to that size it stays
# at 1 in 2,000 so that a small region still sees its borderline pairs. On the generated set with
# known duplicates (bench/bench_intel.py) this gives precision and recall of 0.96 to 1.0 from
# 7,000 to 1,000,000 records.
PRIOR = 0.0005
PRIOR_RECORDS = 200_000


def prior_for(records: int) -> float:
    return PRIOR * min(1.0, PRIOR_RECORDS / max(1, records))


def _threads() -> int:
    return max(1, os.cpu_count() or 1)


def predict(
    records: Iterable[dict[str, Any]], *, threshold_weight: float = 6.0, prior: float | None = None
) -> list[Match]:
    """Pairs whose match weight reaches the threshold, with the level each comparison fell in.

    The whole run stays inside DuckDB: records go in as one Arrow table, only the pairs above
    the threshold come back, as columns, and the model's parameters are fixed (nothing is
    trained per run).
    """
    import duckdb
    import pyarrow as pa
    from splink import DuckDBAPI, Linker

    rows = records if isinstance(records, list) else list(records)
    if len(rows) < 2:
        return []
    connection = duckdb.connect(config={"threads": _threads()})
    try:
        db_api = DuckDBAPI(connection=connection)
        table = db_api.register(pa.Table.from_pylist(rows))
        model = settings(prior if prior is not None else prior_for(len(rows)))
        linker = Linker(table, model, log_level=logging.WARNING)
        predictions = linker.inference.predict(
            threshold_match_weight=threshold_weight, warning_mode="never"
        )
        result = predictions.query_sql(RESULT_SQL).as_pyarrow_table()
    finally:
        connection.close()
    data = result.to_pydict()
    partials = [(labels, data[f"mw_{column}"]) for column, labels in LEVEL_LABELS.items()]
    return [
        Match(
            left=left,
            right=right,
            match_weight=round(float(weight), 2),
            match_probability=float(probability),
            reasons=[
                labels[_weight_key(values[index])]
                for labels, values in partials
                if _weight_key(values[index]) in labels
            ],
        )
        for index, (left, right, weight, probability) in enumerate(
            zip(
                data["left_key"],
                data["right_key"],
                data["match_weight"],
                data["match_probability"],
                strict=True,
            )
        )
    ]
