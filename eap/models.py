"""Shared column helpers for the feature models (each feature keeps its own models module)."""

from datetime import UTC, datetime

from sqlalchemy import DateTime
from sqlalchemy.orm import Mapped, mapped_column


def utcnow() -> datetime:
    return datetime.now(UTC)


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, nullable=False
    )


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
