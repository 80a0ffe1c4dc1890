"""Phone intake end to end: triage opens an anonymous account and case for a caller, reads the
case key and a one-time set-up code; the caller later chooses a passphrase and signs in."""

from __future__ import annotations

import re

import sqlalchemy as sa

from eap.extensions import db
from eap.requests.models import HelpRequest, RequesterAccount
from tests.conftest import CSRF_RE, post_form
from tests.requests.conftest import PASSPHRASE

KEY_RE = re.compile(r'class="case-key">([A-Z0-9-]+)<')
SETUP_RE = re.compile(r'class="setup-code">([A-Z0-9-]+)<')
NONCE_RE = re.compile(r'name="nonce" type="hidden" value="([^"]+)"')
CALL = {
    "requester_type": "partner", "area": "social", "topic": "debt", "for_whom": "self",
    "urgency": "soon", "language": "tr", "description": "Anrufer hat Schulden, ruft aus Köln an.",
    "callback_number": "+49 170 1234567", "callback_window": "vormittags",
}


def _intake(staff, code: str, **fields):
    page = staff.get("/staff/intake/").get_data(as_text=True)
    data = {"csrf_token": CSRF_RE.search(page).group(1),
            "nonce": NONCE_RE.search(page).group(1), "code": code, **CALL, **fields}
    return staff.post("/staff/intake/", data=data), data


def test_phone_intake_then_the_caller_sets_a_passphrase_and_signs_in(
    app, staff_client, working_code, audit_actions
):
    organisation, code = working_code()
    triage, member = staff_client("triage")
    answer, sent = _intake(triage, code)
    assert answer.status_code == 200
    page = answer.get_data(as_text=True)
    case_key, setup_code = KEY_RE.search(page).group(1), SETUP_RE.search(page).group(1)
    assert answer.headers["Cache-Control"] == "no-store"
    # the same form sent again opens nothing new and shows no secrets
    again = triage.post("/staff/intake/", data=sent)
    assert again.status_code == 409 and not KEY_RE.search(again.get_data(as_text=True))

    with app.app_context():
        case = db.session.scalar(sa.select(HelpRequest))
        account = db.session.get(RequesterAccount, case.account_id)
        assert (case.organisation_id, case.preferred_contact, case.priority) == (
            organisation.id, "phone", 2)
        assert case.callback_number == "+49 170 1234567"  # decrypted here; encrypted at rest
        assert account.requester_type == "partner"
        assert case_key.replace("-", "") not in str(account.case_key_digest)
        raw = db.session.execute(sa.text(
            "SELECT callback_number, description FROM help_requests")).one()
        assert "1234567" not in raw[0] and "Schulden" not in raw[1]
        public_id = case.public_id
    assert (member.id, "case.phone_intake", "help_request", public_id) in audit_actions()

    # without a passphrase nothing signs in
    caller = app.test_client()
    with caller.session_transaction() as browser_session:
        browser_session["lang"] = "tr"
    for guess in ("", setup_code, "!phone-intake"):
        answer = post_form(caller, "/help/sign-in", {"case_key": case_key, "passphrase": guess})
        assert answer.status_code != 302

    # a wrong set-up code is refused like a wrong key
    wrong = post_form(caller, "/help/set-up", {
        "case_key": case_key, "setup_code": "AAAA-BBBB-CCCC-DDDD-EEEE",
        "passphrase": PASSPHRASE, "confirm": PASSPHRASE})
    assert wrong.status_code == 200 and "/help/account/welcome" not in wrong.headers.get(
        "Location", "")
    answer = post_form(caller, "/help/set-up", {
        "case_key": case_key.lower(), "setup_code": setup_code, "passphrase": PASSPHRASE,
        "confirm": PASSPHRASE})
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/welcome")
    assert caller.get("/help/account/welcome").status_code == 200  # the recovery code, once
    assert public_id in caller.get("/help/requests/").get_data(as_text=True)

    # later: sign in with the key read on the phone and the own passphrase
    later = app.test_client()
    answer = post_form(later, "/help/sign-in", {"case_key": case_key, "passphrase": PASSPHRASE})
    assert answer.status_code == 302
    assert "Schulden" in later.get(f"/help/requests/{public_id}").get_data(as_text=True)
    # the set-up code was for one use
    reuse = post_form(app.test_client(), "/help/set-up", {
        "case_key": case_key, "setup_code": setup_code, "passphrase": PASSPHRASE + " x",
        "confirm": PASSPHRASE + " x"})
    assert reuse.status_code == 200


def test_intake_needs_a_working_code_and_is_for_triage(app, staff_client, working_code,
                                                       make_organisation, make_contract):
    triage, _member = staff_client("triage")
    answer, _sent = _intake(triage, "NOT-A-CODE")
    assert answer.status_code == 400
    assert "No organisation with an active contract" in answer.get_data(as_text=True)
    counsellor, _member = staff_client("counsellor")
    assert counsellor.get("/staff/intake/").status_code == 403
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(RequesterAccount.id))) == 0


def test_a_phone_only_caller_needs_no_callback_number(app, staff_client, working_code):
    _organisation, code = working_code()
    triage, _member = staff_client("triage")
    answer, _sent = _intake(triage, code, callback_number="", callback_window="")
    assert answer.status_code == 200
    with app.app_context():
        case = db.session.scalar(sa.select(HelpRequest))
        assert case.callback_number is None and case.callback_window is None
