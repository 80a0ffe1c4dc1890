"""Every counselling route × every kind of visitor, generated from the URL map (SECURITY.md 8.2).

A new route under the ``counselling`` blueprint fails ``test_every_route_is_in_the_matrix`` until
it is added to ROUTES with its method, the case it needs and the answers per visitor.
"""

from __future__ import annotations

import pytest
from flask import url_for

from eap.counselling import referrals
from eap.counselling.case_views import FORMS
from eap.extensions import db
from tests.conftest import csrf_token, login_hr, login_staff
from tests.requests.conftest import sign_up

ACTORS = ("anonymous", "requester", "hr", "triage", "counsellor_assigned", "counsellor_other",
          "admin")
OUT = {"anonymous": 302, "requester": 302, "hr": 403}  # never past the staff guard
STAFF_OK = {"triage": "ok", "counsellor_assigned": "ok", "counsellor_other": "ok", "admin": "ok"}
CASE_OK = {**STAFF_OK, "counsellor_other": 404}
TRIAGE_OK = {**STAFF_OK, "counsellor_assigned": 403, "counsellor_other": 403}
ADMIN_OK = {"triage": 403, "counsellor_assigned": 403, "counsellor_other": 403, "admin": "ok"}

ACTION_DATA = {
    "reply": {"body": "Guten Tag"}, "note": {"body": "intern"},
    "status": {"status": "in_progress"},
    "triage": {"priority": "2", "topic": "debt", "reason": "nachgefragt"},
    "contact": {"kind": "phone"}, "referral": {"service": "SERVICE"},
    "close": {"outcome": "resolved"}, "reopen": {"reason": "meldet sich wieder"},
}

# key → (endpoint, method, url values, case kind, answers for staff, form data)
ROUTES = {
    "inbox": ("counselling.inbox_list", "GET", {}, None, STAFF_OK, {}),
    "mine": ("counselling.my_cases", "GET", {}, None, STAFF_OK, {}),
    "show": ("counselling.show", "GET", {"public_id": "case"}, "assigned", CASE_OK, {}),
    "take": ("counselling.take", "POST", {"public_id": "case"}, "unassigned", STAFF_OK, {}),
    "assign_page": ("counselling.assign", "GET", {"public_id": "case"}, "assigned", TRIAGE_OK,
                    {}),
    "assign": ("counselling.assign", "POST", {"public_id": "case"}, "assigned", TRIAGE_OK,
               {"assign-staff_id": "ASSIGNEE", "assign-version": "1"}),
    "referral_services": ("counselling.referral_services", "GET", {}, None, ADMIN_OK, {}),
    "referral_new": ("counselling.referral_service_edit", "GET", {}, None, ADMIN_OK, {}),
    "referral_edit": ("counselling.referral_service_edit", "POST", {"service_id": "service"},
                      None, ADMIN_OK, {"name": "Schuldnerberatung Siegen", "active": "y"}),
    **{
        f"act_{action}": (
            "counselling.act", "POST", {"public_id": "case", "action": action},
            "closed" if action == "reopen" else "assigned", CASE_OK,
            {f"{action}-version": "1", **{f"{action}-{k}": v for k, v in data.items()}},
        )
        for action, data in ACTION_DATA.items()
    },
}


def test_every_route_is_in_the_matrix(app):
    endpoints = {
        rule.endpoint for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("counselling.")
    }
    assert endpoints == {entry[0] for entry in ROUTES.values()}, "add new routes to ROUTES"
    assert set(FORMS) == set(ACTION_DATA), "add new case actions to ACTION_DATA"


def test_the_matrix_uses_the_real_methods(app):
    methods = {}
    for rule in app.url_map.iter_rules():
        methods.setdefault(rule.endpoint, set()).update(rule.methods)
    for endpoint, method, *_rest in ROUTES.values():
        assert method in methods[endpoint], endpoint


@pytest.fixture
def client_as(app, make_staff, make_hr_user, working_code):
    def sign_in(who: str, assignee):
        client = app.test_client()
        if who == "anonymous":
            return client, csrf_token(client, "/staff/login")
        if who == "requester":
            _org, code = working_code()
            sign_up(client, code)
            return client, csrf_token(client, "/help/account/data")
        if who == "hr":
            login_hr(client, make_hr_user())
            return client, csrf_token(client, "/hr/")
        member = assignee if who == "counsellor_assigned" else make_staff(
            role="counsellor" if who == "counsellor_other" else who
        )
        assert login_staff(client, member).status_code == 302
        return client, csrf_token(client, "/staff/")

    return sign_in


@pytest.mark.parametrize("who", ACTORS)
@pytest.mark.parametrize("key", sorted(ROUTES))
def test_route_access(app, key, who, client_as, make_staff, make_case):
    endpoint, method, values, case_kind, answers, data = ROUTES[key]
    assignee = make_staff(role="counsellor")
    with app.app_context():
        referrals.seed_defaults()
        db.session.commit()
        service_id = referrals.active_services()[0].id
    case = None
    if case_kind:
        case = make_case(
            assigned_staff_id=None if case_kind == "unassigned" else assignee.id,
            status={"closed": "closed", "unassigned": "new"}.get(case_kind, "triaged"),
        )
    targets = {"case": case.public_id if case else None, "service": service_id}
    with app.test_request_context():
        url = url_for(endpoint, **{k: targets.get(v, v) for k, v in values.items()})
    client, token = client_as(who, assignee)
    if method == "GET":
        response = client.get(url)
    else:
        fill = {"SERVICE": str(service_id), "ASSIGNEE": str(assignee.id)}
        response = client.post(
            url, data={"csrf_token": token, **{k: fill.get(v, v) for k, v in data.items()}}
        )
    expected = OUT.get(who) or answers[who]
    if expected == "ok":
        expected = 200 if method == "GET" else 303
    assert response.status_code == expected, response.get_data(as_text=True)[:3000]
    if expected == 302:
        assert response.headers["Location"].startswith("/staff/login")
