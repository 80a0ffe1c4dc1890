"""Drill: key rotation end to end, through the operator command.

Data written under key A; the keys become [B, A]; ``flask rotate-keys`` re-encrypts; the keys
become [B] alone and everything is still readable; a ciphertext under a key id that is not
configured fails closed (an error, never garbage or plaintext).
"""

from __future__ import annotations

import base64

import pytest
import sqlalchemy as sa

from eap.extensions import db
from eap.security import rotation
from eap.security.crypto import DecryptionError
from tests.conftest import make_test_app
from tests.drills.conftest import assert_all_found, dispose, read_everything, requester_flow

pytestmark = pytest.mark.drill

KEY_A = "a1:" + base64.urlsafe_b64encode(b"A" * 32).decode()
KEY_B = "b2:" + base64.urlsafe_b64encode(b"B" * 32).decode()
KEY_C = "c3:" + base64.urlsafe_b64encode(b"C" * 32).decode()


@pytest.fixture
def app_settings():
    return {"DATA_KEYS": KEY_A}


def _key_ids(app) -> dict[str, int]:
    """How many stored ciphertexts each key id has, over every encrypted column."""
    ids: dict[str, int] = {}
    with app.app_context(), db.engine.connect() as connection:
        for table, columns in rotation.encrypted_columns():
            for column in columns:
                for (token,) in connection.execute(
                    sa.select(sa.type_coerce(column, sa.Text)).where(column.isnot(None))
                ):
                    key_id = token.partition("$")[0]
                    ids[key_id] = ids.get(key_id, 0) + 1
    return ids


def test_rotation_end_to_end(app, _schema, tmp_path):
    flow = requester_flow(app, cases=3, replies=2)
    with app.app_context():
        from eap.requests.models import RequesterAccount

        account = db.session.scalar(sa.select(RequesterAccount))
        account.notification_email = "privat@private-mail.example"
        db.session.commit()
    before = _key_ids(app)
    assert set(before) == {"a1"} and before["a1"] >= 3 + 3 * 2 * 2 + 3

    both = make_test_app(_schema, str(tmp_path / "both"), DATA_KEYS=f"{KEY_B},{KEY_A}")
    result = both.test_cli_runner().invoke(
        args=["rotate-keys", "--batch-size", "2", "--no-running-hosts"])
    assert result.exit_code == 0, result.output
    assert "Done:" in result.output
    for text in flow.descriptions + flow.messages + flow.callbacks:
        assert text not in result.output  # counts only
    assert _key_ids(both) == {"b2": sum(before.values())}
    # Running it again changes nothing.
    again = both.test_cli_runner().invoke(args=["rotate-keys", "--no-running-hosts"])
    assert again.exit_code == 0 and "Done: 0 row(s)" in again.output
    dispose(both)

    only_b = make_test_app(_schema, str(tmp_path / "b"), DATA_KEYS=KEY_B)
    assert_all_found(flow, read_everything(only_b))
    with only_b.app_context():
        account = db.session.scalar(sa.select(RequesterAccount))
        assert account.notification_email == "privat@private-mail.example"
    dispose(only_b)

    # The old key alone (or any unknown key) cannot read anything: fail closed.
    for keys in (KEY_A, KEY_C):
        stranger = make_test_app(_schema, str(tmp_path / keys[:2]), DATA_KEYS=keys)
        with stranger.app_context():
            from eap.requests.models import Message

            with pytest.raises(DecryptionError):
                [m.body for m in db.session.scalars(sa.select(Message))]
        dispose(stranger)


def test_unknown_key_id_fails_closed_on_the_page(app, _schema, tmp_path):
    """A requester page over data whose key is gone: the friendly 500, no ciphertext, no text."""
    import time

    from eap.requests.models import HelpRequest, RequesterAccount

    flow = requester_flow(app, cases=1, replies=1)
    with app.app_context():
        public_id, account_id = db.session.execute(
            sa.select(HelpRequest.public_id, RequesterAccount.public_id)
            .join(RequesterAccount, HelpRequest.account_id == RequesterAccount.id)
        ).one()

    # The requester who wrote the case, signed in, under an app that lacks key A.
    stranger = make_test_app(_schema, str(tmp_path / "c"), DATA_KEYS=KEY_C)
    client = stranger.test_client()
    with client.session_transaction() as browser_session:
        browser_session["requester"] = {"id": account_id, "gen": 0, "at": time.time(),
                                        "seen": time.time()}
        browser_session["lang"] = "en"
    assert client.get("/help/requests/").status_code in (200, 500)
    answer = client.get(f"/help/requests/{public_id}")
    body = answer.get_data(as_text=True)
    assert answer.status_code == 500
    assert "Something went wrong" in body
    assert "Traceback" not in body and "DecryptionError" not in body and "a1$" not in body
    for text in flow.descriptions + flow.messages:
        assert text not in body
    dispose(stranger)
