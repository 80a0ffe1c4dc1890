"""The access-control matrix, generated from the URL map: every endpoint × every actor.

Actors: an anonymous visitor; requesters of organisations A and B; HR owner, manager and billing
of A and of B; triage; the counsellor assigned to A's case and one who is not; an admin. URL
arguments are real objects of organisation A: A's access code, contract and team member, the
case of requester A (assigned to the assigned counsellor), a package, a staff member, a
referral service. Each endpoint has an explicit rule in ``RULES`` below; a route without one
fails the test, so a new route cannot ship without deciding who may open it.

GET: every cell is requested and compared. POST: every cell is sent with the actor's own CSRF
token and an empty form; the denied cells must be refused (nothing may change), the allowed
cells must not be refused (the form is then rejected as incomplete, or the action is done on
objects that are not the actors themselves; sign-outs run last).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa

from eap.extensions import db
from tests.conftest import CSRF_RE, login_hr, login_staff
from tests.security.conftest import fill_rule_all, send_request, sign_up

ACTORS = [
    "anonymous", "requester_a", "requester_b",
    "hr_owner_a", "hr_manager_a", "hr_billing_a", "hr_owner_b", "hr_manager_b", "hr_billing_b",
    "triage", "counsellor_assigned", "counsellor_other", "admin",
]
REQUESTERS = ("requester_a", "requester_b")
HR_A = ("hr_owner_a", "hr_manager_a", "hr_billing_a")
HR_B = ("hr_owner_b", "hr_manager_b", "hr_billing_b")
HR = HR_A + HR_B
STAFF = ("triage", "counsellor_assigned", "counsellor_other", "admin")

# What a refusal looks like, by who is refused.
TO_LOGIN = "login"  # HR and staff pages redirect a visitor without that sign-in to its login
REQUESTER_SIGN_IN = 401  # requester pages show the sign-in form with 401
FORBIDDEN = 403  # signed in, but the wrong kind of account or role
NOT_FOUND = 404  # someone else's object: not even its existence is revealed
DENIED = {TO_LOGIN, REQUESTER_SIGN_IN, FORBIDDEN, NOT_FOUND}

ALLOWED = "allowed"  # any answer but a refusal (and never a 500): a form error, a redirect …


def _cells(default, **overrides) -> dict:
    cells = {actor: default for actor in ACTORS}
    cells.update(overrides)
    return cells


def everyone(status=ALLOWED) -> dict:
    """Public: the same answer for every actor."""
    return _cells(status)


def hr(*roles: str, own: object = ALLOWED, foreign_object: bool = False) -> dict:
    """HR pages: other visitors go to the HR login, staff get 403, the wrong role 403; with
    ``foreign_object`` the URL names an object of organisation A, so HR of B gets 404."""
    roles = roles or ("owner", "manager", "billing")
    cells = _cells(TO_LOGIN, **{actor: FORBIDDEN for actor in STAFF})
    for actor in HR:
        role, side = actor.split("_")[1], actor[-1]
        if role not in roles:
            cells[actor] = FORBIDDEN
        elif foreign_object and side == "b":
            cells[actor] = NOT_FOUND
        else:
            cells[actor] = own
    return cells


def staff(*roles: str, own: object = ALLOWED, case: bool = False) -> dict:
    """Staff pages: other visitors go to the staff login, HR gets 403, the wrong role 403;
    with ``case`` the URL names A's case, which a counsellor not assigned to it cannot see."""
    roles = roles or ("triage", "counsellor", "admin")
    cells = _cells(TO_LOGIN, **{actor: FORBIDDEN for actor in HR})
    for actor in STAFF:
        role = actor.split("_")[0]
        cells[actor] = own if role in roles else FORBIDDEN
    if case and "counsellor" in roles:
        cells["counsellor_other"] = NOT_FOUND
    return cells


def requester(own: object = ALLOWED, foreign_object: bool = False) -> dict:
    """Requester pages: everyone else gets the requester sign-in form (401); with
    ``foreign_object`` the URL names requester A's case, which requester B cannot see."""
    cells = _cells(REQUESTER_SIGN_IN, requester_a=own, requester_b=own)
    if foreign_object:
        cells["requester_b"] = NOT_FOUND
    return cells


def _signed_in_elsewhere(status) -> dict:
    """Pages that send signed-in HR and staff away, open to everyone else."""
    return _cells(ALLOWED, **{actor: status for actor in HR + STAFF})


