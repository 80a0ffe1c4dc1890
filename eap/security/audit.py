"""The audit log: who did what to which object, and when — never the content (DESIGN.md §3.4).

Entries are append-only. The ORM refuses to update or delete one; the only way out is the
retention purge (:func:`purge_expired`), a bulk SQL delete of entries older than the retention
period, run by an operator command.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app, has_request_context
from flask_login import current_user
from sqlalchemy import ForeignKey, Index, String, event
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from eap.extensions import db
from eap.models import UTCDateTime, utcnow


class AuditLogIsAppendOnly(RuntimeError):
    """Raised when code tries to change or delete an audit entry through the ORM."""


class AuditEntry(db.Model):
    __tablename__ = "audit_entries"
    __table_args__ = (
        Index("ix_audit_entries_actor_id_id", "actor_id", "id"),
        Index("ix_audit_entries_object", "object_type", "object_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, index=True
    )
    # None for operator commands run without a signed-in person.
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    actor_role: Mapped[str] = mapped_column(String(20), default="system")
    action: Mapped[str] = mapped_column(String(60), index=True)
    object_type: Mapped[str] = mapped_column(String(40))
    # A database id or a public id; never a name, text or anything else from the object.
    object_id: Mapped[str] = mapped_column(String(64), default="")

    actor = relationship("StaffUser")  # eap.staff.models; this module knows no feature


@event.listens_for(AuditEntry, "before_update")
def _refuse_update(mapper, connection, target) -> None:
    raise AuditLogIsAppendOnly("audit entries cannot be changed")


@event.listens_for(AuditEntry, "before_delete")
def _refuse_delete(mapper, connection, target) -> None:
    raise AuditLogIsAppendOnly("audit entries cannot be deleted; only the retention purge may")


@event.listens_for(Session, "do_orm_execute")
def _refuse_bulk_changes(state) -> None:
    """Bulk ``update()``/``delete()`` through the session: only the purge may delete."""
    if not (state.is_update or state.is_delete):
        return
    if not any(mapper.class_ is AuditEntry for mapper in state.all_mappers):
        return
    if state.is_delete and state.execution_options.get("audit_retention_purge"):
        return
    raise AuditLogIsAppendOnly("audit entries cannot be changed or deleted in bulk")


def _signed_in_staff():
    if not has_request_context() or not current_user.is_authenticated:
        return None
    return current_user if getattr(current_user, "kind", None) == "staff" else None


def new_entry(
    action: str, object_type: str, object_id: int | str | None = None, actor=None
) -> AuditEntry:
    """An entry, not yet added (``record`` adds and flushes one; lists add many, flush once).

    ``actor`` defaults to the signed-in staff member; without one the entry says "system".
    """
    actor = actor if actor is not None else _signed_in_staff()
    return AuditEntry(
        actor_id=actor.id if actor is not None else None,
        actor_role=actor.role if actor is not None else "system",
        action=action,
        object_type=object_type,
        object_id="" if object_id is None else str(object_id),
    )


def record(
    action: str, object_type: str, object_id: int | str | None = None, actor=None
) -> AuditEntry:
    """Add an entry (flushed, not committed: it commits with the change it describes)."""
    entry = new_entry(action, object_type, object_id, actor)
    db.session.add(entry)
    db.session.flush()
    return entry


def retention_days() -> int:
    return current_app.config["AUDIT_RETENTION_DAYS"]


def purge_expired(now: datetime | None = None) -> int:
    """Delete entries older than the retention period; returns how many went.

    A bulk SQL delete on purpose, marked as the purge: the guards let only this one through.
    """
    cutoff = (now or utcnow()) - timedelta(days=retention_days())
    result = db.session.execute(
        sa.delete(AuditEntry).where(AuditEntry.created_at < cutoff),
        execution_options={"synchronize_session": False, "audit_retention_purge": True},
    )
    return result.rowcount or 0
