"""Model fields that encrypt personal data at rest (see onboarding.crypto)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models

from onboarding import crypto


class EncryptedMixin:
    """Stores a Fernet token; the column never holds plaintext. Lookups other than isnull are refused."""

    encrypted = True

    def get_prep_value(self, value):
        if value is None or value == "":
            return None
        return crypto.encrypt(self.serialize_plain(self.to_python(value)))

    def from_db_value(self, value, expression, connection):
        if value is None:
            return None
        return self.to_python(crypto.decrypt(value))

    def get_lookup(self, lookup_name):
        if lookup_name != "isnull":
            return None
        return super().get_lookup(lookup_name)

    def serialize_plain(self, value) -> str:
        return str(value)


class EncryptedCharField(EncryptedMixin, models.TextField):
    """Encrypted text such as an SSN, ITIN or bank account number."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("null", True)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        return value if value is None else str(value)


class EncryptedDateField(EncryptedMixin, models.TextField):
    """An encrypted date (a date of birth)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("null", True)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        if value is None or isinstance(value, datetime.date):
            return value
        try:
            return datetime.date.fromisoformat(str(value))
        except ValueError as exc:
            raise ValidationError("Enter a valid date (YYYY-MM-DD).", code="invalid") from exc

    def serialize_plain(self, value) -> str:
        return value.isoformat()

    def formfield(self, **kwargs):
        from django import forms

        return forms.DateField(required=not self.blank, **kwargs)
