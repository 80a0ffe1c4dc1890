"""The proof of work on the anonymous steps: a script with the poster's code pays for each
account, cannot lock a colleague out, and nobody reads from any answer how many accounts others
made (issue 26, item 1; SECURITY.md, "Limits")."""

from __future__ import annotations

import base64
import html
import json
import re
import time

import pytest
from altcha import solve_challenge_v1

from tests.conftest import csrf_token, login_staff, post_form
from tests.requests.conftest import PASSPHRASE, sign_up

CHALLENGE_RE = re.compile(r'challengejson="([^"]*)"')
NEW_ACCOUNT = {"requester_type": "employee", "passphrase": PASSPHRASE, "confirm": PASSPHRASE}


def challenge_of(page: str) -> dict:
    return json.loads(html.unescape(CHALLENGE_RE.search(page).group(1)))


def solved(challenge: dict) -> str:
    """What the vendored widget posts: the found number with the signed challenge."""
    found = solve_challenge_v1(challenge["challenge"], challenge["salt"], challenge["algorithm"],
                               challenge["maxnumber"])
    return base64.b64encode(json.dumps({
        "algorithm": challenge["algorithm"], "challenge": challenge["challenge"],
        "number": found.number, "salt": challenge["salt"], "signature": challenge["signature"],
    }).encode()).decode()


def english(client):
    with client.session_transaction() as browser_session:
        browser_session["lang"] = "en"
    return client


def open_page(client, url: str) -> tuple[str, dict]:
    page = client.get(url).get_data(as_text=True)
    return page, challenge_of(page)


def with_widget(client, url: str, data: dict):
    """A browser with JavaScript: the widget solves the page's challenge, then the form posts."""
    _page, challenge = open_page(client, url)
    token = csrf_token(client, "/help/")
    return client.post(url, data={"csrf_token": token, "altcha": solved(challenge), **data})


class TestNoLockOut:
    @pytest.fixture
    def app_settings(self):
        return {"ACCOUNT_BURST_THRESHOLD": "5 per hour"}

    def test_a_script_with_the_posters_code_cannot_stop_a_colleague(self, app, working_code):
        organisation, plain = working_code()
        for _ in range(30):  # more than the old daily cap of 25 per code
            sign_up(app.test_client(), plain)
        colleague = english(app.test_client())
        assert with_widget(colleague, "/help/access", {"code": plain}).status_code == 302
        assert post_form(colleague, "/help/account/new", {"saved": "y"}).status_code == 302
        answer = with_widget(colleague, "/help/account/passphrase", NEW_ACCOUNT)
        assert answer.status_code == 302, answer.get_data(as_text=True)

        # iGuS administrators see the burst, as a count (one per hour and code), on the figures
        from eap.extensions import db
        from eap.requests import counters
        from eap.requests.models import ServiceCounter

        with app.app_context():
            cells = db.session.query(ServiceCounter).filter_by(
                dimension=counters.ACCOUNT_BURST).all()
            assert [(c.value, c.count) for c in cells] == [(str(organisation.id), 1)]

    def test_the_burst_shows_on_the_admin_figures(self, app, working_code, make_staff):
        organisation, plain = working_code()
        for _ in range(7):
            sign_up(app.test_client(), plain)
        admin = english(app.test_client())
        login_staff(admin, make_staff(role="admin"))
        page = admin.get("/staff/figures/").get_data(as_text=True)
        section = page[page.index("Bursts of new accounts"):]
        assert organisation.name in section[:2000]


def test_no_answer_to_hr_depends_on_accounts_others_made(app, working_code):
    """An HR user who hands out a one-person code and then signs up with it again and again
    sees the same answers, and the same work asked of them, whether others made 0 or 20
    accounts: there is no counter to read."""
    _organisation, plain = working_code()

    def what_hr_sees() -> list:
        seen = []
        for _ in range(3):
            client = english(app.test_client())
            for url, data in (("/help/access", {"code": plain}),
                              ("/help/account/passphrase", NEW_ACCOUNT)):
                page, challenge = open_page(client, url)
                seen.append((url, challenge["maxnumber"]))
                answer = post_form(client, url, data)
                seen.append((url, answer.status_code, answer.headers.get("Location")))
                if url == "/help/access":
                    post_form(client, "/help/account/new", {"saved": "y"})
        return seen

    before = what_hr_sees()
    for _ in range(20):
        sign_up(app.test_client(), plain)
    assert what_hr_sees() == before


