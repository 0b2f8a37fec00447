"""Personal values encrypted at rest, and a keyed blind index to find them again without decrypting.

`EncryptedTextField` stores AES-256-GCM ciphertext (a fresh 96-bit nonce per write; the model and field are the
associated data, so a value copied into another column does not decrypt). `BlindIndexField(source=...)` stores the
HMAC-SHA256 of the normalised value: equal values give equal indexes, so a unique constraint on it refuses
duplicates and an exact lookup needs no decryption — but it reveals nothing without the key.

Both keys are derived (HKDF-SHA256) from `settings.FIELD_ENCRYPTION_KEY` (the XINGHUO_FIELD_KEY variable), with
different labels, so that one never serves as the other. Stored ciphertext starts with its format version
("v1:") so that a later key rotation can tell old values from new ones.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from functools import lru_cache
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import FieldError
from django.db import models

VERSION = "v1:"
NONCE_BYTES = 12


class DecryptionError(ValueError):
    """A stored value that this key cannot decrypt: another key, or a value altered in the database."""


@lru_cache(maxsize=4)
def _derive(secret: str, label: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"xinghuo-field-keys", info=label).derive(secret.encode())


def _encryption_key() -> bytes:
    return _derive(settings.FIELD_ENCRYPTION_KEY, b"encryption v1")


def _index_key() -> bytes:
    return _derive(settings.FIELD_ENCRYPTION_KEY, b"blind index v1")


def encrypt(value: str, *, context: str) -> str:
    nonce = os.urandom(NONCE_BYTES)
    sealed = AESGCM(_encryption_key()).encrypt(nonce, value.encode("utf-8"), context.encode("utf-8"))
    return VERSION + base64.urlsafe_b64encode(nonce + sealed).decode("ascii")


def decrypt(token: str, *, context: str) -> str:
    if not token.startswith(VERSION):
        raise DecryptionError("not a value encrypted by the platform")
    try:
        raw = base64.urlsafe_b64decode(token[len(VERSION) :].encode("ascii"))
        clear = AESGCM(_encryption_key()).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], context.encode("utf-8"))
    except (InvalidTag, ValueError) as exc:
        raise DecryptionError("the value cannot be decrypted with the configured XINGHUO_FIELD_KEY") from exc
    return clear.decode("utf-8")


def normalise(value: str) -> str:
    """What makes two spellings of one value the same: no surrounding blanks, capital X in ID numbers."""
    return value.strip().upper()


def blind_index(value: str, *, purpose: str) -> str:
    """The keyed HMAC of the normalised value, as 64 hex digits; `purpose` keeps indexes of different kinds apart."""
    message = f"{purpose}\x00{normalise(value)}".encode()
    return hmac.new(_index_key(), message, hashlib.sha256).hexdigest()


class EncryptedTextField(models.TextField):
    """Text stored encrypted: clear in Python, ciphertext in the column. An empty value is stored empty.

    It cannot be filtered on (every write has a new nonce): look values up through a BlindIndexField."""

    def context(self) -> str:
        return f"{self.model._meta.label_lower}.{self.name}"

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        return encrypt(str(value), context=self.context())

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value in (None, ""):
            return value
        return decrypt(value, context=self.context())

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name != "isnull":
            raise FieldError(f"{self.name} is encrypted: look it up through its blind index, not with __{lookup_name}")
        return super().get_lookup(lookup_name)


class BlindIndexField(models.CharField):
    """The blind index of another field of the model, kept up to date on every save and bulk insert (None when the
    source is empty, so that a unique constraint allows many people without one)."""

    def __init__(self, *args: Any, source: str = "", **kwargs: Any) -> None:
        self.source = source
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("null", True)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        for key, default in (("max_length", 64), ("null", True), ("blank", True), ("editable", False)):
            if kwargs.get(key) == default:
                kwargs.pop(key)
        return name, path, args, kwargs

    def index_of(self, value: str | None) -> str | None:
        return blind_index(value, purpose=f"{self.model._meta.label_lower}.{self.source}") if value else None

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        value = self.index_of(getattr(model_instance, self.source))
        setattr(model_instance, self.attname, value)
        return value
