"""Ciphertexts bound to their place (issue 14, item 10): table, column and the row's public id
are authenticated with each ciphertext, so one copied into another row or column fails to
decrypt; ciphertexts from before (bound only to their key id) stay readable until
``rotate-keys`` rewrites them."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from eap.extensions import db
from eap.requests.models import HelpRequest, Message, RequesterAccount
from eap.security import crypto
from tests.conftest import TEST_DATA_KEY
from tests.requests.conftest import send_request, sign_up


def _raw(column, where) -> str:
    return db.session.execute(sa.select(sa.type_coerce(column, sa.Text)).where(where)).scalar()


def _write_raw(table, column_name: str, where, token: str) -> None:
    db.session.execute(sa.update(table).where(where)
                       .values({column_name: sa.type_coerce(token, sa.Text)}))
    db.session.commit()


@pytest.fixture
def two_requests(app, working_code):
    _org, code = working_code()
    client = app.test_client()
    sign_up(client, code)
    assert send_request(client, description="Erste Bitte um Hilfe").status_code == 302
    assert send_request(client, description="Zweite Bitte um Hilfe").status_code == 302
    with app.app_context():
        first, second = db.session.scalars(sa.select(HelpRequest).order_by(HelpRequest.id)).all()
        return first.id, second.id


def test_a_description_copied_into_another_row_fails_to_decrypt(app, two_requests):
    first_id, second_id = two_requests
    table = HelpRequest.__table__
    with app.app_context():
        token = _raw(table.c.description, table.c.id == first_id)
        _write_raw(table, "description", table.c.id == second_id, token)
        db.session.expunge_all()
        with pytest.raises(crypto.DecryptionError):
            db.session.get(HelpRequest, second_id).description
        db.session.rollback()
        db.session.expunge_all()
        assert db.session.get(HelpRequest, first_id).description == "Erste Bitte um Hilfe"


def test_a_ciphertext_copied_into_another_column_fails_to_decrypt(app, two_requests):
    first_id, _second = two_requests
    table = HelpRequest.__table__
    with app.app_context():
        token = _raw(table.c.description, table.c.id == first_id)
        _write_raw(table, "callback_window", table.c.id == first_id, token)
        db.session.expunge_all()
        with pytest.raises(crypto.DecryptionError):
            db.session.get(HelpRequest, first_id).callback_window


def test_old_unbound_ciphertexts_stay_readable_until_rotation_rewrites_them(app, two_requests):
    from eap.security import rotation

    first_id, _second = two_requests
    table = HelpRequest.__table__
    keys = app.config["DATA_KEYS"]
    with app.app_context():
        legacy = crypto.encrypt("Alte Bitte", keys)  # the format before issue 14: key id only
        _write_raw(table, "description", table.c.id == first_id, legacy)
        db.session.expunge_all()
        assert db.session.get(HelpRequest, first_id).description == "Alte Bitte"
        db.session.rollback()
        counts = rotation.rotate()
        assert counts["help_requests"] >= 1
        rewritten = _raw(table.c.description, table.c.id == first_id)
        assert rewritten != legacy and rewritten.startswith(TEST_DATA_KEY.split(":")[0] + "$")
        db.session.expunge_all()
        assert db.session.get(HelpRequest, first_id).description == "Alte Bitte"
        # Bound now: copied elsewhere it no longer decrypts.
        _write_raw(table, "description", table.c.id != first_id, rewritten)
        db.session.expunge_all()
        other = db.session.scalar(sa.select(HelpRequest.id).where(HelpRequest.id != first_id))
        with pytest.raises(crypto.DecryptionError):
            db.session.get(HelpRequest, other).description


def test_messages_and_notification_addresses_are_bound_too(app, two_requests):
    with app.app_context():
        account = db.session.scalar(sa.select(RequesterAccount))
        account.notification_email = "privat@mailbox.example"
        case = db.session.get(HelpRequest, two_requests[0])
        db.session.add(Message(case_id=case.id, author="requester", body="Eine Nachricht"))
        db.session.commit()
        table = Message.__table__
        token = _raw(table.c.body, table.c.case_id == case.id)
        accounts = RequesterAccount.__table__
        _write_raw(accounts, "notification_email", accounts.c.id == account.id, token)
        db.session.expunge_all()
        with pytest.raises(crypto.DecryptionError):
            db.session.scalar(sa.select(RequesterAccount)).notification_email
