"""Extensions, created unbound here and bound to the app in ``create_app``."""

import logging

from flask_babel import Babel
from flask_limiter import Limiter
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

# One naming convention, so Alembic names constraints alike on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def _no_default_key() -> str:
    # Every limit names its own key function; none may fall back to the client's address.
    return "global"


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
# Redis down: count per process in memory instead of answering 500, and go back to Redis by
# itself once it answers again (docs/operations.md, "When something fails"). A Redis that hangs
# costs a request at most a second before that fallback.
limiter = Limiter(
    key_func=_no_default_key,
    in_memory_fallback_enabled=True,
    swallow_errors=True,
    storage_options={"socket_connect_timeout": 1, "socket_timeout": 1},
)


# The views that count by themselves (mail caps, proof-of-work markers, sign-in pressure) use
# this memory store while the limiter's storage cannot be reached, like Flask-Limiter's own
# fallback does for the decorated limits (public API of the ``limits`` library only).
_memory_counts = MovingWindowRateLimiter(MemoryStorage())
_log = logging.getLogger("flask-limiter")


_storage_lost = [False]  # this process's view, only to warn once per outage


def _counted(method: str, item, *identifiers: str) -> bool:
    try:
        counted = getattr(limiter.limiter, method)(item, *identifiers)
    except Exception:  # noqa: BLE001 - any storage error: count in this process instead
        if not _storage_lost[0]:
            # The library's own words, which eap.security.ratelimits raises to an error
            # (tests/drills/test_redis_outage.py): never a 500 because Redis is lost.
            _log.warning("Rate limit storage unreachable - falling back to in-memory storage")
            _storage_lost[0] = True
        return getattr(_memory_counts, method)(item, *identifiers)
    _storage_lost[0] = False
    return counted


def limit_hit(item, *identifiers: str) -> bool:
    """``limiter.limiter.hit`` that survives a lost rate-limit storage (counts in memory)."""
    return _counted("hit", item, *identifiers)


def limit_test(item, *identifiers: str) -> bool:
    """``limiter.limiter.test`` that survives a lost rate-limit storage."""
    return _counted("test", item, *identifiers)
