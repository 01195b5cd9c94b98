import pytest
from cryptography.fernet import Fernet
from django.db import connection
from django.test import override_settings

from signpost.core.crypto import DecryptionError
from signpost.testing.models import EncryptedSample

pytestmark = pytest.mark.django_db


def raw_columns(pk):
    table = EncryptedSample._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT text, data FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()


@pytest.mark.parametrize(
    ("text", "data"),
    [
        ("Ana lives at 12 High Street", {"phone": "+447700900123", "aliases": ["Ani"]}),
        ("", {}),
        ("", []),
        ("0", 0),
        ("", False),
        ("", ""),
        (None, None),
        ("Ștefan ăâîșț 🙂", {"nested": {"list": [1, 2.5, None, True]}}),
    ],
)
def test_values_round_trip_including_empty_and_falsy(text, data):
    sample = EncryptedSample.objects.create(text=text, data=data)
    loaded = EncryptedSample.objects.get(pk=sample.pk)
    assert loaded.text == text
    assert loaded.data == data
    assert type(loaded.data) is type(data)


def test_stored_columns_are_ciphertext():
    sample = EncryptedSample.objects.create(text="Ana Pop", data={"phone": "07700900123"})
    text, data = raw_columns(sample.pk)
    assert "Ana" not in text
    assert "07700900123" not in data
    assert text.startswith("gAAAAA")


def test_null_is_stored_as_null():
    sample = EncryptedSample.objects.create(text=None, data=None)
    assert raw_columns(sample.pk) == (None, None)


def test_reading_with_a_wrong_key_raises():
    sample = EncryptedSample.objects.create(text="secret")
    with (
        override_settings(FIELD_ENCRYPTION_KEYS=[Fernet.generate_key().decode()]),
        pytest.raises(DecryptionError),
    ):
        EncryptedSample.objects.get(pk=sample.pk)


def test_encrypted_fields_cannot_be_searched():
    with pytest.raises(TypeError, match="blind index"):
        EncryptedSample.objects.filter(text="Ana").count()
    assert EncryptedSample.objects.filter(text__isnull=True).count() == 0
