"""Drill: a form sent twice (double click, a reload after a slow answer, a retry by the browser)
creates one record.

The second submission is a *replay*: the same cookie and the same form fields as the first, as
a browser sends them when the first answer has not arrived yet.
"""

from __future__ import annotations

import re
import threading

import pytest
import sqlalchemy as sa

from eap.extensions import db
from tests.conftest import count, csrf_token
from tests.requests.conftest import REQUEST, request_form

pytestmark = pytest.mark.drill

COOKIE = "__Host-eap_session"
SIGNUP = {
    "name": "Doppelklick Pflege gGmbH", "street": "Hauptstraße 1", "postcode": "57072",
    "city": "Siegen", "vat_id": "DE 136 695 976", "billing_email": "rechnung@doppel.example",
    "employee_count": 120, "contact_name": "Erika Muster", "email": "erika@doppel.example",
    "password": "ein langer satz als passwort", "confirm": "ein langer satz als passwort",
}


def twin(app, client):
    """A second client holding the same cookie as ``client`` now (the in-flight duplicate)."""
    other = app.test_client()
    cookie = client.get_cookie(COOKIE)
    if cookie is not None:
        other.set_cookie(COOKIE, cookie.value, domain=cookie.domain or "localhost")
    return other


def test_hr_sign_up_twice_creates_one_organisation(app):
    from eap.employers.models import HrUser, Organisation

    client = app.test_client()
    data = {"csrf_token": csrf_token(client, "/hr/signup"), **SIGNUP}
    duplicate = twin(app, client)
    first = client.post("/hr/signup", data=data)
    second = duplicate.post("/hr/signup", data=data)
    assert first.status_code == 303
    assert second.status_code in (200, 303, 400)
    with app.app_context():
        assert count(Organisation) == 1
        assert count(HrUser) == 1


def test_help_request_sent_twice_creates_one_request(app, signed_up, client):
    from eap.requests.models import HelpRequest, UsageCounter

    csrf, nonce = request_form(client)
    data = {**REQUEST, "csrf_token": csrf, "nonce": nonce, "acute_danger": "no"}
    duplicate = twin(app, client)
    first = client.post("/help/requests/new", data=data)
    second = duplicate.post("/help/requests/new", data=data)
    assert first.status_code == second.status_code == 302
    # The second answer leads to the same request: the person sees what they sent.
    assert first.headers["Location"] == second.headers["Location"]
    with app.app_context():
        assert count(HelpRequest) == 1
        counters = db.session.scalars(sa.select(UsageCounter.count)).all()
        assert counters and set(counters) == {1}, "the duplicate was counted in the reports"


def test_help_request_sent_twice_at_the_same_moment_creates_one_request(
    app, signed_up, client, _schema
):
    if _schema.startswith("sqlite"):
        pytest.skip("concurrent writers need PostgreSQL (SQLite serialises them anyway)")
    from eap.requests.models import HelpRequest

    csrf, nonce = request_form(client)
    data = {**REQUEST, "csrf_token": csrf, "nonce": nonce, "acute_danger": "no"}
    clients = [twin(app, client) for _ in range(4)]
    answers: list[int] = []
    barrier = threading.Barrier(len(clients))

    def send(c):
        barrier.wait()
        answers.append(c.post("/help/requests/new", data=data).status_code)

    threads = [threading.Thread(target=send, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert answers and all(code == 302 for code in answers), answers
    with app.app_context():
        assert count(HelpRequest) == 1


def _case_url(app) -> str:
    from eap.requests.models import HelpRequest

    with app.app_context():
        return "/help/requests/" + db.session.scalar(sa.select(HelpRequest.public_id))


def test_reply_sent_twice_creates_one_message(app, signed_up, client):
    from eap.requests.models import Message
    from tests.requests.conftest import send_request

    assert send_request(client).status_code == 302
    url = _case_url(app)
    page = client.get(url).get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    # The reply form carries a one-time nonce; without it nothing would tell a double click from
    # a second message, so its absence fails here rather than passing by luck.
    nonce = re.search(r'name="nonce"[^>]*value="([^"]+)"', page)
    assert nonce, "the reply form lost its one-time nonce"
    fields = {"csrf_token": token, "body": "Bitte rufen Sie mich an.", "nonce": nonce.group(1)}
    duplicate = twin(app, client)
    first = client.post(url + "/reply", data=fields)
    second = duplicate.post(url + "/reply", data=fields)
    assert first.status_code == 302
    assert second.status_code in (302, 303, 409)
    with app.app_context():
        assert count(Message) == 1, "a double-clicked reply was saved twice"


def _assigned_case(app, make_staff, working_code):
    """A help request (through the requester pages) assigned to a new counsellor."""
    from eap.requests.models import HelpRequest
    from tests.conftest import login_staff
    from tests.requests.conftest import send_request, sign_up

    requester = app.test_client()
    _org, code = working_code()
    sign_up(requester, code)
    assert send_request(requester).status_code == 302
    member = make_staff(role="counsellor")
    with app.app_context():
        case = db.session.scalar(sa.select(HelpRequest))
        case.assigned_staff_id = member.id
        case.status = "in_progress"
        db.session.commit()
        public_id = case.public_id
    counsellor = app.test_client()
    assert login_staff(counsellor, member).status_code == 302
    return counsellor, public_id


@pytest.mark.parametrize("action", ["note", "reply"])
def test_staff_note_and_reply_sent_twice_create_one_record(app, make_staff, working_code,
                                                           action):
    from eap.counselling.models import CaseNote
    from eap.requests.models import Message
    from tests.counselling.conftest import VERSION_RE

    counsellor, public_id = _assigned_case(app, make_staff, working_code)
    url = f"/staff/cases/{public_id}"
    page = counsellor.get(url).get_data(as_text=True)
    assert page, "the counsellor cannot open the case"
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    data = {"csrf_token": token, f"{action}-body": "Rückruf vereinbart für Donnerstag."}
    version = dict(VERSION_RE.findall(page)).get(action)
    if version is not None:
        data[f"{action}-version"] = version
    for name, value in re.findall(rf'name="({action}-seen_at)"[^>]*value="([^"]*)"', page):
        data[name] = value
    duplicate = twin(app, counsellor)
    first = counsellor.post(f"{url}/{action}", data=data)
    second = duplicate.post(f"{url}/{action}", data=data)
    assert first.status_code in (302, 303), first.status_code
    assert second.status_code in (200, 302, 303, 409)
    model = CaseNote if action == "note" else Message
    with app.app_context():
        assert count(model) == 1, f"a double-clicked staff {action} was saved twice"
