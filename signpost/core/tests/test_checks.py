from django.test import override_settings

from signpost.core.checks import check_encryption_keys, check_production_mode, check_utc_storage


def ids(messages):
    return {message.id for message in messages}


def test_current_settings_pass():
    assert check_encryption_keys(None) == []
    assert check_utc_storage(None) == []


def test_missing_and_invalid_keys(settings):
    with override_settings(FIELD_ENCRYPTION_KEYS=[]):
        assert "signpost.E001" in ids(check_encryption_keys(None))
    with override_settings(FIELD_ENCRYPTION_KEYS=["not-a-fernet-key"]):
        assert "signpost.E002" in ids(check_encryption_keys(None))
    with override_settings(FIELD_ENCRYPTION_KEYS=[settings.SECRET_KEY]):
        assert "signpost.E003" in ids(check_encryption_keys(None))
    with override_settings(BLIND_INDEX_KEY="short"):
        assert "signpost.E004" in ids(check_encryption_keys(None))
    with override_settings(BLIND_INDEX_KEY=settings.SECRET_KEY):
        assert "signpost.E005" in ids(check_encryption_keys(None))


def test_times_must_be_stored_in_utc():
    with override_settings(USE_TZ=False):
        assert ids(check_utc_storage(None)) == {"signpost.E010"}


def test_deploy_check_warns_outside_production():
    assert "signpost.W001" in ids(check_production_mode(None))