# endpoint -> {"GET": cells, "POST": cells} (only the methods the endpoint has)
RULES: dict[str, dict[str, dict]] = {
    "static": {"GET": everyone(200)},
    # public pages and sign-ins
    "public.index": {"GET": everyone(200)},
    "public.packages": {"GET": everyone(200)},
    "public.faq": {"GET": everyone(200)},
    "public.privacy": {"GET": everyone(200)},
    "public.imprint": {"GET": everyone(200)},
    "public.cookies": {"GET": everyone(200)},
    "public.accessibility": {"GET": everyone(200)},
    "public.emergency": {"GET": everyone(200)},
    "i18n.choose_language": {"POST": everyone()},
    "i18n.switch_language": {"GET": everyone()},
    "hr_auth.login": {"GET": everyone(200), "POST": everyone()},
    "hr_auth.forgot_password": {"GET": everyone(200), "POST": everyone()},
    "hr_auth.reset_password": {"GET": everyone(302), "POST": everyone(302)},  # invalid token
    "hr_auth.verify": {"GET": everyone(200)},
    "hr_auth.confirm_verification": {"POST": everyone(TO_LOGIN)},  # invalid token
    "hr_team.join": {"GET": everyone(TO_LOGIN), "POST": everyone(TO_LOGIN)},  # invalid token
    "signup.sign_up": {"GET": _signed_in_elsewhere(302), "POST": _signed_in_elsewhere(302)},
    "staff_auth.login": {"GET": everyone(200), "POST": everyone()},
    # Without the password step first, the code and enrolment steps go back to the login.
    "staff_auth.second_factor": {"GET": everyone(TO_LOGIN), "POST": everyone(TO_LOGIN)},
    "staff_auth.enrol": {"GET": everyone(TO_LOGIN), "POST": everyone(TO_LOGIN)},
    "staff_auth.enrol_qr": {"GET": everyone(404)},  # no enrolment under way
    "stripe_webhook.receive": {"POST": everyone(400)},  # unsigned: see tests/billing
    # health checks: no sign-in; the test schema comes from create_all, so readyz says 503
    "health.healthz": {"GET": everyone(200)},
    "health.readyz": {"GET": everyone(503)},
    # requesters (anonymous accounts)
    "requests.start": {"GET": everyone(200)},
    "requests.access": {"GET": everyone(200), "POST": everyone()},
    "requests.new_account": {"GET": everyone(302), "POST": everyone(302)},  # no code entered
    "requests.choose_passphrase": {"GET": everyone(302), "POST": everyone(302)},
    "requests.welcome": {"GET": requester(302)},  # shown once, right after sign-up
    "requests.sign_in": {"GET": everyone(200), "POST": everyone()},
    "requests.recover": {"GET": everyone(200), "POST": everyone()},
    "requests.sign_out": {"POST": everyone()},
    "requests.sign_out_everywhere": {"POST": requester()},
    "requests_cases.index": {"GET": requester(200)},
    "requests_cases.new": {"GET": requester(200)},
    "requests_cases.create": {"POST": requester()},
    "requests_cases.show": {"GET": requester(200, foreign_object=True)},
    "requests_cases.sent": {"GET": requester(200, foreign_object=True)},
    "requests_cases.reply": {"POST": requester(foreign_object=True)},
    "requests_cases.close": {"POST": requester(foreign_object=True)},
    "requests_appointments.show": {"GET": requester(200, foreign_object=True)},
    "requests_appointments.book": {"POST": requester(foreign_object=True)},
    "requests_appointments.cancel": {"POST": requester(foreign_object=True)},
    # no appointment booked: the owner gets 404 as well
    "requests_appointments.calendar_file": {"GET": requester(404, foreign_object=True)},
    "requests_appointments.ask_for_more": {"POST": requester(foreign_object=True)},
    "requests_continuity.other_counsellor": {"POST": requester(foreign_object=True)},
    "requests_follow_up.consent": {"POST": requester(foreign_object=True)},
    "requests_follow_up.answer": {"POST": requester(foreign_object=True)},
    "requests_setup.set_up": {"GET": everyone(200), "POST": everyone()},  # after phone intake
    "requests_data.data": {"GET": requester(200)},
    "requests_data.data_json": {"GET": requester(200)},
    "requests_data.notifications": {"GET": requester(200), "POST": requester()},
    "requests_data.remove_notifications": {"POST": requester()},
    "requests_data.delete": {"GET": requester(200), "POST": requester()},
    "requests_employer_report.employer_report": {"GET": requester(200)},
    # HR: every role
    "hr_auth.home": {"GET": hr(own=200)},
    "hr_auth.change_password": {"GET": hr(own=200), "POST": hr()},
    "hr_auth.resend_verification": {"POST": hr()},
    "hr_auth.logout": {"POST": hr()},
    "hr_auth.logout_everywhere": {"POST": hr()},
    # HR: access codes and reports (owner, manager)
    "hr_access.index": {"GET": hr("owner", "manager", own=200)},
    "hr_access.poster_page": {"GET": hr("owner", "manager", own=200, foreign_object=True)},
    "hr_access.qr": {"GET": hr("owner", "manager", own=200, foreign_object=True)},
    "hr_access.add": {"POST": hr("owner", "manager")},
    "hr_access.rotate": {"POST": hr("owner", "manager")},
    "hr_access.revoke": {"POST": hr("owner", "manager", foreign_object=True)},
    "reports.index": {"GET": hr("owner", "manager", own=200)},
    "reports.export": {"GET": hr("owner", "manager", own=200)},
    # HR: team (owner)
    "hr_team.index": {"GET": hr("owner", own=200), "POST": hr("owner")},
    "hr_team.remove": {"POST": hr("owner", foreign_object=True)},
    "hr_team.change_role": {"POST": hr("owner", foreign_object=True)},
    "hr_team.revoke_invitation": {"POST": hr("owner", foreign_object=True)},
    # HR: contract and billing (owner, billing)
    "billing.contract": {"GET": hr("owner", "billing", own=200)},
    "billing.choose": {"GET": hr("owner", "billing", own=200)},
    "billing.review": {"GET": hr("owner", "billing", own=400)},  # no package chosen
    "billing.buy": {"POST": hr("owner", "billing")},
    "billing.pay": {"GET": hr("owner", "billing", own=302, foreign_object=True)},
    "billing.portal": {"POST": hr("owner", "billing")},
    "billing.portal_handoff": {"GET": hr("owner", "billing", own=302)},
    "billing.change_seats": {"POST": hr("owner", "billing")},
    "billing.change_package": {"POST": hr("owner", "billing")},
    "billing.cancel": {"POST": hr("owner", "billing")},
    "billing.resume": {"POST": hr("owner", "billing")},
    "billing.preview_seats": {"GET": hr("owner", "billing")},
    "billing.confirm_cancel": {"GET": hr("owner", "billing", own=200)},
    "billing.continue_payment": {"POST": hr("owner", "billing", foreign_object=True)},
    "billing.cancel_order": {"POST": hr("owner", "billing", foreign_object=True)},
    # Development only, and only against the local Stripe emulator (none here): 404.
    "test_payment.page": {"GET": everyone(404)},
    "test_payment.pay": {"POST": everyone(404)},
    "einvoice.xrechnung": {"GET": hr("owner", "billing", own=200, foreign_object=True)},
    "einvoice.zugferd": {"GET": hr("owner", "billing", own=200, foreign_object=True)},
    "einvoice.settings": {"POST": hr("owner", "billing")},
    # iGuS staff: every role
    "staff_auth.home": {"GET": staff(own=200)},
    "staff_auth.change_password": {"GET": staff(own=200), "POST": staff()},
    "staff_auth.regenerate_recovery_codes": {"POST": staff()},
    "staff_auth.logout": {"POST": staff()},
    "staff_auth.logout_everywhere": {"POST": staff()},
    # counselling
    "counselling.inbox_list": {"GET": staff(own=200)},
    "counselling.my_cases": {"GET": staff(own=200)},
    "counselling.show": {"GET": staff(own=200, case=True)},
    "counselling.act": {"POST": staff(case=True)},
    "counselling.take": {"POST": staff()},  # any staff member may take a case from the inbox
    "counselling.assign": {"GET": staff("triage", "admin", own=200),
                           "POST": staff("triage", "admin")},
    "counselling.referral_services": {"GET": staff("admin", own=200)},
    "counselling.referral_service_edit": {"GET": staff("admin", own=200),
                                          "POST": staff("admin")},
    # appointments: each staff member's own day and availability
    "appointments_staff.day": {"GET": staff(own=200)},
    "appointments_staff.availability": {"GET": staff(own=200)},
    "appointments_staff.add_rule": {"POST": staff()},
    "appointments_staff.add_exception": {"POST": staff()},
    "appointments_staff.remove": {"POST": staff()},
    "appointments_staff.set_calendar": {"POST": staff()},
    "appointments_staff.remove_calendar": {"POST": staff()},
    "appointments_staff.new_feed": {"POST": staff()},
    "calendar_feed.feed": {"GET": everyone(404)},  # no such token
    "appointments_staff.record_session": {"POST": staff(case=True)},
    "appointments_staff.staff_cancel": {"POST": staff(case=True)},
    "appointments_staff.staff_move": {"POST": staff(case=True)},
    "intake.new": {"GET": staff("triage", "admin", own=200)},
    "intake.open_case": {"POST": staff("triage", "admin")},
    # administration and service figures (admin)
    "admin.index": {"GET": staff("admin", own=200)},
    "admin.audit_log": {"GET": staff("admin", own=200)},
    "admin.organisations_list": {"GET": staff("admin", own=200)},
    "admin.packages_list": {"GET": staff("admin", own=200)},
    "admin.package_new": {"GET": staff("admin", own=200), "POST": staff("admin")},
    "admin.package_edit": {"GET": staff("admin", own=200), "POST": staff("admin")},
    "admin.package_retire": {"POST": staff("admin")},
    "admin.package_reactivate": {"POST": staff("admin")},
    "admin.staff_list": {"GET": staff("admin", own=200)},
    "admin.staff_new": {"GET": staff("admin", own=200), "POST": staff("admin")},
    "admin.staff_edit": {"GET": staff("admin", own=200), "POST": staff("admin")},
    "admin.staff_deactivate": {"POST": staff("admin")},
    "admin.staff_reactivate": {"POST": staff("admin")},
    "admin.staff_reset_totp": {"POST": staff("admin")},
    "reports_admin.index": {"GET": staff("admin", own=200)},
    # The live chat. <public_id> here is A's case, not a chat: every chat page answers 404 like
    # any unknown chat (tests/chat/test_chat_access.py opens real chats of others).
    "requests_chat.start": {"GET": everyone(), "POST": everyone()},
    "requests_chat.show": {"GET": everyone(404)},
    "requests_chat.events": {"GET": everyone(404)},
    "requests_chat.send": {"POST": everyone(404)},
    "requests_chat.end": {"POST": everyone(404)},
    "requests_chat.keep": {"POST": everyone(404)},
    "requests_chat.delete": {"POST": everyone(404)},
    "chat_desk.index": {"GET": staff(own=200)},
    "chat_desk.desk_events": {"GET": staff(own=200)},
    "chat_desk.set_presence": {"POST": staff("triage", "counsellor")},
    "chat_desk.take": {"POST": staff("triage", "counsellor")},
    "chat_desk.show": {"GET": staff(own=404)},
    "chat_desk.events": {"GET": staff(own=404)},
    "chat_desk.send": {"POST": staff(own=404)},
    "chat_desk.end": {"POST": staff(own=404)},
    "chat_desk.hand_over": {"POST": staff(own=404)},
    "chat_desk.to_case": {"POST": staff(own=404)},
    "oncall_admin.rota_page": {"GET": staff("admin", own=200), "POST": staff("admin")},
    "oncall_admin.window_delete": {"POST": staff("admin")},
    # employer journey (issue 17): terms and AVV, offers, order confirmation
    "legal.show": {"GET": everyone(200)},
    "legal.pdf": {"GET": everyone(200)},
    "legal.status": {"GET": hr(own=200)},
    "legal.accept": {"GET": hr("owner", own=200), "POST": hr("owner")},
    "offers.request_offer": {"GET": everyone(200), "POST": everyone()},
    "order.confirmation_page": {"GET": hr("owner", "billing", own=200, foreign_object=True)},
    "order.pdf": {"GET": hr("owner", "billing", own=200, foreign_object=True)},
    "admin.offers_list": {"GET": staff("admin", own=200)},
    "admin.offer_status": {"POST": staff("admin")},
    "reports_admin.export": {"GET": staff("admin", own=200)},
}


