"""The Stripe webhook endpoint: verify, de-duplicate, apply, commit — or 5xx so Stripe retries."""

import logging

from flask import Blueprint, jsonify, request
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from eap import transactions
from eap.billing import confirmation, events, gateway
from eap.billing.einvoice import mailing as einvoice_mailing
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
        # Deliberate commit: the event id is unique; a parallel delivery fails here, inside
        # this try, and is told apart from a real error before the answer is chosen.
        transactions.commit_now("webhook event id stored")
    except IntegrityError:
        db.session.rollback()
        if not events.already_stored(event["id"]):
            # Another row collided (e.g. a parallel event inserting the same invoice): nothing
            # of this event was kept, so Stripe must deliver it again.
            log.warning("stripe event %s (%s) collided; asking for a retry",
                        event.get("id"), event.get("type"))
            return jsonify(error="conflict, retry"), 500
        # The same event id committed by a parallel delivery: it had its one effect there.
        outcome = "duplicate"
    except StaleDataError:
        # A parallel writer changed the contract first (SQLite has no row locks): retry.
        db.session.rollback()
        log.warning("stripe event %s (%s) raced another change; asking for a retry",
                    event.get("id"), event.get("type"))
        return jsonify(error="conflict, retry"), 500
    except Exception:
        db.session.rollback()
        log.exception("stripe event %s (%s) failed", event.get("id"), event.get("type"))
        return jsonify(error="processing failed"), 500
    einvoice_mailing.deliver_pending()  # after the commit: docs/einvoices.md
    if outcome == "applied":
        confirmation.send_pending()  # a contract may have become active: confirm the order
    return jsonify(outcome=outcome), 200
