"""Public identifiers (``app_…``, ``mer_…``): random, so they can be neither guessed nor counted.

Every object that leaves the server is named by one of these; the integer primary key stays inside.
"""

import secrets
import string
from functools import partial

from django.db import models

ALPHABET = string.ascii_letters + string.digits
RANDOM_LENGTH = 20  # about 119 bits


def new_public_id(prefix: str) -> str:
    return f"{prefix}_" + "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_LENGTH))


class PublicIdField(models.CharField):
    """A unique, immutable public id with a fixed prefix, generated on creation."""

    def __init__(self, prefix: str, **kwargs):
        self.prefix = prefix
        kwargs.setdefault("max_length", len(prefix) + 1 + RANDOM_LENGTH)
        kwargs.setdefault("unique", True)  # history tables copy the field without it
        kwargs.setdefault("editable", False)
        kwargs.setdefault("default", partial(new_public_id, prefix))  # known before the first save
        super().__init__(**kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["prefix"] = self.prefix
        # Our defaults differ from Field's: spell out only what departs from ours.
        kwargs.pop("default", None)
        kwargs.pop("unique", None)
        kwargs.pop("editable", None)
        if not self.unique:
            kwargs["unique"] = False
        if self.editable:
            kwargs["editable"] = True
        return name, path, args, kwargs
