"""Every admin route × every kind of visitor, generated from the URL map (SECURITY.md 8.2.1).

A new route under the ``admin`` blueprint fails ``test_every_admin_route_is_in_the_matrix``
until it is added to ROUTES with the values its URL needs.
"""

from __future__ import annotations

import pytest

from tests.conftest import csrf_token, login_hr, login_staff

# endpoint → (method, URL values). ``package`` and ``staff`` are filled in by the fixtures.
ROUTES = {
    "admin.index": ("GET", {}),
    "admin.packages_list": ("GET", {}),
    "admin.package_new": ("GET", {}),
    "admin.package_edit": ("GET", {"package_id": "package"}),
    "admin.package_retire": ("POST", {"package_id": "package"}),
    "admin.package_reactivate": ("POST", {"package_id": "package"}),
    "admin.staff_list": ("GET", {}),
    "admin.staff_new": ("GET", {}),
    "admin.staff_edit": ("GET", {"user_id": "staff"}),
    "admin.staff_deactivate": ("POST", {"user_id": "staff"}),
    "admin.staff_reactivate": ("POST", {"user_id": "staff"}),
    "admin.staff_reset_totp": ("POST", {"user_id": "staff"}),
    "admin.organisations_list": ("GET", {}),
    "admin.audit_log": ("GET", {}),
    "admin.offers_list": ("GET", {}),
    "admin.offer_status": ("POST", {"offer_id": "offer"}),
}

# who → expected status (POSTs that succeed redirect back with 303).
ACTORS = ("anonymous", "hr", "triage", "counsellor", "admin")
EXPECTED = {"anonymous": 302, "hr": 403, "triage": 403, "counsellor": 403}


def test_every_admin_route_is_in_the_matrix(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    admin_endpoints = {name for name in endpoints if name.startswith("admin.")}
    assert admin_endpoints == set(ROUTES), "add new admin routes to ROUTES (and the matrix)"


def test_the_matrix_uses_the_real_methods(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint in ROUTES:
            assert ROUTES[rule.endpoint][0] in rule.methods, rule.endpoint


@pytest.fixture
def client_as(app, make_staff, make_hr_user):
    """A client signed in as ``who`` and a CSRF token valid for its session."""

    def sign_in(who: str):
        client = app.test_client()
        if who == "anonymous":
            return client, csrf_token(client, "/staff/login")
        if who == "hr":
            login_hr(client, make_hr_user())
            return client, csrf_token(client, "/hr/")
        login_staff(client, make_staff(role=who))
        return client, csrf_token(client, "/staff/")

    return sign_in


@pytest.mark.parametrize("who", ACTORS)
@pytest.mark.parametrize("endpoint", sorted(ROUTES))
def test_admin_route_access(app, endpoint, who, client_as, make_package, make_staff):
    method, values = ROUTES[endpoint]
    from eap.employers.offer_models import OfferRequest
    from tests.conftest import persist

    offer = persist(app, OfferRequest(organisation="O", employee_count=9, contact_name="C",
                                      email="c@o.example"))
    targets = {"package": make_package().id, "staff": make_staff(role="counsellor").id,
               "offer": offer.id}
    with app.test_request_context():
        from flask import url_for

        url = url_for(endpoint, **{key: targets[kind] for key, kind in values.items()})
    client, token = client_as(who)
    if method == "GET":
        response = client.get(url)
    else:
        response = client.post(url, data={"csrf_token": token})
    if who == "admin":
        assert response.status_code == (200 if method == "GET" else 303)
    else:
        assert response.status_code == EXPECTED[who]
    if who == "anonymous":
        assert response.headers["Location"].startswith("/staff/login")
