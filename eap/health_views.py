"""Health checks for load balancers and operators: ``/healthz`` and ``/readyz``.

Both are unauthenticated, never cached (the security headers add ``no-store``), exempt from
rate limits, and set no cookie. They say ok / not ok per dependency and nothing else — except
the *ids* of the data keys a process holds (never the keys): ``flask rotate-keys --host`` reads
them to make sure every running host has the new key first (docs/operations.md, key rotation).

- ``/healthz``: the process answers. No database, no Redis.
- ``/readyz``: 200 when the database answers, its schema is at the migrations' head and the
  data keys are loaded; 503 otherwise. The rate-limit storage (Redis) is reported too, but a
  lost Redis does not make a host unready: every host shares it, so taking them all out of the
  load balancer would turn a degradation (limits counted per process) into an outage.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic.script import ScriptDirectory
from flask import Blueprint, current_app, jsonify

from eap.extensions import db, limiter
from eap.security.crypto import decrypt, encrypt

bp = Blueprint("health", __name__)
OK, NOT_OK = "ok", "not ok"
# A failure of these makes the process unready (503); the others are reported only.
REQUIRED = ("database", "migrations", "data_keys")


@bp.get("/healthz")
@limiter.exempt
def healthz():
    return jsonify(status=OK)


@bp.get("/readyz")
@limiter.exempt
def readyz():
    checks = {"database": NOT_OK, "migrations": NOT_OK}
    checks.update(_database())
    checks["rate_limit_storage"] = OK if _storage_answers() else NOT_OK
    checks["data_keys"] = OK if _keys_work() else NOT_OK
    ready = all(checks[name] == OK for name in REQUIRED)
    body = {
        "status": (OK if all(v == OK for v in checks.values()) else "degraded") if ready
        else NOT_OK,
        "checks": checks,
        "data_key_ids": [key_id for key_id, _ in current_app.config["DATA_KEYS"]],
    }
    return jsonify(body), 200 if ready else 503


def _database() -> dict[str, str]:
    """One connection: the database answers, and its Alembic revision is the scripts' head."""
    try:
        with db.engine.connect() as connection:
            if not sa.inspect(connection).has_table("alembic_version"):
                return {"database": OK}  # reachable, but never migrated
            revisions = set(connection.execute(
                sa.text("SELECT version_num FROM alembic_version")).scalars())
    except sa.exc.DBAPIError:  # whatever the driver says: the database does not work
        return {}
    return {"database": OK, "migrations": OK if revisions == _heads() else NOT_OK}


def _heads() -> set[str]:
    """The migration scripts' head revision(s), read once per process."""
    heads = current_app.extensions.get("eap_migration_heads")
    if heads is None:
        directory = current_app.extensions["migrate"].directory
        heads = set(ScriptDirectory(directory).get_heads())
        current_app.extensions["eap_migration_heads"] = heads
    return heads


def _storage_answers() -> bool:
    return bool(limiter.storage.check())


def _keys_work() -> bool:
    keys = current_app.config.get("DATA_KEYS") or []
    return bool(keys) and decrypt(encrypt("readyz", keys), keys) == "readyz"
