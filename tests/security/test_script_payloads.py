"""Script payloads, generated with hypothesis, come back inert on every page that shows them.

Each payload is some arbitrary text around a classic vector carrying a unique marker. On every
page the vector never appears raw; where the page shows the text in full, it appears escaped
(so the test proves the text really is on the page).
"""

from __future__ import annotations

import itertools

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from markupsafe import escape

from eap.extensions import db
from tests.conftest import csrf_token, login_staff, post_form
from tests.security.conftest import send_request, sign_up

VECTORS = [
    '<script>alert("{t}")</script>',
    '<img src=x onerror=alert("{t}")>',
    '"><svg/onload=alert("{t}")>',
    "'><iframe src=javascript:alert('{t}')></iframe>",
    "</textarea><script>alert('{t}')</script>",
    '<a href="javascript:alert(1)">{t}</a>',
    "{{{{7*7}}}}<b>{t}</b>",
]
_counter = itertools.count()
_around = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=12
).map(lambda text: text.replace("<", "").replace(">", "").strip())


@st.composite
def payloads(draw) -> tuple[str, str]:
    """(the whole text, the vector inside it)."""
    vector = draw(st.sampled_from(VECTORS)).format(t=f"xss{next(_counter)}q")
    return f"{draw(_around)} {vector} {draw(_around)}".strip(), vector


@pytest.fixture
def app_settings():
    return {"RATELIMIT_ENABLED": False}  # many sign-ups in a row: not what is tested here


SETTINGS = settings(
    max_examples=10, deadline=None, database=None, phases=[Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _inert(page: str, vector: str, where: str) -> bool:
    """The vector is not raw on the page; returns whether it is shown (escaped)."""
    assert vector not in page, f"raw script payload on {where}"
    return str(escape(vector)) in page


def _get(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    if response.mimetype == "application/json":
        return ""  # JSON with nosniff is not HTML; the vector is data there
    assert response.mimetype == "text/html", url
    return response.get_data(as_text=True)


def test_hr_sign_up_fields(app, make_staff):
    admin = app.test_client()
    assert login_staff(admin, make_staff(role="admin")).status_code == 302

    @SETTINGS
    @given(name=payloads(), contact=payloads(), city=payloads())
    def check(name, contact, city):
        n = next(_counter)
        hr = app.test_client()
        form = {
            "name": name[0], "street": "Hauptstraße 1", "postcode": "57072", "city": city[0],
            "vat_id": "DE 136 695 976", "billing_email": f"rechnung{n}@muster.example",
            "employee_count": 120, "contact_name": contact[0],
            "email": f"erika{n}@muster.example",
            "password": "ein langer satz als passwort",
            "confirm": "ein langer satz als passwort",
            "vat_confirm": "y",  # every example signs up with the same VAT ID
        }
        # The form sent back with an error shows the values in attributes: still inert.
        again = post_form(hr, "/hr/signup", {**form, "vat_id": "DE000"})
        assert again.status_code == 200
        for _text, vector in (name, contact, city):
            _inert(again.get_data(as_text=True), vector, "the sign-up form")
        assert post_form(hr, "/hr/signup", form).status_code == 303
        # Sign-up answers alike for taken addresses, so it no longer signs in (issue 14).
        assert post_form(hr, "/hr/login", {"email": form["email"],
                                           "password": form["password"]}).status_code == 302
        shown = set()
        for client, url in ((hr, "/hr/"), (hr, "/hr/team/"),
                            (hr, "/hr/access/"), (admin, "/staff/admin/organisations/")):
            page = _get(client, url)
            for label, (_text, vector) in {"name": name, "contact": contact,
                                           "city": city}.items():
                if _inert(page, vector, url):
                    shown.add(label)
        assert "name" in shown, "the organisation name is shown nowhere?"

    check()


def test_requester_texts_and_staff_notes(app, working_code, make_staff):
    from eap.requests.models import HelpRequest
    from tests.counselling.conftest import case_post

    requester = app.test_client()
    _org, code = working_code()
    sign_up(requester, code)
    member = make_staff(role="counsellor")
    counsellor = app.test_client()
    assert login_staff(counsellor, member).status_code == 302
    triage = app.test_client()
    assert login_staff(triage, make_staff(role="triage")).status_code == 302

    @SETTINGS
    @given(description=payloads(), message=payloads(), note=payloads(), window=payloads())
    def check(description, message, note, window):
        answer = send_request(requester, description=description[0], contact="phone",
                              callback_number="+49 271 5550000", callback_window=window[0])
        assert answer.status_code == 302, answer.get_data(as_text=True)[:300]
        public_id = answer.headers["Location"].rstrip("/").split("/")[-2]
        url = f"/help/requests/{public_id}"
        assert post_form(requester, url + "/reply", {"body": message[0]},
                         from_url=url).status_code == 302
        with app.app_context():
            case = db.session.scalar(sa.select(HelpRequest).where(
                HelpRequest.public_id == public_id))
            case.assigned_staff_id, case.status = member.id, "in_progress"
            db.session.commit()
            db.session.refresh(case)
            db.session.expunge(case)
        assert case_post(counsellor, case, "note", {"body": note[0]}).status_code == 303
        texts = {"description": description, "message": message, "window": window}
        for client, url, full in (
            (requester, f"/help/requests/{public_id}", ("description", "message", "window")),
            (requester, f"/help/requests/{public_id}/sent", ()),
            (requester, "/help/requests/", ()),
            (requester, "/help/account/data", ("description", "message")),
            (requester, "/help/account/data.json", ()),
            (counsellor, f"/staff/cases/{public_id}", ("description", "message", "note")),
            (counsellor, "/staff/cases/mine", ()),
            (triage, "/staff/cases/", ()),
        ):
            page = _get(client, url)
            for label, (_text, vector) in {**texts, "note": note}.items():
                shown = _inert(page, vector, url)
                if label in full:
                    assert shown, f"{label} is not shown (escaped) on {url}"
        requester_page = _get(requester, f"/help/requests/{public_id}")
        assert str(escape(note[1])) not in requester_page  # notes stay internal

    check()


def test_the_checker_catches_a_raw_payload():
    vector = VECTORS[0].format(t="x")
    try:
        _inert(f"<p>{vector}</p>", vector, "test")
    except AssertionError:
        return
    raise AssertionError("the checker missed a raw payload")


def test_a_payload_in_the_url_is_inert(client):
    vector = '"><script>alert(1)</script>'
    for url in ("/help/", "/hr/login", "/staff/login"):
        page = client.get(url, query_string={"next": vector}).get_data(as_text=True)
        assert vector not in page and "<script>alert(1)" not in page
    token = csrf_token(client, "/hr/login")
    page = client.post("/hr/login", data={"csrf_token": token, "email": vector,
                                          "password": "x"}).get_data(as_text=True)
    assert "<script>alert(1)" not in page