# A stored Stripe invoice (eap.billing.einvoice.snapshot) for the e-invoice downloads.
EINVOICE = {
    "kind": "invoice", "id": "in_matrix", "number": "M-1", "status": "paid",
    "created": 1_790_000_000, "due_date": None, "currency": "EUR",
    "collection_method": "send_invoice", "subtotal": 400, "tax": 76, "total": 476,
    "amount_due": 476, "payment": None, "lines": [{
        "description": "", "amount": 400, "quantity": 1, "tax": 76, "proration": False,
        "period_start": None, "period_end": None, "lookup_key": ""}],
}


@dataclass
class World:
    clients: dict
    values: dict  # URL argument values (objects of organisation A)
    endpoints: dict  # endpoint -> list of (methods, rule)


def _staff_client(app, member):
    client = app.test_client()
    assert login_staff(client, member).status_code == 302
    return client


@pytest.fixture
def world(app, make_organisation, make_contract, make_access_code, make_hr_user, make_staff,
          make_package) -> World:
    from eap.billing.models import Contract
    from eap.counselling import referrals
    from eap.requests.models import HelpRequest

    clients = {"anonymous": app.test_client()}
    orgs = {}
    for side in ("a", "b"):
        organisation = make_organisation()
        make_contract(organisation=organisation)
        _code, plain = make_access_code(organisation)
        orgs[side] = (organisation, plain)
        for role in ("owner", "manager", "billing"):
            client = app.test_client()
            user = make_hr_user(organisation=organisation, role=role)
            assert login_hr(client, user).status_code == 302
            clients[f"hr_{role}_{side}"] = client
        client = app.test_client()
        sign_up(client, plain)
        assert send_request(client).status_code == 302
        clients[f"requester_{side}"] = client
    organisation_a = orgs["a"][0]
    team_member = make_hr_user(organisation=organisation_a, role="manager")
    members = {role: make_staff(role=role) for role in ("triage", "admin")}
    assigned, other = make_staff(role="counsellor"), make_staff(role="counsellor")
    spare_staff = make_staff(role="counsellor")
    package = make_package()
    with app.app_context():
        referrals.seed_defaults()
        db.session.commit()
        service = db.session.scalar(sa.select(referrals.ReferralService.id))
        case = db.session.scalar(
            sa.select(HelpRequest).where(HelpRequest.organisation_id == organisation_a.id)
        )
        case.assigned_staff_id, case.status = assigned.id, "in_progress"
        db.session.commit()
        case_id = case.public_id
        contract_id = db.session.scalar(
            sa.select(Contract.id).where(Contract.organisation_id == organisation_a.id)
        )
        from eap.billing.einvoice.models import EInvoiceSource
        from eap.employers.models import AccessCode

        source = EInvoiceSource(contract_id=contract_id, stripe_id="in_matrix", number="M-1",
                                data=json.dumps(EINVOICE))
        db.session.add(source)
        db.session.commit()
        source_id = source.id
        from datetime import timedelta

        from eap.models import utcnow
        from eap.oncall.models import OnCallWindow

        window = OnCallWindow(staff_id=spare_staff.id, starts_at=utcnow() + timedelta(days=1),
                              ends_at=utcnow() + timedelta(days=2))
        db.session.add(window)
        db.session.flush()
        window_id = window.id

        code_id = db.session.scalar(
            sa.select(AccessCode.id).where(AccessCode.organisation_id == organisation_a.id)
        )
        from eap.employers import team
        from eap.employers.models import Organisation

        team.invite(db.session.get(Organisation, organisation_a.id), "later@a.example", "manager")
        db.session.commit()
        invitation_id = db.session.scalar(sa.select(team.HrInvitation.id))
    clients["triage"] = _staff_client(app, members["triage"])
    clients["admin"] = _staff_client(app, members["admin"])
    clients["counsellor_assigned"] = _staff_client(app, assigned)
    clients["counsellor_other"] = _staff_client(app, other)
    for client in clients.values():
        with client.session_transaction() as browser_session:
            browser_session["lang"] = "en"
    values = {
        "code_id": code_id, "contract_id": contract_id, "public_id": case_id,
        "invitation_id": invitation_id,
        "package_id": package.id, "service_id": service, "token": "not-a-valid-token",
        "filename": "css/eap.css", "code": "en",  # /language/<code>
        # /hr/team/<user_id> is A's team member; /staff/admin/staff/<user_id> a spare counsellor
        "hr_user_id": team_member.id, "staff_user_id": spare_staff.id,
        "source_id": source_id,  # an e-invoice of A's contract
        "document": "terms", "version": "2026-12", "offer_id": 1,
        "window_id": window_id,  # an on-call window of the spare counsellor
    }
    endpoints: dict = {}
    for rule in app.url_map.iter_rules():
        endpoints.setdefault(rule.endpoint, []).append(rule)
    return World(clients, values, endpoints)


