"""Absolute links for the outside world (e-mails, posters, Stripe) on the public address."""

from flask import current_app, url_for


def public_url(endpoint: str, **values) -> str:
    """``PUBLIC_BASE_URL`` + the path of ``endpoint``: never the Host header of a request."""
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + url_for(endpoint, **values)
