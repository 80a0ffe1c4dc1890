"""Key rotation: re-encrypt every ``EncryptedText`` column under the newest data key, bound to
its place (table, column, row public id); ciphertexts from before place binding are rewritten
even when they already use the newest key.

Generic over the metadata, so a new encrypted column is covered without changing this module.
Works in batches (keyset on the primary key) and commits per batch; it reports counts only.
After it has run, the old keys can be removed from ``EAP_DATA_KEYS``. Before it runs, the
command checks the running hosts it is given (``host_key_ids``, ``order_problems``).
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator

import sqlalchemy as sa
from flask import current_app

from eap import transactions
from eap.extensions import db
from eap.security.binding import PUBLIC_ID, place_of
from eap.security.crypto import BOUND, SEPARATOR, EncryptedText, decrypt, encrypt


def encrypted_columns() -> Iterator[tuple[sa.Table, list[sa.Column]]]:
    for table in db.metadata.sorted_tables:
        columns = [c for c in table.columns if isinstance(c.type, EncryptedText)]
        if columns:
            yield table, columns


def rotate(batch_size: int = 500) -> dict[str, int]:
    """Re-encrypt what is not yet under the newest key; returns rows changed per table."""
    keys = current_app.config["DATA_KEYS"]
    prefix = keys[0][0] + SEPARATOR + BOUND + SEPARATOR
    counts = {}
    for table, columns in encrypted_columns():
        counts[table.name] = _rotate_table(table, columns, keys, prefix, batch_size)
    return counts


def _rotate_table(table, columns, keys, prefix: str, batch_size: int) -> int:
    pk = list(table.primary_key.columns)
    raw = [sa.type_coerce(c, sa.Text).label(c.name) for c in columns]  # ciphertext, undecoded
    public = [table.c[PUBLIC_ID].label("_public_id")] if PUBLIC_ID in table.c else []
    # Compared as plain text: an EncryptedText comparison would encrypt the prefix itself.
    texts = [sa.type_coerce(c, sa.Text) for c in columns]
    stale = sa.or_(*[sa.and_(t.isnot(None), ~t.startswith(prefix, autoescape=True))
                     for t in texts])
    changed, last = 0, None
    while True:
        query = sa.select(*pk, *public, *raw).where(stale).order_by(*pk).limit(batch_size)
        if last is not None:
            query = query.where(sa.tuple_(*pk) > sa.tuple_(*last))
        rows = db.session.execute(query).all()
        if not rows:
            return changed
        for row in rows:
            values = {}
            for column in columns:
                token = row._mapping[column.name]
                if token is not None and not token.startswith(prefix):
                    place = place_of(table.name, column.name,
                                     row._mapping["_public_id"] if public else "")
                    plain = decrypt(token, keys, place=place)
                    values[column.name] = sa.type_coerce(encrypt(plain, keys, place=place),
                                                          sa.Text)
            key = [row._mapping[c.name] for c in pk]
            last = key
            if not values:
                continue
            db.session.execute(
                sa.update(table).where(*[c == v for c, v in zip(pk, key, strict=True)])
                .values(values)
            )
            changed += 1
        transactions.end_batch()


# --- the order of a rotation across running hosts ------------------------------------------
# A host that lacks the new key answers 500 on every row already rotated; a host that lacks an
# old key answers 500 on every row not yet rotated. So before re-encrypting, every running host
# must have the new key first and every key this command has (docs/operations.md).


def host_key_ids(base_url: str, timeout: float = 5.0) -> list[str]:
    """The data key ids a running portal process reports on its ``/readyz``."""
    url = base_url.rstrip("/") + "/readyz"
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        raise RotationOrderError(f"{base_url}: only http:// and https:// hosts can be checked")
    try:
        with urllib.request.urlopen(url, timeout=timeout) as answer:  # noqa: S310  # nosec B310
            body = answer.read()
    except urllib.error.HTTPError as error:  # 503: not ready, but it still names its keys
        body = error.read()
    except (urllib.error.URLError, OSError) as error:
        raise RotationOrderError(f"{base_url}: no answer from /readyz ({error})") from error
    try:
        return list(json.loads(body)["data_key_ids"])
    except (ValueError, KeyError, TypeError) as error:
        raise RotationOrderError(f"{base_url}: /readyz does not name its data keys") from error


def order_problems(own_ids: list[str], hosts: dict[str, list[str]]) -> list[str]:
    """Why re-encrypting under ``own_ids[0]`` would break a running host (empty: it would not)."""
    problems = []
    for host, ids in hosts.items():
        if not ids or ids[0] != own_ids[0]:
            problems.append(f"{host} has {ids} but the new key {own_ids[0]!r} must come first")
        missing = [key_id for key_id in own_ids if key_id not in ids]
        if missing:
            problems.append(f"{host} lacks {missing}: rows not yet rotated would fail there")
    return problems


class RotationOrderError(RuntimeError):
    """A running host is not ready for the rotation (or could not be asked)."""