def urls_of(world: World, rule) -> list[str]:
    values = dict(world.values)
    values["user_id"] = (values["hr_user_id"] if rule.rule.startswith("/hr/")
                         else values["staff_user_id"])
    return fill_rule_all(rule, {k: v for k, v in values.items() if k in rule.arguments})


def _token(client) -> str:
    for page in ("/help/requests/", "/hr/", "/staff/", "/hr/login"):
        match = CSRF_RE.search(client.get(page).get_data(as_text=True))
        if match:
            return match.group(1)
    raise AssertionError("no CSRF token for this actor")


@pytest.fixture
def app_settings():
    # Hundreds of sign-in form posts (limits are tested elsewhere); chat streams end at once.
    return {"RATELIMIT_ENABLED": False, "CHAT_STREAM_SECONDS": 0}


LOGIN_PAGES = ("/hr/login", "/staff/login")
# POSTs that end the actor
LAST = ("logout", "sign_out", "logout_everywhere", "sign_out_everywhere", "delete")
CASE_TEXT = "Ich kann seit Wochen nicht schlafen."  # the description of A's case


def _methods(rule) -> set[str]:
    return set(rule.methods) & {"GET", "POST", "PUT", "PATCH", "DELETE"}


def test_every_route_has_a_rule(app):
    """A new route (or a new method on a route) without a decision in RULES fails here."""
    missing, stale = [], []
    endpoints: dict[str, set[str]] = {}
    for rule in app.url_map.iter_rules():
        endpoints.setdefault(rule.endpoint, set()).update(_methods(rule))
    for endpoint, methods in sorted(endpoints.items()):
        for method in sorted(methods):
            if method not in RULES.get(endpoint, {}):
                missing.append(f"{method} {endpoint}")
    for endpoint, by_method in RULES.items():
        for method, cells in by_method.items():
            if method not in endpoints.get(endpoint, set()):
                stale.append(f"{method} {endpoint}")
            assert set(cells) == set(ACTORS), endpoint
    assert not missing, "routes without an access rule in RULES: " + ", ".join(missing)
    assert not stale, "rules for routes that no longer exist: " + ", ".join(stale)


