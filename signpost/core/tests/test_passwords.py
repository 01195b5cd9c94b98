import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError


@pytest.mark.parametrize(
    "password",
    ["short pass", "password1234", "qwertyuiop123", "x" * 129],
)
def test_weak_short_common_or_absurd_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


@pytest.mark.parametrize(
    "password",
    ["correct horse battery staple", "all lowercase but long enough", "ăîșț și o frază lungă"],
)
def test_long_passphrases_need_no_composition_rules(password):
    validate_password(password)
