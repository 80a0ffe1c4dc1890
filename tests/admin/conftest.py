"""Fixtures of the admin tests: a signed-in administrator and quick audit look-ups."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from eap.extensions import db
from eap.security.audit import AuditEntry
from tests.conftest import login_staff


@pytest.fixture
def admin(make_staff):
    return make_staff(role="admin", name="Ada Admin")


@pytest.fixture
def admin_client(client, admin):
    """The test client, signed in as an administrator (with ``english`` it reads English)."""
    assert login_staff(client, admin).status_code == 302
    return client


@pytest.fixture
def audit_entries(app):
    """``audit_entries(action=None)``: the entries as (actor id, role, action, type, id) tuples."""

    def read(action: str | None = None) -> list[tuple]:
        with app.app_context():
            query = sa.select(AuditEntry).order_by(AuditEntry.id)
            if action:
                query = query.where(AuditEntry.action == action)
            return [
                (e.actor_id, e.actor_role, e.action, e.object_type, e.object_id)
                for e in db.session.scalars(query)
            ]

    return read
