"""Cross-cutting confidentiality over a whole flow through every part of the portal.

HR signs up and hands out the code; a requester signs up, adds a notification address, asks
for help with a callback number and writes; triage assigns; the counsellor answers, writes an
internal note, a status reason and a referral note; admin and reports pages are visited. All
of it with a client address, a user agent and a forwarded-for header set on every request.

Then: no address or user agent anywhere in the database (a raw SQL dump of every table) or in
the whole application log at DEBUG; no free text, callback number or notification address in
the dump (encrypted); the notification mail carries no content.
"""

from __future__ import annotations

import logging
import re

import pytest
import sqlalchemy as sa

from eap.extensions import db
from tests.conftest import login_hr, login_staff, post_form
from tests.security.conftest import PASSPHRASE, send_request, sign_up

ADDRESS = "198.51.100.23"
FORWARDED = "203.0.113.99"
AGENT = "Mozilla/5.0 (UniqueAgent-Q7Z; Fingerprint-4711)"
TEXT = {
    "description": "Mein Sohn nimmt Drogen seit dem Sommer",
    "window": "werktags zwischen neun und elf",
    "callback": "+49 271 4445566",
    "notification": "geheim.privat@private-mail.example",
    "message": "Heute war es wieder ganz schlimm zuhause",
    "staff_reply": "Ich rufe Sie am Donnerstag zurück, versprochen",
    "note": "Interne Einschätzung Suchtgefahr hoch",
    "reason": "Warten auf Rückmeldung der Klientin",
    "referral": "Termin bei der Suchtberatung Siegen",
}
ENVIRON = {"REMOTE_ADDR": ADDRESS, "HTTP_USER_AGENT": AGENT,
           "HTTP_X_FORWARDED_FOR": FORWARDED, "HTTP_X_REAL_IP": FORWARDED}


@pytest.fixture
def app_settings(mailbox):
    return mailbox.settings  # mails are really sent (the development default logs them)


def dump_all_tables(app) -> str:
    """Every row of every table, as plain SQL returns it (no decryption)."""
    lines = []
    with app.app_context(), db.engine.connect() as connection:
        for table in db.metadata.sorted_tables:
            for row in connection.execute(sa.text(f'SELECT * FROM "{table.name}"')):
                lines.append(table.name + ": " + " | ".join(str(value) for value in row))
    return "\n".join(lines)


def _client(app):
    client = app.test_client()
    client.environ_base.update(ENVIRON)
    with client.session_transaction() as browser_session:
        browser_session["lang"] = "en"
    return client


def whole_flow(app, make_hr_user, make_staff, working_code, mailbox):
    from eap.counselling import referrals
    from eap.requests.models import HelpRequest
    from tests.counselling.conftest import case_post

    organisation, code = working_code()
    hr = _client(app)
    assert login_hr(hr, make_hr_user(organisation=organisation)).status_code == 302
    for url in ("/hr/", "/hr/access/", "/hr/team/", "/hr/reports/"):
        hr.get(url)

    requester = _client(app)
    keys = sign_up(requester, code)
    assert post_form(requester, "/help/account/notifications",
                     {"email": TEXT["notification"]}).status_code in (200, 302)
    answer = send_request(requester, contact="phone", callback_number=TEXT["callback"],
                          callback_window=TEXT["window"], description=TEXT["description"])
    assert answer.status_code == 302
    public_id = answer.headers["Location"].rstrip("/").split("/")[-2]
    url = f"/help/requests/{public_id}"
    assert post_form(requester, url + "/reply", {"body": TEXT["message"]},
                     from_url=url).status_code == 302

    triage, counsellor, admin = _client(app), _client(app), _client(app)
    member = make_staff(role="counsellor")
    assert login_staff(triage, make_staff(role="triage")).status_code == 302
    assert login_staff(counsellor, member).status_code == 302
    assert login_staff(admin, make_staff(role="admin")).status_code == 302
    triage.get("/staff/cases/")
    with app.app_context():
        case = db.session.scalar(sa.select(HelpRequest).where(HelpRequest.public_id == public_id))
        version = case.version
        referrals.seed_defaults()
        db.session.commit()
        service = db.session.scalar(sa.select(referrals.ReferralService.id))
    answer = post_form(triage, f"/staff/cases/{public_id}/assign",
                       {"assign-staff_id": member.id, "assign-version": version})
    assert answer.status_code == 303
    case = type("Case", (), {"public_id": public_id})
    steps = [("reply", {"body": TEXT["staff_reply"]}), ("note", {"body": TEXT["note"]}),
             ("status", {"status": "waiting", "reason": TEXT["reason"]}),
             ("referral", {"service": service, "note": TEXT["referral"]})]
    for action, data in steps:
        assert case_post(counsellor, case, action, data).status_code == 303, action
    mail = str(mailbox.wait_for(TEXT["notification"]))
    requester.get(url)
    post_form(requester, "/help/sign-out", from_url=url)
    post_form(requester, "/help/sign-in", {"case_key": keys.case_key, "passphrase": PASSPHRASE})
    for page in ("/staff/admin/", "/staff/admin/organisations/", "/staff/admin/audit/",
                 "/staff/figures/", "/staff/cases/mine"):
        admin.get(page)
        counsellor.get(page)
    return keys, mail


def test_no_address_agent_or_plaintext_anywhere(app, make_hr_user, make_staff, working_code,
                                                mailbox, caplog):
    caplog.set_level(logging.DEBUG)
    keys, mail = whole_flow(app, make_hr_user, make_staff, working_code, mailbox)
    dump = dump_all_tables(app)
    log = "\n".join(
        record.getMessage() + (str(record.exc_info) if record.exc_info else "")
        for record in caplog.records
        if not record.name.startswith("mail.log")  # the test's own SMTP server (aiosmtpd)
    )
    assert "t1$" in dump  # the encrypted columns are there, under the test key
    for where, text in (("database", dump), ("log", log)):
        for secret in (ADDRESS, FORWARDED, AGENT, "UniqueAgent", "Fingerprint-4711"):
            assert secret not in text, f"{secret!r} in the {where}"
        for name, secret in TEXT.items():
            assert secret not in text, f"{name} in plain text in the {where}"
        for secret in (keys.case_key, keys.case_key.replace("-", ""), PASSPHRASE,
                       keys.recovery.replace("-", "")):
            assert secret not in text, f"a requester secret in the {where}"
    # Without the address or agent of the test, no IPv4 address at all is stored.
    assert not re.search(r"\b(?:\d{1,3}\.){3}\d{1,3}\b", dump), "an IP address in the database"
    # The notification ping names nothing.
    for name in ("description", "message", "staff_reply", "note", "callback"):
        assert TEXT[name] not in mail
    for word in ("Drogen", "Sucht", "Donnerstag", "drug", "addiction"):
        assert word not in mail
