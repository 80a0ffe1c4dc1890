"""Encryption at rest for free texts and contact data (DESIGN.md §3.2).

Each ciphertext is ``<key id>$v2$<base64(nonce + AES-256-GCM ciphertext)>``: authenticated, and
it names the key that made it, so keys can be rotated (``EAP_DATA_KEYS``, newest first) and an
unknown key id fails closed. The associated data binds it to its place: key id, table, column
and the row's public id (``eap.security.binding`` supplies them), so a ciphertext copied into
another row or column fails to decrypt. Ciphertexts from before (``<key id>$<base64>``, bound
to the key id only) stay readable until ``rotate-keys`` rewrites them.
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
BOUND = "v2"  # the version marker of place-bound ciphertexts

Place = tuple[str, str, str]  # table, column, the row's public id ("" for tables without one)


class DecryptionError(ValueError):
    """A ciphertext that is tampered with or was made with a key we do not hold."""


def _keys() -> list[tuple[str, bytes]]:
    return current_app.config["DATA_KEYS"]


def _associated(key_id: str, place: Place | None) -> bytes:
    return "\x1f".join((key_id, *place) if place else (key_id,)).encode("utf-8")


def encrypt(plaintext: str, keys: list[tuple[str, bytes]] | None = None,
            place: Place | None = None) -> str:
    """Seal ``plaintext``; with ``place`` the ciphertext decrypts only there."""
    key_id, key = (keys or _keys())[0]
    nonce = os.urandom(12)
    sealed = AESGCM(key).encrypt(nonce, plaintext.encode("utf-8"), _associated(key_id, place))
    marker = BOUND + SEPARATOR if place else ""
    return key_id + SEPARATOR + marker + base64.urlsafe_b64encode(nonce + sealed).decode("ascii")


def decrypt(token: str, keys: list[tuple[str, bytes]] | None = None,
            place: Place | None = None) -> str:
    key_id, sep, body = token.partition(SEPARATOR)
    key = dict(keys or _keys()).get(key_id)
    if not sep or key is None:
        raise DecryptionError(f"no data key {key_id!r}")
    version, bound, rest = body.partition(SEPARATOR)
    if bound:  # place-bound: only its own place authenticates it
        if version != BOUND or not place:
            raise DecryptionError("ciphertext out of its place")
        body, associated = rest, _associated(key_id, place)
    else:  # from before place binding: bound to the key id only, until rotate-keys
        associated = _associated(key_id, None)
    try:
        raw = base64.urlsafe_b64decode(body.encode("ascii"))
        return AESGCM(key).decrypt(raw[:12], raw[12:], associated).decode("utf-8")
    except (InvalidTag, ValueError) as exc:
        raise DecryptionError("ciphertext does not authenticate") from exc


def is_bound_under(token: str, key_id: str) -> bool:
    return token.startswith(key_id + SEPARATOR + BOUND + SEPARATOR)


def key_id_of(token: str) -> str:
    return token.partition(SEPARATOR)[0]


class Sealed(str):
    """A ciphertext as stored; ``eap.security.binding`` opens it with its place on load."""


class EncryptedText(TypeDecorator):
    """A text column stored encrypted; Python code only ever sees the plaintext.

    The ORM events of ``eap.security.binding`` seal values with their place before a flush and
    open them after a load. A value reaching the database any other way is sealed without a
    place (readable, and bound by the next ``rotate-keys``).
    """

    impl = Text
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None or isinstance(value, Sealed):
            return None if value is None else str(value)
        return encrypt(value)

    def process_result_value(self, value, dialect):
        return None if value is None else Sealed(value)
