from django.db import models

from signpost.core.fields import EncryptedJSONField, EncryptedTextField


class EncryptedSample(models.Model):
    """Exercises the encrypted fields and key rotation in tests."""

    text = EncryptedTextField(null=True, blank=True)
    data = EncryptedJSONField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Sample {self.pk}"
