"""Model fields whose values are encrypted at rest (see signpost.core.crypto)."""

from __future__ import annotations

from typing import Any

from django.db import models

from signpost.core import crypto, jsoncodec


class EncryptedFieldMixin:
    """Stores a Fernet token in a text column. Only isnull lookups make sense on ciphertext."""

    encrypted = True

    def get_internal_type(self) -> str:
        return "TextField"

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name != "isnull":
            raise TypeError(
                f"Encrypted fields cannot be searched with '{lookup_name}'; use a blind index."
            )
        return super().get_lookup(lookup_name)  # type: ignore[misc]

    def serialise(self, value: Any) -> str | bytes:
        raise NotImplementedError

    def deserialise(self, text: str) -> Any:
        raise NotImplementedError

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> Any:
        if value is None:
            return None
        return self.deserialise(crypto.decrypt(value))

    def get_prep_value(self, value: Any) -> str | None:
        if value is None:
            return None
        return crypto.encrypt(self.serialise(value))


class EncryptedTextField(EncryptedFieldMixin, models.TextField):
    def serialise(self, value: Any) -> str:
        return str(value)

    def deserialise(self, text: str) -> str:
        return text

    def to_python(self, value: Any) -> Any:
        if value is None or isinstance(value, str):
            return value
        return str(value)


class EncryptedJSONField(EncryptedFieldMixin, models.TextField):
    """Any JSON value, including falsy ones ({} [] 0 false ""), encrypted as a whole."""

    def serialise(self, value: Any) -> bytes:
        return jsoncodec.dumps(value)

    def deserialise(self, text: str) -> Any:
        return jsoncodec.loads(text)

    def to_python(self, value: Any) -> Any:
        return value

    def value_to_string(self, obj: Any) -> str:
        return self.serialise(self.value_from_object(obj)).decode()


def encrypted_fields(model: type[models.Model]) -> list[models.Field]:
    return [
        field for field in model._meta.concrete_fields if isinstance(field, EncryptedFieldMixin)
    ]
