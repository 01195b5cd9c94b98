"""Believable synthetic advert corpora with ground truth, for tests and benchmarks.

Organised operations run several women, several phones and a circuit of towns with templated
text; independent workers repost their own adverts. Stock phrases and each site's boilerplate
are shared by everybody. Phones appear in the phone field and in the text, often disguised.
No real person, number or advert is used: UK numbers come from the 07911-07999 mobile ranges at
random and Romanian ones from 072x/074x.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import lru_cache

import phonenumbers

EN_DIGITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
RO_DIGITS = ["zero", "unu", "doi", "trei", "patru", "cinci", "șase", "șapte", "opt", "nouă"]
KEYCAP = "\ufe0f\u20e3"


def _groups(digits: str, sizes: tuple[int, ...]) -> list[str]:
    parts, start = [], 0
    for size in sizes:
        parts.append(digits[start : start + size])
        start += size
    if start < len(digits):
        parts.append(digits[start:])
    return [part for part in parts if part]


def _lookalike(digits: str) -> str:
    return digits.replace("0", "O", 1).replace("1", "l", 1)


PHONE_STYLES: dict[str, Callable[[str], str]] = {
    "plain": lambda d: d,
    "spaced": lambda d: " ".join(_groups(d, (5, 3))),
    "dotted": lambda d: ".".join(_groups(d, (5, 3))),
    "dashed": lambda d: "-".join(_groups(d, (4, 3))),
    "international": lambda d: "+44 " + " ".join(_groups(d[1:], (4, 3))),
    "international_zero": lambda d: "+44 (0) " + " ".join(_groups(d[1:], (4, 3))),
    "double_zero": lambda d: "0044 " + d[1:],
    "words_en": lambda d: " ".join(EN_DIGITS[int(c)] for c in d),
    "words_ro": lambda d: " ".join(RO_DIGITS[int(c)] for c in d),
    "lookalike": _lookalike,
    "one_at_a_time": lambda d: " ".join(d),
    "keycap": lambda d: "".join(c + KEYCAP for c in d),
    "fullwidth": lambda d: "".join(chr(0xFF10 + int(c)) for c in d),
    "mixed_words": lambda d: d[:5] + " " + " ".join(EN_DIGITS[int(c)] for c in d[5:]),
    "split_text": lambda d: f"{d[:5]} (text first, then the rest) {d[5:]}",
}
DISGUISED_STYLES = frozenset(PHONE_STYLES) - {"plain", "spaced", "dotted", "dashed",
                                               "international", "double_zero"}  # fmt: skip


def render_phone(national: str, style: str) -> str:
    """A UK national number (07...) written in one of PHONE_STYLES."""
    return PHONE_STYLES[style](national)


def random_uk_mobile(rng: random.Random) -> str:
    """A random number from a UK mobile range that phonenumbers knows as valid."""
    while True:
        national = f"07{rng.choice('45789')}{rng.randint(0, 99999999):08d}"
        if _valid_uk(national):
            return national


@lru_cache(maxsize=100_000)
def _valid_uk(national: str) -> bool:
    return phonenumbers.is_valid_number(phonenumbers.parse(national, "GB"))


SYLLABLES = [
    "ka",
    "lo",
    "mi",
    "re",
    "sa",
    "ti",
    "nu",
    "ve",
    "do",
    "pa",
    "li",
    "ro",
    "me",
    "an",
    "el",
    "in",
    "or",
    "us",
    "at",
    "ur",
    "is",
    "on",
    "ar",
    "en",
]
STOCK_PHRASES = [
    "call me now for a good time", "no time wasters please", "discreet and clean place",
    "text first before calling", "no private numbers", "you will not be disappointed",
    "available for incall and outcall", "genuine pictures only", "book now do not miss out",
    "sweet and friendly", "gentlemen only", "treat yourself today", "clean and safe apartment",
    "parking available nearby", "come and relax with me", "respectful men only",
    "best service in town", "let me make your day", "message me on whatsapp", "very discreet",
    "sun niste aici pentru tine", "suna-ma acum", "fara numere private", "discretie totala",
]  # fmt: skip
SITE_BOILERPLATE = {
    "siteA": "Posted on Site A. Report this advert if it breaks our rules. "
    "Never send money in advance.",
    "siteB": "Site B verified listing. Stay safe: meet in public first. "
    "All advertisers are over 18.",
    "siteC": "Listing by Site C classifieds. Terms apply. We do not vet advertisers.",
}
NAMES = [
    "Alina",
    "Maria",
    "Ioana",
    "Elena",
    "Andreea",
    "Bianca",
    "Denisa",
    "Roxana",
    "Diana",
    "Larisa",
    "Sofia",
    "Anna",
    "Kasia",
    "Lily",
    "Emma",
    "Chloe",
    "Jess",
    "Amy",
    "Rosa",
    "Nadia",
    "Vera",
    "Irina",
    "Mara",
    "Carla",
    "Daria",
]
NATIONALITIES = ["Romanian", "romanca", "Polish", "Bulgarian", "Eastern European", "Latina",
                 "Brazilian", "English", "Italian", "Spanish"]  # fmt: skip
TOWNS = [
    "Birmingham",
    "Coventry",
    "Wolverhampton",
    "Walsall",
    "Dudley",
    "Solihull",
    "Redditch",
    "Kidderminster",
    "Worcester",
    "Stafford",
    "Tamworth",
    "Nuneaton",
    "Rugby",
    "Telford",
    "Leicester",
    "Nottingham",
    "Derby",
    "Manchester",
    "Leeds",
    "London",
]
ORGANISED_OPENERS = ["New in {town}", "Just arrived in {town}", "{name} new girl {town}",
                     "Young {nationality} {name} in {town}"]  # fmt: skip
ORGANISED_EXTRAS = ["24/7", "only a few days", "all services", "she is very sweet",
                    "new girls every week", "little English", "doar cateva zile"]  # fmt: skip


def _vocabulary(rng: random.Random, size: int = 3000) -> list[str]:
    words: set[str] = set()
    while len(words) < size:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    return sorted(words)


@dataclass
class Poster:
    key: str
    organised: bool
    phones: list[str]
    names: list[str]
    towns: list[str]
    template: list[str]
    sources: list[str]
    emails: list[str] = field(default_factory=list)


@dataclass
class Truth:
    poster: dict[str, str] = field(default_factory=dict)  # advert id -> poster key
    phones: dict[str, set[str]] = field(default_factory=dict)  # advert id -> E.164 phones


def _e164(national: str) -> str:
    return "+44" + national[1:]


class CorpusGenerator:
    """`adverts(n)` yields advert dicts (the import format); `truth` says who posted each."""

    def __init__(self, seed: int = 1, organised_share: float = 0.35, disguise_share: float = 0.4):
        self.rng = random.Random(seed)  # noqa: S311 - synthetic data, not security
        self.vocabulary = _vocabulary(self.rng)
        self.organised_share = organised_share
        self.disguise_share = disguise_share
        self.truth = Truth()
        self.start = datetime(2026, 9, 1, tzinfo=UTC)
        self.posters = 0

    def _poster(self, number: int) -> Poster:
        rng = self.rng
        organised = rng.random() < self.organised_share
        length = rng.randint(25, 45) if organised else rng.randint(12, 35)
        template = [rng.choice(self.vocabulary) for _ in range(length)]
        if organised:
            women = rng.randint(2, 6)
            return Poster(
                key=f"op{number}",
                organised=True,
                phones=[random_uk_mobile(rng) for _ in range(rng.randint(1, 4))],
                names=rng.sample(NAMES, women),
                towns=rng.sample(TOWNS, rng.randint(3, 6)),
                template=template,
                sources=rng.sample(sorted(SITE_BOILERPLATE), rng.randint(1, 3)),
                emails=[f"{rng.choice(self.vocabulary)}{rng.randint(1, 99)}@gmail.com"]
                if rng.random() < 0.3
                else [],
            )
        return Poster(
            key=f"ind{number}",
            organised=False,
            phones=[random_uk_mobile(rng)],
            names=[rng.choice(NAMES)],
            towns=[rng.choice(TOWNS)],
            template=template,
            sources=[rng.choice(sorted(SITE_BOILERPLATE))],
        )

    def _text(self, poster: Poster, name: str, town: str, phone_text: str) -> tuple[str, str]:
        rng = self.rng
        words = list(poster.template)
        for _ in range(rng.randint(0, 3)):  # small edits between reposts
            words[rng.randrange(len(words))] = rng.choice(self.vocabulary)
        age = rng.randint(19, 34)
        nationality = rng.choice(NATIONALITIES)
        stock = rng.sample(STOCK_PHRASES, rng.randint(2, 5))
        parts = []
        if poster.organised:
            parts.append(f"Hi I am {name}, {age} yo {nationality} girl.")
            parts.append(" ".join(words[: len(words) // 2]) + ".")
            parts.append(rng.choice(ORGANISED_EXTRAS) + ".")
            parts.append(" ".join(words[len(words) // 2 :]) + ".")
            title = rng.choice(ORGANISED_OPENERS).format(
                town=town, name=name, nationality=nationality
            )
        else:
            parts.append(f"My name is {name}, {age} years old, independent in {town}.")
            parts.append(" ".join(words) + ".")
            title = f"{name} in {town}"
        parts.extend(phrase.capitalize() + "." for phrase in stock)
        rng.shuffle(parts)
        if phone_text:
            parts.append(f"Call {phone_text}")
        return title, " ".join(parts)

    def adverts(self, count: int) -> Iterator[dict[str, object]]:
        rng = self.rng
        made = 0
        while made < count:
            self.posters += 1
            poster = self._poster(self.posters)
            reposts = rng.randint(4, 40) if poster.organised else rng.randint(1, 8)
            day = rng.randint(0, 80)
            for repost in range(min(reposts, count - made)):
                made += 1
                advert_id = f"{poster.key}-{repost}"
                phone = rng.choice(poster.phones)
                name = rng.choice(poster.names)
                town = poster.towns[(repost // 2) % len(poster.towns)]
                source = rng.choice(poster.sources)
                in_field = rng.random() < 0.5
                style = "plain"
                if not in_field:
                    style = (
                        rng.choice(sorted(DISGUISED_STYLES))
                        if rng.random() < self.disguise_share
                        else rng.choice(["plain", "spaced", "dotted", "dashed", "international"])
                    )
                title, body = self._text(
                    poster, name, town, "" if in_field else render_phone(phone, style)
                )
                body = f"{body} {SITE_BOILERPLATE[source]}"
                posted = self.start + timedelta(days=day + repost // 2, hours=rng.randint(0, 23))
                email = rng.choice(poster.emails) if poster.emails and rng.random() < 0.5 else ""
                self.truth.poster[advert_id] = poster.key
                self.truth.phones[advert_id] = {_e164(phone)}
                yield {
                    "id": advert_id,
                    "source": source,
                    "url": f"https://{source.lower()}.example/ad/{advert_id}",
                    "posted_at": posted.isoformat(),
                    "title": title,
                    "body": body,
                    "location": town,
                    "phone": phone if in_field else "",
                    "email": email,
                    "image_hashes": [],
                }

    def write_jsonl(self, path: str, count: int) -> None:
        with open(path, "w", encoding="utf-8") as out:
            for advert in self.adverts(count):
                out.write(json.dumps(advert, ensure_ascii=False) + "\n")