def _cells_of(world: World, method: str):
    """(endpoint, url, actor, expected) for every cell of ``method``, denied cells first and
    the session-ending POSTs last."""
    cells = []
    for endpoint, rules in sorted(world.endpoints.items()):
        expected = RULES.get(endpoint, {}).get(method)
        if expected is None:
            continue  # reported by test_every_route_has_a_rule
        for rule in rules:
            if method not in rule.methods:
                continue
            for url in urls_of(world, rule):
                for actor in ACTORS:
                    cells.append((endpoint, url, actor, expected[actor]))

    def order(cell):
        endpoint, _url, _actor, expected = cell
        return (expected == ALLOWED, endpoint.rsplit(".", 1)[-1] in LAST)

    return sorted(cells, key=order)


def _check(cell, response, problems: list[str]) -> None:
    endpoint, url, actor, expected = cell
    status = response.status_code
    if status == 302 and urlsplit(response.headers["Location"]).path in LOGIN_PAGES:
        status = TO_LOGIN
    if expected == ALLOWED:
        if endpoint.rsplit(".", 1)[-1] in LAST:
            ok = status != 500  # the actor may already be signed out by an earlier one
        else:
            ok = status not in DENIED and status != 500
    else:
        ok = status == expected
    if not ok:
        problems.append(f"{actor:<20} {url:<60} expected {expected}, got {status}")
    if expected in DENIED and CASE_TEXT in response.get_data(as_text=True):
        problems.append(f"{actor:<20} {url:<60} refused, but shows the case text")


def test_get_matrix(world):
    problems: list[str] = []
    for cell in _cells_of(world, "GET"):
        endpoint, url, actor, _expected = cell
        response = world.clients[actor].get(url)
        _check(cell, response, problems)
        headers = response.headers
        if "default-src 'self'" not in headers.get("Content-Security-Policy", ""):
            problems.append(f"{actor:<20} {url:<60} without the Content-Security-Policy")
        if headers.get("X-Content-Type-Options") != "nosniff":
            problems.append(f"{actor:<20} {url:<60} without nosniff")
        if endpoint != "static" and headers.get("Cache-Control") != "no-store":
            problems.append(f"{actor:<20} {url:<60} may be cached")
        response.close()
    assert not problems, "\n" + "\n".join(problems)


def test_post_matrix(world):
    problems: list[str] = []
    tokens = {actor: _token(client) for actor, client in world.clients.items()}
    for cell in _cells_of(world, "POST"):
        _endpoint, url, actor, _expected = cell
        response = world.clients[actor].post(url, data={"csrf_token": tokens[actor]})
        _check(cell, response, problems)
        response.close()
    assert not problems, "\n" + "\n".join(problems)
