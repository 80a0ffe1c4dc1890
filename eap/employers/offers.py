"""Requests for an offer: stored, e-mailed to iGuS sales, worked by administrators."""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from eap import mail
from eap.employers.offer_models import OFFER_STATUSES, OfferRequest
from eap.extensions import db

STATUS_LABELS = {
    "new": _l("New"), "contacted": _l("Contacted"), "offer_sent": _l("Offer sent"),
    "won": _l("Contract signed"), "lost": _l("No contract"),
}


def create(data: dict) -> OfferRequest:
    offer = OfferRequest(
        organisation=data["organisation"].strip(), employee_count=data["employee_count"],
        contact_name=data["contact_name"].strip(), email=data["email"].strip().lower(),
        phone=(data.get("phone") or "").strip(), message=(data.get("message") or "").strip(),
    )
    db.session.add(offer)
    db.session.flush()
    return offer


def notify_sales(offer: OfferRequest) -> None:
    """Mail the request to the configured iGuS address (after the commit)."""
    address = current_app.config.get("OFFER_REQUEST_EMAIL")
    if not address:
        return
    body = "\n".join([
        "Neue Angebotsanfrage im EAP-Portal / New request for an offer",
        "",
        f"Organisation: {offer.organisation}",
        f"Beschäftigte / Employees: {offer.employee_count}",
        f"Ansprechperson / Contact: {offer.contact_name}",
        f"E-Mail: {offer.email}",
        f"Telefon / Phone: {offer.phone or '-'}",
        "",
        offer.message or "-",
    ])
    mail.send_in_background(address, f"Angebotsanfrage: {offer.organisation}", body)


def newest(status: str = "") -> list[OfferRequest]:
    query = sa.select(OfferRequest).order_by(OfferRequest.id.desc()).limit(200)
    if status in OFFER_STATUSES:
        query = query.where(OfferRequest.status == status)
    return list(db.session.scalars(query))


def set_status(offer_id: int, status: str) -> OfferRequest | None:
    offer = db.session.get(OfferRequest, offer_id)
    if offer is None or status not in OFFER_STATUSES:
        return None
    offer.status = status
    db.session.flush()
    return offer
