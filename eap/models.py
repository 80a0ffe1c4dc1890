"""Shared column helpers for the feature models (each feature keeps its own models module)."""

from datetime import UTC, datetime

from sqlalchemy import DateTime
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """A moment, stored in UTC and always read back as an aware UTC datetime.

    The column stays ``DateTime(timezone=True)`` (no schema change). PostgreSQL keeps the
    offset; SQLite keeps the text without one and hands back naive values, and SQLAlchemy writes
    an aware value there as its wall-clock time. So every value is turned into UTC on the way in
    (a naive one is taken as UTC) and gets its UTC zone back on the way out, on both databases.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)


class AccountMixin:
    """Flask-Login's user interface for HR and staff accounts.

    The id Flask-Login keeps in the session is ``<kind>:<random token>`` of a server-side
    sign-in record (``eap.security.sessions``), never the database id.
    """

    login_token: str = ""
    is_anonymous = False

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return getattr(self, "active", True)

    def get_id(self) -> str:
        return self.login_token
