"""Helpers for the requester tests: an organisation with a working code, a signed-up client."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

from tests.conftest import post_form

PASSPHRASE = "purple tractor whistles at midnight"
KEY_RE = re.compile(r'<code dir="ltr" translate="no">([A-Z0-9-]+)</code>')
NONCE_RE = re.compile(r'name="nonce" type="hidden" value="([^"]+)"')


@dataclass
class Requester:
    case_key: str
    recovery: str
    passphrase: str = PASSPHRASE


@pytest.fixture
def working_code(make_contract, make_access_code, make_organisation):
    """(organisation, plain code) of an organisation with an active contract."""

    def make(**org_fields):
        organisation = make_organisation(**org_fields)
        make_contract(organisation=organisation)
        _code, plain = make_access_code(organisation)
        return organisation, plain

    return make


def sign_up(client, code: str, requester_type: str = "employee") -> Requester:
    with client.session_transaction() as browser_session:
        browser_session.setdefault("lang", "en")
    answer = post_form(client, "/help/access", {"code": code})
    assert answer.status_code == 302, answer.get_data(as_text=True)
    page = client.get("/help/account/new").get_data(as_text=True)
    case_key = KEY_RE.search(page).group(1)
    answer = post_form(client, "/help/account/new", {"saved": "y"})
    assert answer.status_code == 302
    answer = post_form(
        client, "/help/account/passphrase",
        {"requester_type": requester_type, "passphrase": PASSPHRASE, "confirm": PASSPHRASE},
    )
    assert answer.status_code == 302, answer.get_data(as_text=True)
    page = client.get("/help/account/welcome").get_data(as_text=True)
    recovery = KEY_RE.search(page).group(1)
    return Requester(case_key, recovery)


REQUEST = {
    "area": "psychological",
    "topic": "stress",
    "for_whom": "self",
    "urgency": "normal",
    "contact": "messages",
    "language": "de",
    "description": "Ich kann seit Wochen nicht schlafen.",
}


def request_form(client, danger: str = "no") -> tuple[str, str]:
    """(csrf token, nonce) of a fresh request form."""
    page = client.get(f"/help/requests/new?danger={danger}").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    return csrf, NONCE_RE.search(page).group(1)


def send_request(client, danger: str = "no", **fields):
    csrf, nonce = request_form(client, danger)
    data = {**REQUEST, "csrf_token": csrf, "nonce": nonce, "acute_danger": danger, **fields}
    return client.post("/help/requests/new", data=data)


@pytest.fixture
def signed_up(client, working_code):
    organisation, code = working_code()
    requester = sign_up(client, code)
    requester.organisation = organisation
    return requester
