"""Matching quality on a small generated population with known duplicates.

The benchmark (bench/bench_intel.py) measures the same at up to a million records; this keeps a
few hundred so that a change that loses a kind of duplicate (a blocking rule, the nickname
table, the swapped-name key) fails here in a second.
"""

import datetime
import random

from signpost.intel import matching

ON = datetime.date(2026, 6, 1)
FIRST_NAMES = {
    "Ioana": ["Ioni", "Oana"],
    "Maria": ["Mari"],
    "Elena": ["Ela", "Lenuța"],
    "Andreea": ["Deea"],
    "Alexandra": ["Sandra"],
    "Ștefania": ["Stefi"],
    "Nicolae": ["Nicu"],
    "Gheorghe": ["Gigi", "George"],
    "Mihai": ["Mișu"],
    "Bianca": [],
    "Denisa": [],
    "Raluca": [],
}
COMMON_SURNAMES = ["Popescu", "Popa", "Radu", "Ștefănescu", "Țurcanu", "Munteanu"]
SYLLABLES = ["ma", "ri", "ne", "sco", "ta", "lu", "ce", "dra", "gu", "vi", "ște", "ță", "bo"]
ENDINGS = ["escu", "eanu", "aru", "ache", "oiu", "an"]
DISTRICTS = ["B1", "B6", "B19", "CV1", "CV6", "WS1", "WV2", "DY4"]


def _person(rng):
    surname = (
        rng.choice(COMMON_SURNAMES)
        if rng.random() < 0.3
        else (
            "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 2))) + rng.choice(ENDINGS)
        ).capitalize()
    )
    born = ON - datetime.timedelta(days=rng.randint(16 * 365, 45 * 365))
    district = rng.choice(DISTRICTS)
    return {
        "first": rng.choice(list(FIRST_NAMES)),
        "surname": surname,
        "dob": born,
        "postcode": f"{district} {rng.randint(1, 9)}AB",
        "nationality": rng.choice(["Romanian", "Romanian", "Moldovan", ""]),
    }


def _typo(value, rng):
    if len(value) < 5:
        return value
    at = rng.randint(1, len(value) - 2)
    return value[:at] + value[at + 1] + value[at] + value[at + 2 :]


def _duplicate(person, rng):
    first, last = person["first"], person["surname"]
    changes = rng.sample(["plain", "nickname", "swap", "typo", "age", "place"], k=2)
    if "nickname" in changes and FIRST_NAMES[first]:
        first = rng.choice(FIRST_NAMES[first])
    if "plain" in changes:
        first, last = matching.fold(first).title(), matching.fold(last).title()
    if "typo" in changes:
        last = _typo(last, rng)
    name = f"{last} {first}" if "swap" in changes else f"{first} {last}"
    record = {**person, "name": name}
    if "age" in changes:
        record["age"], record["dob"] = ON.year - person["dob"].year, None
    if "place" in changes:
        record["postcode"] = person["postcode"].split()[0] + " 9ZZ"
    return record


def _generated(people, seed):
    rng = random.Random(seed)
    records, entities = [], []
    for entity in range(people):
        person = _person(rng)
        versions = [{**person, "name": f"{person['first']} {person['surname']}"}]
        if rng.random() < 0.4:
            versions += [_duplicate(person, rng) for _ in range(rng.choice([1, 1, 2]))]
        for version in versions:
            records.append(
                matching.prepare(
                    key=f"person:{len(records)}",
                    full_name=version["name"],
                    date_of_birth=version["dob"].isoformat() if version["dob"] else None,
                    age=version.get("age"),
                    postcode=version["postcode"],
                    nationality=version["nationality"],
                    on=ON,
                )
            )
            entities.append(entity)
    by_entity = {}
    for index, entity in enumerate(entities):
        by_entity.setdefault(entity, []).append(f"person:{index}")
    truth = {
        tuple(sorted((left, right)))
        for keys in by_entity.values()
        for i, left in enumerate(keys)
        for right in keys[i + 1 :]
    }
    return records, truth


def test_precision_and_recall_on_generated_duplicates():
    records, truth = _generated(600, seed=11)
    found = {(m.left, m.right) for m in matching.predict(records, threshold_weight=3.0)}
    hits = len(found & truth)
    assert len(truth) > 150
    assert hits / len(found) >= 0.95
    assert hits / len(truth) >= 0.95
