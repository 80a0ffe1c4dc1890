"""Confidentiality: no plaintext at rest, no client address anywhere, key rotation."""

import logging

import sqlalchemy as sa

from eap.extensions import db, limiter
from eap.requests import messages
from eap.requests.models import HelpRequest
from tests.conftest import post_form
from tests.requests.conftest import PASSPHRASE, send_request, sign_up

ADDRESS = "203.0.113.77"
AGENT = "SecretBrowser/9.9 (DeviceFingerprint-XYZ)"
SECRETS = {
    "description": "Mein Mann trinkt seit Monaten jeden Abend",
    "callback": "+49 171 5550123",
    "window": "abends nach achtzehn Uhr",
    "message": "Die Lage hat sich verschlimmert heute",
    "staff": "Wir rufen Sie morgen an, Frau Beispiel",
    "email": "privat.person@private-mail.example",
}


def _dump(app) -> str:
    """Every row of every table as plain SQL returns it."""
    texts = []
    with app.app_context(), db.engine.connect() as connection:
        for table in db.metadata.sorted_tables:
            for row in connection.execute(sa.text(f'SELECT * FROM "{table.name}"')):
                texts.append(" ".join(str(value) for value in row))
    return "\n".join(texts)


def _whole_flow(app, client, code, make_staff):
    """Every step a requester takes, each checked to have done what it says: a flow whose steps
    failed quietly would find no plaintext anywhere and prove nothing."""
    client.environ_base.update(REMOTE_ADDR=ADDRESS, HTTP_USER_AGENT=AGENT,
                               HTTP_X_FORWARDED_FOR=ADDRESS)
    requester = sign_up(client, code)
    answer = post_form(client, "/help/account/notifications", {"email": SECRETS["email"]})
    assert answer.status_code == 302, answer.get_data(as_text=True)
    answer = send_request(client, contact="phone", callback_number=SECRETS["callback"],
                          callback_window=SECRETS["window"], description=SECRETS["description"])
    assert answer.status_code == 302, answer.get_data(as_text=True)
    with app.app_context():
        case = db.session.scalar(sa.select(HelpRequest))
        assert case.description == SECRETS["description"]
        messages.add_staff_message(case, make_staff().id, SECRETS["staff"])
        db.session.commit()
        url = f"/help/requests/{case.public_id}"
    answer = client.get(url)
    assert answer.status_code == 200 and SECRETS["staff"] in answer.get_data(as_text=True)
    answer = post_form(client, url + "/reply", {"body": SECRETS["message"]}, from_url=url)
    assert answer.status_code == 302, answer.get_data(as_text=True)
    assert SECRETS["message"] in client.get(url).get_data(as_text=True)
    answer = client.get("/help/account/data")
    assert answer.status_code == 200
    answer = client.post("/help/sign-out", data={"csrf_token": _csrf(client, url)})
    assert answer.status_code == 302
    assert client.get(url).status_code != 200  # signed out
    answer = post_form(client, "/help/sign-in",
                       {"case_key": requester.case_key, "passphrase": "wrong!"})
    assert answer.status_code == 200  # the form again, with its message
    answer = post_form(client, "/help/sign-in",
                       {"case_key": requester.case_key, "passphrase": PASSPHRASE})
    assert answer.status_code == 302
    assert client.get(url).status_code == 200
    return requester


def _csrf(client, url):
    from tests.conftest import csrf_token

    return csrf_token(client, url)


def test_no_plaintext_no_address_in_the_database_and_log(
    app, client, working_code, make_staff, caplog
):
    caplog.set_level(logging.DEBUG)
    _org, code = working_code()
    requester = _whole_flow(app, client, code, make_staff)
    dump = _dump(app)
    assert "t1$" in dump  # the encrypted columns are there, under the test key
    log = "\n".join(record.getMessage() for record in caplog.records)
    for where, text in (("database", dump), ("log", log)):
        for name, secret in SECRETS.items():
            assert secret not in text, f"{name} in plain text in the {where}"
        for secret in (ADDRESS, "127.0.0.1", AGENT, "DeviceFingerprint", PASSPHRASE,
                       requester.case_key, requester.case_key.replace("-", ""),
                       requester.recovery.replace("-", "")):
            assert secret not in text, f"{secret!r} in the {where}"


def test_rate_limiter_storage_holds_no_address(app, client, working_code):
    client.environ_base.update(REMOTE_ADDR=ADDRESS, HTTP_X_FORWARDED_FOR=ADDRESS)
    _org, code = working_code()
    requester = sign_up(client, code)
    post_form(client, "/help/access", {"code": "WRONG-CODE"})
    post_form(client, "/help/sign-in", {"case_key": requester.case_key, "passphrase": "nope"})
    post_form(client, "/help/recover", {"recovery_code": "NOPE", "passphrase": "a", "confirm": "a"})
    with app.app_context():
        storage = limiter.storage
        keys = " ".join(str(key) for key in getattr(storage, "storage", {}))
        keys += " ".join(str(key) for key in getattr(storage, "events", {}))
    assert keys, "the limiter stored nothing: is it on?"
    for secret in (ADDRESS, "127.0.0.1", requester.case_key.replace("-", ""), "WRONGCODE"):
        assert secret not in keys
