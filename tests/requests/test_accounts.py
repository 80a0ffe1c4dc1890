"""Access code, anonymous account creation, sign-in, recovery, separation from HR/staff."""

import json

import sqlalchemy as sa

from eap.extensions import db
from eap.requests.models import RequesterAccount
from tests.conftest import login_hr, post_form
from tests.requests.conftest import KEY_RE, PASSPHRASE, sign_up


def test_language_comes_first_even_from_the_poster_link(client):
    answer = client.get("/help/access?code=ABCD")
    assert answer.status_code == 302 and "/help/?next=" in answer.headers["Location"]
    page = client.get(answer.headers["Location"]).get_data(as_text=True)
    for name in ("Deutsch", "English", "Türkçe", "العربية", "Русский", "Українська"):
        assert name in page
    answer = post_form(client, "/language", {"lang": "ar", "next": "/help/access?code=ABCD"},
                       from_url="/help/")
    page = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert 'dir="rtl"' in page and 'value="ABCD"' in page


def test_wrong_code_and_ended_contract(client, english, make_contract, make_access_code,
                                       make_organisation):
    answer = post_form(client, "/help/access", {"code": "ABCD-EFGH-JKMN-PQ"})
    assert "We do not know this access code" in answer.get_data(as_text=True)
    organisation = make_organisation()
    make_contract(organisation=organisation, status="ended")
    _code, plain = make_access_code(organisation)
    page = post_form(client, "/help/access", {"code": plain}).get_data(as_text=True)
    assert "access to the iGuS service has ended" in page and "0800 111 0 111" in page


def _cookie_contents(app, client) -> str:
    """The session cookie as anybody holding it could read it (signed, not encrypted)."""
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    serializer = app.session_interface.get_signing_serializer(app)
    return json.dumps(serializer.loads(cookie.value))


def test_account_creation_shows_key_first_and_stores_no_secret(app, client, working_code):
    _org, code = working_code()
    with client.session_transaction() as browser_session:
        browser_session["lang"] = "en"
    post_form(client, "/help/access", {"code": code})
    page = client.get("/help/account/new").get_data(as_text=True)
    assert "Write it down now" in page
    case_key = KEY_RE.search(page).group(1)
    assert len(case_key.replace("-", "")) >= 16 and not set("01OIL") & set(case_key)
    # The signed (readable) session cookie carries the key only sealed with the data key.
    assert case_key.replace("-", "") not in _cookie_contents(app, client)
    # The passphrase step is closed until the "written down" confirmation.
    assert client.get("/help/account/passphrase").status_code == 302
    answer = post_form(client, "/help/account/new", {})
    assert "Please confirm" in answer.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(RequesterAccount.id))) == 0
    post_form(client, "/help/account/new", {"saved": "y"})
    for weak in ("short", "passwordpassword"):
        page = post_form(client, "/help/account/passphrase", {
            "requester_type": "employee", "passphrase": weak, "confirm": weak,
        }).get_data(as_text=True)
        assert "field-error" in page
    post_form(client, "/help/account/passphrase", {
        "requester_type": "partner", "passphrase": PASSPHRASE, "confirm": PASSPHRASE,
    })
    waiting = _cookie_contents(app, client)
    welcome = client.get("/help/account/welcome").get_data(as_text=True)
    recovery = KEY_RE.search(welcome).group(1)
    assert "shown only now" in welcome
    assert recovery.replace("-", "") not in waiting and "requester_show_once" in waiting
    assert client.get("/help/account/welcome").status_code == 302  # once only
    with app.app_context():
        account = db.session.scalar(sa.select(RequesterAccount))
        assert account.requester_type == "partner"
        assert account.passphrase_hash.startswith("$argon2id$")
        stored = " ".join(str(v) for v in vars(account).values())
    for secret in (case_key, case_key.replace("-", ""), recovery.replace("-", ""), PASSPHRASE):
        assert secret not in stored


