"""How many characters of an advert lingua should read, and how the import's detector does.

    .venv/bin/python bench/bench_language.py [--lengths 40,60,80,100,160]

Passages come from Signpost's own catalogues (English message ids; Romanian, Polish and
Albanian translations), whole and from their middle, with and without diacritics (adverts are
often typed without them). For each length, prints the share lingua detects right and the CPU
microseconds a detection costs (`language.language_detector`, the one the import uses). Then
the import's `language.detect_languages` (function words where they settle it, else lingua on
LANGUAGE_SAMPLE characters) on the same passages, and on each passage followed by a sentence
in another language (a site's English boilerplate; a Romanian phrase after English): the
share right, and the share the function words settled.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CATALOGUE_LANGUAGES = ("ro", "pl", "sq")
MIN_PASSAGE = 60
PER_LANGUAGE = 400
_PLACEHOLDER = re.compile(r"%\(\w+\)s|%s|<[^>]+>|\{[^}]*\}")


def _field(block: str, name: str) -> str:
    found = re.search(rf'^{name} ((?:".*"\n?)+)', block, re.M)
    if not found:
        return ""
    quoted = "".join(re.findall(r'"(.*)"', found.group(1)))
    return quoted.encode().decode("unicode_escape").encode("latin-1").decode("utf-8")


def passages() -> dict[str, list[str]]:
    found: dict[str, set[str]] = {"en": set(), **{lang: set() for lang in CATALOGUE_LANGUAGES}}
    for lang in CATALOGUE_LANGUAGES:
        for path in ROOT.glob(f"signpost/**/locale/{lang}/LC_MESSAGES/django.po"):
            for block in path.read_text(encoding="utf-8").split("\n\n"):
                if "fuzzy" in block or block.lstrip().startswith("#~"):
                    continue
                english, translated = _field(block, "msgid"), _field(block, "msgstr")
                if not (english and translated):
                    continue
                for text, key in ((english, "en"), (translated, lang)):
                    text = " ".join(_PLACEHOLDER.sub(" ", text).split())
                    if len(text) >= MIN_PASSAGE:
                        found[key].add(text)
                    words = text.split()
                    if len(text) >= 2 * MIN_PASSAGE + 40:
                        found[key].add(" ".join(words[len(words) // 2 :]))
    rng = random.Random(7)
    return {
        key: rng.sample(sorted(texts), min(PER_LANGUAGE, len(texts)))
        for key, texts in found.items()
    }


def without_marks(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.replace("ł", "l").replace("Ł", "L"))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lengths", default="40,60,80,100,160")
    options = parser.parse_args()
    from signpost.adverts.language import language_detector

    detector = language_detector()
    detector.detect_language_of("warm up: the models load on first use")
    sample = passages()
    plain = {key: [without_marks(text) for text in texts] for key, texts in sample.items()}
    print({key: len(texts) for key, texts in sample.items()}, "passages")
    for length in (int(part) for part in options.lengths.split(",")):
        for label, data in (("as written", sample), ("without diacritics", plain)):
            wrong: dict[str, int] = {}
            started = time.process_time()
            for key, texts in data.items():
                for text in texts:
                    language = detector.detect_language_of(text[:length])
                    code = language.iso_code_639_1.name.lower() if language else ""
                    wrong[key] = wrong.get(key, 0) + (code != key)
            spent = time.process_time() - started
            total = sum(len(texts) for texts in data.values())
            right = 100 * (1 - sum(wrong.values()) / total)
            print(
                f"{length:4d} characters, {label:18s}: {right:6.2f}% right "
                f"({spent / total * 1e6:5.1f} µs each); wrong by language {wrong}"
            )
    mixed = {
        key: [f"{text} {ROMANIAN_AFTER if key == 'en' else ENGLISH_AFTER}" for text in texts]
        for key, texts in plain.items()
    }
    for label, data in (("as written", sample), ("without diacritics", plain), ("mixed", mixed)):
        import_detector(label, data)


ENGLISH_AFTER = "Posted on Site A. Report this advert if it breaks our rules."
ROMANIAN_AFTER = "Sunt noua in oras si te astept, suna-ma acum."


def import_detector(label: str, data: dict[str, list[str]]) -> None:
    from signpost.adverts.language import by_function_words, detect_languages
    from signpost.adverts.words import Words

    texts = [text for texts in data.values() for text in texts]
    expected = [key for key, texts in data.items() for _text in texts]
    words = [Words(text) for text in texts]
    started = time.process_time()
    found = detect_languages(texts, words=words)
    spent = time.process_time() - started
    settled = [by_function_words(word) is not None for word in words]
    wrong = sum(code != key for code, key in zip(found, expected, strict=True))
    wrong_settled = sum(
        code != key and early for code, key, early in zip(found, expected, settled, strict=True)
    )
    print(
        f"import's detector, {label:18s}: {100 * (1 - wrong / len(texts)):6.2f}% right "
        f"({spent / len(texts) * 1e6:5.1f} µs each); settled by function words "
        f"{100 * sum(settled) / len(texts):5.1f}%, of them wrong {wrong_settled}"
    )


if __name__ == "__main__":
    main()
