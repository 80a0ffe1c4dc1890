"""The Stripe webhook endpoint: verify, de-duplicate, apply, commit — or 5xx so Stripe retries."""

import logging

from flask import Blueprint, jsonify, request
from sqlalchemy.exc import IntegrityError

from eap.billing import confirmation, events, gateway
from eap.extensions import csrf, db

log = logging.getLogger(__name__)

bp = Blueprint("stripe_webhook", __name__)


@bp.post("/stripe/webhook")
@csrf.exempt  # Stripe cannot send a CSRF token; the signature proves the sender instead
def receive():
    payload = request.get_data(cache=False, as_text=False)  # the raw body, as signed
    try:
        event = gateway.verify_event(payload, request.headers.get("Stripe-Signature", ""))
    except gateway.WebhookRejected as rejected:
        log.warning("stripe webhook rejected: %s", rejected)
        return jsonify(error="invalid signature or timestamp"), 400
    try:
        outcome = events.process(event)
        db.session.commit()
    except IntegrityError:
        # The same event id committed by a parallel delivery: it had its one effect there.
        db.session.rollback()
        outcome = "duplicate"
    except Exception:
        db.session.rollback()
        log.exception("stripe event %s (%s) failed", event.get("id"), event.get("type"))
        return jsonify(error="processing failed"), 500
    if outcome == "applied":
        confirmation.send_pending()  # a contract may have become active: confirm the order
    return jsonify(outcome=outcome), 200