def test_the_work_rises_only_for_the_client_that_keeps_asking(app, working_code):
    _organisation, plain = working_code()
    keeps_asking = english(app.test_client())
    base = open_page(keeps_asking, "/help/access")[1]["maxnumber"]
    for _ in range(3):
        assert post_form(keeps_asking, "/help/access", {"code": plain}).status_code == 302
    assert open_page(keeps_asking, "/help/access")[1]["maxnumber"] == base * 8
    newcomer = english(app.test_client())
    assert open_page(newcomer, "/help/access")[1]["maxnumber"] == base


class TestWithoutJavaScript:
    @pytest.fixture
    def app_settings(self):
        return {"POW_NOJS_WAIT": 1.0, "REQUESTER_SECRET_LIMIT": "2 per minute"}

    def test_too_early_is_asked_again_with_the_code_kept(self, app, working_code):
        _organisation, plain = working_code()
        client = english(app.test_client())
        answer = post_form(client, "/help/access", {"code": plain})
        assert answer.status_code == 200
        page = answer.get_data(as_text=True)
        assert "For your protection this step takes a few seconds" in page
        assert f'value="{plain}"' in page  # nothing typed is lost
        time.sleep(1.1)
        again = client.post("/help/access", data={"csrf_token": csrf_token(client, "/help/"),
                                                  "code": plain})
        assert again.status_code == 302

    def test_a_script_without_proof_does_not_use_up_the_codes_attempts(self, app, working_code):
        """The right code posted without proof again and again is no failed secret: the
        colleague who then types it is not refused with 429."""
        _organisation, plain = working_code()
        for _ in range(6):
            script = english(app.test_client())
            assert post_form(script, "/help/access", {"code": plain}).status_code == 200
        colleague = english(app.test_client())
        assert with_widget(colleague, "/help/access", {"code": plain}).status_code == 302


class TestSolutions:
    @pytest.fixture
    def app_settings(self):
        return {"POW_NOJS_WAIT": 3600.0}  # only a solved challenge passes

    def test_a_solution_passes_once(self, app, working_code):
        _organisation, plain = working_code()
        first = english(app.test_client())
        _page, challenge = open_page(first, "/help/access")
        payload = solved(challenge)
        answer = first.post("/help/access", data={
            "csrf_token": csrf_token(first, "/help/"), "code": plain, "altcha": payload})
        assert answer.status_code == 302
        replay = english(app.test_client())
        answer = replay.post("/help/access", data={
            "csrf_token": csrf_token(replay, "/help/"), "code": plain, "altcha": payload})
        assert answer.status_code == 200
        assert "For your protection" in answer.get_data(as_text=True)

    def test_a_forged_or_foreign_solution_does_not_pass(self, app, working_code):
        _organisation, plain = working_code()
        client = english(app.test_client())
        assert with_widget(client, "/help/access", {"code": plain}).status_code == 302
        assert post_form(client, "/help/account/new", {"saved": "y"}).status_code == 302
        # a solution of the access step is no proof for the account step
        _page, access_challenge = open_page(english(app.test_client()), "/help/access")
        foreign = solved(access_challenge)
        token = csrf_token(client, "/help/account/passphrase")
        answer = client.post("/help/account/passphrase",
                             data={"csrf_token": token, "altcha": foreign, **NEW_ACCOUNT})
        assert answer.status_code == 200
        forged = base64.b64encode(json.dumps({**json.loads(base64.b64decode(foreign)),
                                              "number": 0, "challenge": "0" * 64}).encode())
        answer = client.post("/help/account/passphrase", data={
            "csrf_token": token, "altcha": forged.decode(), **NEW_ACCOUNT})
        assert answer.status_code == 200
        assert with_widget(client, "/help/account/passphrase", NEW_ACCOUNT).status_code == 302
