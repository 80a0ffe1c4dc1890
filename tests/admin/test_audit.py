"""The audit log: written for admin actions and sign-ins, searchable, never changeable."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from eap.extensions import db
from eap.security import audit
from eap.security.audit import AuditEntry, AuditLogIsAppendOnly
from tests.conftest import login_staff

URL = "/staff/admin/audit/"


def add_entries(app, *specs) -> list[int]:
    """Entries from (action, object type, object id, actor or None, created_at or None)."""
    ids = []
    with app.app_context():
        for action, object_type, object_id, actor, created in specs:
            entry = audit.record(action, object_type, object_id, actor=actor)
            if created is not None:
                # Back-dating is test set-up: done in SQL, since the ORM refuses any change.
                db.session.execute(
                    sa.update(AuditEntry.__table__)
                    .where(AuditEntry.__table__.c.id == entry.id)
                    .values(created_at=created)
                )
            ids.append(entry.id)
        db.session.commit()
    return ids


def test_entries_hold_ids_and_roles_never_content():
    columns = set(AuditEntry.__table__.columns.keys())
    assert columns == {
        "id", "created_at", "actor_id", "actor_role", "action", "object_type", "object_id",
    }


def test_record_takes_the_signed_in_staff_member(app, make_staff):
    counsellor = make_staff(role="counsellor")
    with app.app_context():
        entry = audit.record("case.view", "help_request", "pub-123", actor=counsellor)
        assert (entry.actor_id, entry.actor_role) == (counsellor.id, "counsellor")
        system = audit.record("purge.run", "retention")
        assert (system.actor_id, system.actor_role, system.object_id) == (None, "system", "")
        db.session.rollback()


def test_orm_refuses_updates_and_deletes(app, make_staff):
    [entry_id] = add_entries(app, ("staff.update", "staff_user", 1, make_staff(), None))
    with app.app_context():
        entry = db.session.get(AuditEntry, entry_id)
        entry.action = "nothing.happened"
        with pytest.raises(AuditLogIsAppendOnly):
            db.session.flush()
        db.session.rollback()
        db.session.delete(db.session.get(AuditEntry, entry_id))
        with pytest.raises(AuditLogIsAppendOnly):
            db.session.flush()
        db.session.rollback()
        with pytest.raises(AuditLogIsAppendOnly):
            db.session.execute(sa.update(AuditEntry).values(action="x"))
        db.session.rollback()
        with pytest.raises(AuditLogIsAppendOnly):
            db.session.execute(sa.delete(AuditEntry))
        db.session.rollback()
        assert db.session.get(AuditEntry, entry_id).action == "staff.update"


def test_retention_purge_deletes_only_old_entries(app):
    now = datetime.now(UTC)
    old, recent = add_entries(
        app,
        ("package.update", "service_package", 1, None, now - timedelta(days=800)),
        ("package.update", "service_package", 2, None, now - timedelta(days=10)),
    )
    with app.app_context():
        assert audit.purge_expired() == 1
        db.session.commit()
        left = db.session.scalars(sa.select(AuditEntry.id)).all()
    assert left == [recent]


def test_no_route_can_change_the_log(app, admin_client):
    for rule in app.url_map.iter_rules():
        if "audit" in rule.rule or "audit" in rule.endpoint:
            assert rule.methods <= {"GET", "HEAD", "OPTIONS"}, rule
    for method in ("post", "put", "patch", "delete"):
        assert getattr(admin_client, method)(URL).status_code in (400, 405)
        assert getattr(admin_client, method)(URL + "1").status_code in (400, 404, 405)


def test_admin_sign_in_is_logged_other_roles_not(app, make_staff, audit_entries):
    admin, counsellor = make_staff(role="admin"), make_staff(role="counsellor")
    login_staff(app.test_client(), admin)
    login_staff(app.test_client(), counsellor)
    assert audit_entries("staff.sign_in") == [
        (admin.id, "admin", "staff.sign_in", "staff_user", str(admin.id))
    ]


def test_search_by_actor_action_object_and_dates(
    app, admin, admin_client, make_staff, english
):
    other = make_staff(role="admin", name="Otto Other")
    now = datetime.now(UTC)
    # Object ids far above any row id: the admin's own sign-in names their id as its object.
    add_entries(
        app,
        ("package.create", "service_package", 90011, admin, now - timedelta(days=40)),
        ("staff.deactivate", "staff_user", 90022, other, now - timedelta(days=5)),
        ("staff.reset_totp", "staff_user", 90033, other, None),
        ("purge.run", "retention", None, None, None),
    )

    def objects(query: str) -> list[str]:
        page = admin_client.get(URL + query).get_data(as_text=True)
        pattern = r"<td>(service_package|staff_user|retention)</td>\s*<td>(\d*)</td>"
        return re.findall(pattern, page)

    assert objects(f"?actor={other.id}") == [("staff_user", "90033"), ("staff_user", "90022")]
    assert objects("?actor=system") == [("retention", "")]
    # A prefix finds a family of actions (the admin's own sign-in is one of them).
    assert objects("?action=staff.") == [
        ("staff_user", "90033"), ("staff_user", "90022"), ("staff_user", str(admin.id))
    ]
    assert objects("?action=staff.deactivate") == [("staff_user", "90022")]
    assert objects("?action=staff%25") == []  # LIKE wildcards are taken literally
    assert objects("?object_type=service_package") == [("service_package", "90011")]
    assert objects("?object_id=90022") == [("staff_user", "90022")]
    since = (now - timedelta(days=6)).date().isoformat()
    until = (now - timedelta(days=2)).date().isoformat()
    assert objects(f"?date_from={since}&date_to={until}") == [("staff_user", "90022")]
    # The admin's own sign-in is in the log too, newest first.
    assert "staff.sign_in" in admin_client.get(URL).get_data(as_text=True)


def test_bad_search_input_is_explained_not_a_crash(admin_client, english):
    response = admin_client.get(URL + "?date_from=yesterday&actor=999999")
    assert response.status_code == 200
    assert "Not a valid date value." in response.get_data(as_text=True)


def test_keyset_pagination_of_the_log(app, english, admin_client):
    add_entries(app, *[("package.update", "service_package", n, None, None) for n in range(120)])
    seen, url = [], URL + "?object_type=service_package"
    while url:
        page = admin_client.get(url).get_data(as_text=True)
        seen += [int(n) for n in re.findall(r"<td>service_package</td>\s*<td>(\d+)</td>", page)]
        match = re.search(r'href="([^"]*after=[^"]*)">Older entries', page)
        url = match.group(1).replace("&amp;", "&") if match else None
    assert seen == list(reversed(range(120)))


def test_purge_command_reports_a_count(app):
    add_entries(
        app, ("package.update", "service_package", 1, None, datetime.now(UTC) - timedelta(days=900))
    )
    result = app.test_cli_runner().invoke(args=["purge-audit-log"])
    assert result.exit_code == 0, result.output
    assert "removed: 1" in result.output
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)) == 0
