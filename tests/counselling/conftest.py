"""Fixtures of the case-work tests: cases made directly, staff clients, audit look-ups."""

from __future__ import annotations

import re
import secrets
from datetime import timedelta

import pytest
import sqlalchemy as sa

from eap.extensions import db
from eap.models import utcnow
from eap.requests.models import HelpRequest, RequesterAccount
from eap.security.audit import AuditEntry
from tests.conftest import login_staff, persist
from tests.requests.conftest import signed_up, working_code  # noqa: F401  (fixtures)

DESCRIPTION = "Ich schlafe seit Wochen schlecht und habe Angst um meine Stelle."
VERSION_RE = re.compile(r'<input[^>]*name="(\w+)-version"[^>]*value="(\d+)"')


@pytest.fixture
def make_account(app, make_contract, make_organisation):
    def make(organisation=None, **fields):
        if organisation is None:
            organisation = make_organisation()
            make_contract(organisation=organisation)
        return persist(app, RequesterAccount(
            case_key_digest=secrets.token_hex(32), recovery_digest=secrets.token_hex(32),
            passphrase_hash="$argon2id$not-used", organisation_id=organisation.id,
            requester_type="employee", **fields,
        ))

    return make


@pytest.fixture
def make_case(app, make_account):
    """A help request as the requester feature would store it (fields overridable)."""

    def make(account=None, **fields):
        account = account or make_account()
        now = utcnow()
        values = dict(
            account_id=account.id, organisation_id=account.organisation_id,
            submission_id=secrets.token_hex(16), area="psychological", topic="stress",
            for_whom="self", urgency="normal", acute_danger=False, priority=3,
            preferred_contact="messages", language="de", description=DESCRIPTION,
            status="new", created_at=now - timedelta(hours=2),
            response_due_at=now + timedelta(hours=20),
        )
        values.update(fields)
        return persist(app, HelpRequest(**values))

    return make


@pytest.fixture
def staff_client(app, make_staff):
    """``staff_client(role="counsellor", **fields)`` → (client signed in, the staff member)."""

    def make(role: str = "counsellor", **fields):
        member = make_staff(role=role, **fields)
        client = app.test_client()
        with client.session_transaction() as browser_session:
            browser_session["lang"] = "en"
        assert login_staff(client, member).status_code == 302
        return client, member

    return make


@pytest.fixture
def audit_actions(app):
    def read(object_id: str | None = None) -> list[tuple]:
        with app.app_context():
            query = sa.select(AuditEntry).order_by(AuditEntry.id)
            if object_id:
                query = query.where(AuditEntry.object_id == object_id)
            return [(e.actor_id, e.action, e.object_type, e.object_id)
                    for e in db.session.scalars(query)]

    return read


def load_case(app, public_id: str) -> HelpRequest:
    with app.app_context():
        case = db.session.scalar(sa.select(HelpRequest).where(HelpRequest.public_id == public_id))
        if case is not None:
            db.session.expunge(case)
        return case


def versions(page: str) -> dict[str, int]:
    """The case version each form on the page carries."""
    return {name: int(value) for name, value in VERSION_RE.findall(page)}


def case_post(client, case, action: str, data: dict, page: str | None = None):
    """Post one case form as a browser would, with the version and CSRF token of the page."""
    from tests.conftest import CSRF_RE

    page = page or client.get(f"/staff/cases/{case.public_id}").get_data(as_text=True)
    token = CSRF_RE.search(page).group(1)
    payload = {"csrf_token": token, f"{action}-version": versions(page).get(action, 0)}
    payload.update({f"{action}-{key}": value for key, value in data.items()})
    return client.post(f"/staff/cases/{case.public_id}/{action}", data=payload)
