import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.test import override_settings

from signpost.core.crypto import DecryptionError
from signpost.core.models import AuditEvent
from signpost.testing.models import EncryptedSample

pytestmark = pytest.mark.django_db


def test_rotate_then_drop_the_old_key_and_read_everything_back(settings):
    old = settings.FIELD_ENCRYPTION_KEYS[0]
    values = [(f"person {n} ăș", {"n": n, "empty": n % 3 == 0 and {}}) for n in range(23)]
    for text, data in values:
        EncryptedSample.objects.create(text=text, data=data)
    EncryptedSample.objects.create(text=None, data=None)
    new = Fernet.generate_key().decode()

    with override_settings(FIELD_ENCRYPTION_KEYS=[new, old]):
        call_command("rotate_keys", "--batch-size", "5", verbosity=0)

    with override_settings(FIELD_ENCRYPTION_KEYS=[new]):
        loaded = [(s.text, s.data) for s in EncryptedSample.objects.order_by("pk")]
    assert loaded == [*values, (None, None)]
    with pytest.raises(DecryptionError):
        list(EncryptedSample.objects.all())  # the old key alone no longer reads anything
    event = AuditEvent.objects.get(action=AuditEvent.Action.KEY_ROTATION)
    assert event.details["rows"]["testing.EncryptedSample"] == 24


def test_rotation_without_the_old_key_fails_loudly():
    EncryptedSample.objects.create(text="kept")
    with (
        override_settings(FIELD_ENCRYPTION_KEYS=[Fernet.generate_key().decode()]),
        pytest.raises(DecryptionError),
    ):
        call_command("rotate_keys", verbosity=0)
