import pytest

from signpost.adverts.leading_words import LeadingWords, leading_words


@pytest.mark.parametrize(
    ("pattern", "letters", "digits"),
    [
        (r"\bfresh\b", {"fresh"}, set()),
        (r"\bnon[\s-]?stop\b", {"non", "nonstop"}, set()),
        (r"\bbare ?back\b", {"bare", "bareback"}, set()),
        (r"\bcan'?t go out\b", {"can", "cant"}, set()),
        (r"\b24\s?/\s?7\b", set(), {"24"}),
        (r"\b24 ?(?:hours|h)\b", set(), {"24"}),  # "24h": digits, then letters
        (r"\b(?:two|2) (?:girls|ladies)\b", {"two"}, {"2"}),
        (
            r"\bt[aâ]n[aă]r[aă]\b",
            {"tanara", "tanară", "tanăra", "tanără", "tânara", "tânară", "tânăra", "tânără"},
            set(),
        ),
        (r"\bzi\s+noapte\b", {"zi"}, set()),
    ],
)
def test_first_words_are_listed(pattern, letters, digits):
    found = leading_words(pattern)
    assert found is not None
    assert found.letters == frozenset(letters)
    assert found.digits == frozenset(digits)


@pytest.mark.parametrize(
    "pattern",
    [
        r"\b\w+girl\b",  # any word character
        r"\bx+y\b",  # a repeated letter: words of any length
        r"\b.girl\b",  # any character
        r"\b(?:-|x)y\b",  # may start with something else than a letter or digit
    ],
)
def test_patterns_whose_first_words_cannot_be_listed_give_none(pattern):
    assert leading_words(pattern) is None


def test_a_letter_then_a_digit_ends_the_first_word():
    assert leading_words(r"\bage18\b") == LeadingWords(frozenset({"age"}), frozenset())
