"""The "test payment" page: in development it stands in for Stripe's hosted checkout.

Registered only when ``EAP_ENV`` is development, and it answers 404 unless ``STRIPE_API_BASE``
points at the local emulator (a loopback address). Paying asks the emulator to complete the
checkout session; the emulator then does what Stripe does — creates the subscription and its
first invoice and sends correctly signed webhook events to ``/stripe/webhook`` — so the contract
becomes active through exactly the code that handles Stripe in production.
"""

from __future__ import annotations

import http.client
import json
import re
from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, redirect, render_template, request

from eap.security.forms import ConfirmForm

bp = Blueprint("test_payment", __name__, url_prefix="/dev/test-payment")
SESSION_ID = re.compile(r"cs_test_[0-9a-f]{8,32}")
LOOPBACK = ("http://127.0.0.1:", "http://localhost:")


def emulator() -> tuple[str, int] | None:
    """(host, port) of the local emulator, or None when the portal talks to another Stripe."""
    base = current_app.config.get("STRIPE_API_BASE") or ""
    if current_app.config["ENV_NAME"] != "development" or not base.startswith(LOOPBACK):
        return None
    parts = urlsplit(base)
    return parts.hostname, parts.port


@bp.before_request
def only_with_the_emulator():
    if emulator() is None:
        abort(404)


def _ask(method: str, path: str) -> dict:
    host, port = emulator()
    connection = http.client.HTTPConnection(host, port, timeout=60)
    try:
        connection.request(method, path, body=b"" if method == "POST" else None,
                           headers={"Content-Type": "application/x-www-form-urlencoded"})
        answer = connection.getresponse()
        payload = json.loads(answer.read() or b"{}")
    finally:
        connection.close()
    if answer.status == 404:
        abort(404)
    if answer.status != 200:
        abort(502)
    return payload


def _session(session_id: str) -> dict:
    if not SESSION_ID.fullmatch(session_id):
        abort(404)
    return _ask("GET", f"/v1/checkout/sessions/{session_id}")


def _same_site(url: str | None) -> str:
    """The session's return address, if it is on this portal (never an open redirect)."""
    base = urlsplit(current_app.config["PUBLIC_BASE_URL"])
    target = urlsplit(url or "")
    if (target.scheme, target.netloc) != (base.scheme, base.netloc):
        return "/hr/contract/"
    return target.path + (f"?{target.query}" if target.query else "")


@bp.get("/<session_id>")
def page(session_id: str):
    session = _session(session_id)
    return render_template("billing/test_payment.html", session=session, form=ConfirmForm())


@bp.post("/<session_id>")
def pay(session_id: str):
    if not ConfirmForm().validate_on_submit():
        abort(400)
    session = _session(session_id)
    if session["status"] != "open":
        return redirect(_same_site(session.get("success_url")), 303)
    if request.form.get("action") == "cancel":
        return redirect(_same_site(session.get("cancel_url")), 303)
    completed = _ask("POST", f"/_dev/checkout/{session_id}/complete")
    return redirect(_same_site(completed.get("success_url")), 303)
