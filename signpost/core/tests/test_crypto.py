import phonenumbers
import pytest
from cryptography.fernet import Fernet
from django.test import override_settings
from hypothesis import given
from hypothesis import strategies as st
from phonenumbers import PhoneNumberType

from signpost.core import crypto


@given(st.text())
def test_encrypt_round_trips_any_text(plaintext):
    assert crypto.decrypt(crypto.encrypt(plaintext)) == plaintext


def test_ciphertext_does_not_contain_the_plaintext():
    token = crypto.encrypt("Ioana Popescu +447700900123")
    assert "Ioana" not in token
    assert "7700900123" not in token


def test_wrong_key_raises_instead_of_returning_ciphertext():
    token = crypto.encrypt("secret")
    with (
        override_settings(FIELD_ENCRYPTION_KEYS=[Fernet.generate_key().decode()]),
        pytest.raises(crypto.DecryptionError),
    ):
        crypto.decrypt(token)


def test_garbage_raises():
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt("not a token")


def test_old_keys_still_decrypt_and_the_first_key_encrypts(settings):
    old = settings.FIELD_ENCRYPTION_KEYS[0]
    token = crypto.encrypt("kept")
    new = Fernet.generate_key().decode()
    with override_settings(FIELD_ENCRYPTION_KEYS=[new, old]):
        assert crypto.decrypt(token) == "kept"
        fresh = crypto.encrypt("kept")
    with override_settings(FIELD_ENCRYPTION_KEYS=[new]):
        assert crypto.decrypt(fresh) == "kept"
        with pytest.raises(crypto.DecryptionError):
            crypto.decrypt(token)


@pytest.mark.parametrize(
    ("kind", "first", "second"),
    [
        ("phone", "07700 900123", "+44 7700 900123"),
        ("phone", "+40 721 234 567", "0040721234567"),
        ("email", " Ana.Pop@Example.COM ", "ana.pop@example.com"),
        ("handle", "@Ana_Pop", "ana_pop"),
        ("name", "Ștefan Ionuț", "ionut stefan"),
        ("vehicle", "AB12 CDE", "ab12cde"),
    ],
)
def test_blind_index_matches_spellings_of_one_identifier(kind, first, second):
    assert crypto.blind_index(kind, first) == crypto.blind_index(kind, second)


def test_blind_index_separates_kinds_and_values():
    assert crypto.blind_index("email", "a@b.c") != crypto.blind_index("handle", "a@b.c")
    assert crypto.blind_index("phone", "07700900123") != crypto.blind_index("phone", "07700900124")


def test_blind_index_depends_on_its_own_key():
    first = crypto.blind_index("phone", "07700900123")
    with override_settings(BLIND_INDEX_KEY="x" * 64):
        assert crypto.blind_index("phone", "07700900123") != first


def test_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="Unknown identifier kind"):
        crypto.blind_index("shoe size", "42")


def test_blind_indexes_stay_the_ones_already_stored():
    # Computed before blind_index_of_normal_form existed: stored indexes must keep matching.
    with override_settings(BLIND_INDEX_KEY="k" * 64):
        assert crypto.blind_index("phone", "07700 900123") == (
            "c97bf3d231b4bd11046e3053b45de2055783e6538e8a168d0dbcd07eb8160845"
        )


def test_a_valid_number_in_e164_is_its_own_normal_form_in_every_region():
    checked = 0
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        for kind in (PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE):
            example = phonenumbers.example_number_for_type(region, kind)
            if example is None or not phonenumbers.is_valid_number(example):
                continue
            e164 = phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.E164)
            assert crypto.normalise_identifier("phone", e164) == e164
            assert crypto.blind_index_of_normal_form("phone", e164) == crypto.blind_index(
                "phone", e164
            )
            checked += 1
    assert checked > 400