def test_sign_in_same_answer_for_wrong_and_unknown_key(client, signed_up):
    client.post("/help/sign-out", data={"csrf_token": _token(client)})
    wrong = post_form(client, "/help/sign-in",
                      {"case_key": signed_up.case_key, "passphrase": "wrong passphrase x"})
    unknown = post_form(client, "/help/sign-in",
                        {"case_key": "AAAA-BBBB-CCCC-DDDD-EEEE",
                         "passphrase": "wrong passphrase x"})
    assert wrong.status_code == unknown.status_code == 200
    assert _main(wrong) == _main(unknown)
    right = post_form(client, "/help/sign-in",
                      {"case_key": signed_up.case_key.lower(), "passphrase": PASSPHRASE})
    assert right.status_code == 302


def test_recovery_code_gives_new_key_and_passphrase(client, signed_up):
    client.post("/help/sign-out", data={"csrf_token": _token(client)})
    new = "seven orange kites over harbour"
    answer = post_form(client, "/help/recover", {
        "recovery_code": signed_up.recovery, "passphrase": new, "confirm": new})
    assert answer.status_code == 302
    page = client.get("/help/account/welcome").get_data(as_text=True)
    new_key, new_recovery = KEY_RE.findall(page)
    client.post("/help/sign-out", data={"csrf_token": _token(client)})
    for key, phrase in ((signed_up.case_key, PASSPHRASE), (signed_up.case_key, new)):
        assert post_form(client, "/help/sign-in",
                         {"case_key": key, "passphrase": phrase}).status_code == 200
    again = post_form(client, "/help/recover", {
        "recovery_code": signed_up.recovery, "passphrase": new, "confirm": new})
    assert again.status_code == 200  # the old recovery code is used up
    assert post_form(client, "/help/sign-in",
                     {"case_key": new_key, "passphrase": new}).status_code == 302
    assert new_recovery != signed_up.recovery


def test_brute_force_is_throttled_per_key_and_globally(app, client, signed_up):
    client.post("/help/sign-out", data={"csrf_token": _token(client)})
    for _ in range(5):
        post_form(client, "/help/sign-in",
                  {"case_key": signed_up.case_key, "passphrase": "guess guess guess"})
    blocked = post_form(client, "/help/sign-in",
                        {"case_key": signed_up.case_key, "passphrase": PASSPHRASE})
    assert blocked.status_code == 429
    other = post_form(client, "/help/sign-in",
                      {"case_key": "AAAA-BBBB-CCCC-DDDD-EEEE", "passphrase": "x" * 12})
    assert other.status_code == 200
    for _ in range(5):
        post_form(client, "/help/access", {"code": "WRONG-CODE-1234"})
    assert post_form(client, "/help/access", {"code": "WRONG-CODE-1234"}).status_code == 429


def test_requester_and_hr_sessions_exclude_each_other(app, client, working_code, make_hr_user):
    organisation, code = working_code()
    hr = make_hr_user(organisation=organisation)
    assert login_hr(client, hr).status_code == 302
    assert client.get("/hr/").status_code == 200
    sign_up(client, code)
    assert client.get("/help/requests/").status_code == 200
    assert client.get("/hr/").status_code == 302  # the HR sign-in is gone
    assert client.get("/staff/").status_code in (302, 403)
    login_hr(client, hr)
    assert client.get("/hr/").status_code == 200
    assert client.get("/help/requests/").status_code == 401  # requester signed out


def test_requester_idle_timeout(app, client, signed_up, monkeypatch):
    from eap.security import sessions

    moment = sessions.now()
    monkeypatch.setattr(sessions, "now", lambda: moment + 31 * 60)
    assert client.get("/help/requests/").status_code == 401


def _token(client) -> str:
    from tests.conftest import csrf_token

    return csrf_token(client, "/help/sign-in")


def _main(response) -> str:
    text = response.get_data(as_text=True)
    main = text[text.index("<main"):text.index("</main>")]
    import re

    return re.sub(r'value="[^"]*"', "", main)
