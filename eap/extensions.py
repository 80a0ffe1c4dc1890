"""Extensions, created unbound here and bound to the app in ``create_app``."""

from flask_babel import Babel
from flask_limiter import Limiter
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
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


def _counted(method: str, item, *identifiers: str) -> bool:
    try:
        return getattr(limiter.limiter, method)(item, *identifiers)
    except Exception:  # noqa: BLE001 - any storage error: the same fallback as the decorators
        # Flask-Limiter switches to its in-memory fallback only inside a decorated limit; a view
        # that counts by itself (mail caps, proof-of-work markers, sign-in pressure) must not
        # answer 500 when Redis is lost (tests/drills/test_redis_outage.py). The same switch
        # and the same log line as the library's (eap.security.ratelimits raises its level).
        if not (limiter._in_memory_fallback_enabled and limiter._fallback_limiter):
            return True  # no fallback configured: count nothing rather than refuse
        if not limiter._storage_dead:
            limiter.logger.warning(
                "Rate limit storage unreachable - falling back to in-memory storage")
            limiter._storage_dead = True
        return getattr(limiter._fallback_limiter, method)(item, *identifiers)


def limit_hit(item, *identifiers: str) -> bool:
    """``limiter.limiter.hit`` that survives a lost rate-limit storage (counts in memory)."""
    return _counted("hit", item, *identifiers)


def limit_test(item, *identifiers: str) -> bool:
    """``limiter.limiter.test`` that survives a lost rate-limit storage."""
    return _counted("test", item, *identifiers)
