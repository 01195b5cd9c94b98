from django.apps import AppConfig


class TestingConfig(AppConfig):
    """Installed only under SIGNPOST_ENV=test: models that exercise core machinery."""

    name = "signpost.testing"
    label = "testing"
