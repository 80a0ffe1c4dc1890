"""Ciphertexts bound to their place: the ORM seals each encrypted column with its table, column
and the row's public id before a flush, and opens it with the same place after a load.

Tables without a public id bind to table and column (the row part is empty). See
``eap.security.crypto`` for the format and SECURITY.md, item 10.
"""

from __future__ import annotations

from functools import cache

from sqlalchemy import event, inspect
from sqlalchemy.orm import Mapper
from sqlalchemy.orm.attributes import set_committed_value

from eap.extensions import db
from eap.security.crypto import EncryptedText, Place, Sealed, decrypt, encrypt

PUBLIC_ID = "public_id"
_PLAIN = "_eap_plaintexts"  # what a flush sealed, restored on the instance after it


@cache
def encrypted_keys(mapper: Mapper) -> tuple[str, ...]:
    return tuple(
        prop.key for prop in mapper.column_attrs
        if isinstance(prop.columns[0].type, EncryptedText)
    )


def place_of(table: str, column: str, row_public_id: str | None) -> Place:
    return table, column, row_public_id or ""


def open_column(value: str | None, column, row_public_id: str) -> str | None:
    """The plaintext of an encrypted column read on its own (``select(Model.column, ...)``):
    such a read bypasses the ORM's opening, so the caller names the row it came from."""
    if value is None:
        return None
    return decrypt(value, place=place_of(column.table.name, column.name, row_public_id))


def _place(mapper: Mapper, state, key: str) -> Place:
    public = state.dict.get(PUBLIC_ID) if PUBLIC_ID in mapper.columns else ""
    if public is None and PUBLIC_ID in mapper.columns and not state.transient:
        public = getattr(state.obj(), PUBLIC_ID)  # expired: load it
    column = mapper.columns[key] if key in mapper.columns else mapper.get_property(key).columns[0]
    return place_of(column.table.name, column.name, public)


def _open(target, attrs) -> None:
    state = inspect(target)
    for key in encrypted_keys(state.mapper):
        if attrs is not None and key not in attrs:
            continue
        value = state.dict.get(key)
        if isinstance(value, Sealed):
            set_committed_value(target, key, decrypt(value, place=_place(state.mapper, state, key)))


def _seal(mapper: Mapper, target, insert: bool) -> None:
    keys = encrypted_keys(mapper)
    if not keys:
        return
    state = inspect(target)
    if PUBLIC_ID in mapper.columns and state.dict.get(PUBLIC_ID) is None:
        # Known before the INSERT, so that the ciphertexts can name it.
        setattr(target, PUBLIC_ID, mapper.columns[PUBLIC_ID].default.arg(None))
    plaintexts = {}
    for key in keys:
        value = state.dict.get(key)
        if value is None or isinstance(value, Sealed):
            continue
        if not insert and not state.attrs[key].history.has_changes():
            continue
        plaintexts[key] = value
        setattr(target, key, Sealed(encrypt(value, place=_place(mapper, state, key))))
    if plaintexts:
        target.__dict__[_PLAIN] = plaintexts


def _restore(mapper: Mapper, connection, target) -> None:
    for key, value in target.__dict__.pop(_PLAIN, {}).items():
        set_committed_value(target, key, value)


def init() -> None:
    """Listen on every model (idempotent)."""
    model = db.Model
    if event.contains(model, "load", _on_load):
        return
    event.listen(model, "load", _on_load, propagate=True)
    event.listen(model, "refresh", _on_refresh, propagate=True)
    event.listen(model, "before_insert", _before_insert, propagate=True)
    event.listen(model, "before_update", _before_update, propagate=True)
    event.listen(model, "after_insert", _restore, propagate=True)
    event.listen(model, "after_update", _restore, propagate=True)


def _on_load(target, context) -> None:
    _open(target, None)


def _on_refresh(target, context, attrs) -> None:
    _open(target, attrs)


def _before_insert(mapper, connection, target) -> None:
    _seal(mapper, target, insert=True)


def _before_update(mapper, connection, target) -> None:
    _seal(mapper, target, insert=False)
