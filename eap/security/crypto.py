"""Encryption at rest for free texts and contact data (DESIGN.md §3.2).

Each ciphertext is ``<key id>$<base64(nonce + AES-256-GCM ciphertext)>``: authenticated, and it
names the key that made it, so keys can be rotated (``EAP_DATA_KEYS``, newest first) and an
unknown key id fails closed.
"""

from __future__ import annotations

import base64
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from flask import current_app
from sqlalchemy import Text
from sqlalchemy.types import TypeDecorator

SEPARATOR = "$"


class DecryptionError(ValueError):
    """A ciphertext that is tampered with or was made with a key we do not hold."""


def _keys() -> list[tuple[str, bytes]]:
    return current_app.config["DATA_KEYS"]


def encrypt(plaintext: str, keys: list[tuple[str, bytes]] | None = None) -> str:
    key_id, key = (keys or _keys())[0]
    nonce = os.urandom(12)
    sealed = AESGCM(key).encrypt(nonce, plaintext.encode("utf-8"), key_id.encode())
    return key_id + SEPARATOR + base64.urlsafe_b64encode(nonce + sealed).decode("ascii")


def decrypt(token: str, keys: list[tuple[str, bytes]] | None = None) -> str:
    key_id, sep, body = token.partition(SEPARATOR)
    key = dict(keys or _keys()).get(key_id)
    if not sep or key is None:
        raise DecryptionError(f"no data key {key_id!r}")
    try:
        raw = base64.urlsafe_b64decode(body.encode("ascii"))
        return AESGCM(key).decrypt(raw[:12], raw[12:], key_id.encode()).decode("utf-8")
    except (InvalidTag, ValueError) as exc:
        raise DecryptionError("ciphertext does not authenticate") from exc


def key_id_of(token: str) -> str:
    return token.partition(SEPARATOR)[0]


class EncryptedText(TypeDecorator):
    """A text column stored encrypted; Python code only ever sees the plaintext."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return None if value is None else encrypt(value)

    def process_result_value(self, value, dialect):
        return None if value is None else decrypt(value)
