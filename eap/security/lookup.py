"""Keyed digests for looking up secrets (access codes, case keys) without storing them.

A database dump alone cannot test guesses against these digests: the key lives in the
environment (``EAP_LOOKUP_KEY``, falling back to the secret key).
"""

import hashlib
import hmac

from flask import current_app


def lookup_digest(purpose: str, value: str) -> str:
    key = current_app.config["LOOKUP_KEY"] or current_app.config["SECRET_KEY"]
    message = f"{purpose}\x00{value}".encode()
    return hmac.new(str(key).encode(), message, hashlib.sha256).hexdigest()
