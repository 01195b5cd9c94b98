import pytest
from django.core.exceptions import ImproperlyConfigured

from signpost import config


def test_secret_from_name_file(tmp_path, monkeypatch):
    secret = tmp_path / "key"
    secret.write_text("from-a-file\n")
    monkeypatch.setenv("SECRET_KEY_FILE", str(secret))
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")
    assert config.env_secret("SECRET_KEY", mode="production") == "from-a-file"


def test_unreadable_name_file_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_KEY_FILE", str(tmp_path / "missing"))
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY_FILE"):
        config.env_secret("SECRET_KEY", mode="production")


def test_production_refuses_to_run_without_secrets(monkeypatch):
    monkeypatch.delenv("BLIND_INDEX_KEY", raising=False)
    monkeypatch.delenv("BLIND_INDEX_KEY_FILE", raising=False)
    with pytest.raises(ImproperlyConfigured, match="must be set in production"):
        config.env_secret("BLIND_INDEX_KEY", mode="production")


def test_development_generates_secrets_once_into_var(tmp_path, monkeypatch):
    monkeypatch.setattr(config, "VAR_DIR", tmp_path)
    monkeypatch.delenv("BLIND_INDEX_KEY", raising=False)
    first = config.env_secret("BLIND_INDEX_KEY", mode="development")
    assert len(first) == 64
    assert config.env_secret("BLIND_INDEX_KEY", mode="development") == first
    assert (tmp_path / "secrets" / "BLIND_INDEX_KEY").stat().st_mode & 0o077 == 0


def test_unknown_mode_is_refused(monkeypatch):
    monkeypatch.setenv("SIGNPOST_ENV", "staging")
    with pytest.raises(ImproperlyConfigured):
        config.env_mode()


def test_bad_number_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("TRUSTED_PROXY_HOPS", "two")
    with pytest.raises(ImproperlyConfigured, match="TRUSTED_PROXY_HOPS"):
        config.env_int("TRUSTED_PROXY_HOPS", 0)


BANDS = {"urgent": (1.0, 24.0), "high": (24.0, 72.0), "standard": (72.0, 240.0)}


def test_response_targets_from_the_environment(monkeypatch):
    assert config.env_hours_by_band("TARGETS", BANDS) == BANDS
    monkeypatch.setenv("TARGETS", "urgent=0.5/12, standard=48/168")
    assert config.env_hours_by_band("TARGETS", BANDS) == {
        "urgent": (0.5, 12.0),
        "high": (24.0, 72.0),
        "standard": (48.0, 168.0),
    }


@pytest.mark.parametrize("value", ["urgent=1", "urgent=a/b", "critical=1/2", "high=0/24"])
def test_bad_response_targets_are_a_clear_error(monkeypatch, value):
    monkeypatch.setenv("TARGETS", value)
    with pytest.raises(ImproperlyConfigured, match="TARGETS"):
        config.env_hours_by_band("TARGETS", BANDS)
