"""Keyset ("seek") pagination: the next page starts after the last row's sort key.

Unlike OFFSET, the database never reads the rows of earlier pages, so page 40 of a large
table costs the same as page 1. The cursor in the URL is the sort key, base64-encoded JSON.
"""

from __future__ import annotations

import base64
import binascii
import json

import sqlalchemy as sa


def encode(values: tuple) -> str:
    raw = json.dumps(list(values), separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(cursor: str | None, types: tuple[type, ...]) -> tuple | None:
    """The key in ``cursor`` if it has exactly the expected types, else None (first page)."""
    if not cursor or len(cursor) > 500:
        return None
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None
    if not isinstance(values, list) or len(values) != len(types):
        return None
    if not all(type(value) is kind for value, kind in zip(values, types, strict=True)):
        return None
    return tuple(values)


def after(columns: tuple, key: tuple):
    """The condition "sort key greater than ``key``" for ascending ``columns``."""
    return sa.tuple_(*columns) > sa.tuple_(*(sa.literal(v) for v in key))


def page(rows: list, size: int, key_of) -> tuple[list, str | None]:
    """Split the ``size + 1`` fetched rows into the page and the cursor of the next one."""
    if len(rows) <= size:
        return rows, None
    rows = rows[:size]
    return rows, encode(key_of(rows[-1]))
