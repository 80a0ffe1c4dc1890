"""Time-based one-time passwords for staff (RFC 6238 via pyotp) and recovery codes."""

from __future__ import annotations

import hashlib
import hmac
import io
import secrets
import time

import pyotp
import segno

ISSUER = "iGuS EAP-Portal"
RECOVERY_CODE_COUNT = 10
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def new_secret() -> str:
    return pyotp.random_base32()  # 160 bits from the secrets module


def provisioning_uri(secret: str, account: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=account, issuer_name=ISSUER)


def qr_svg(data: str, title: str = "") -> str:
    buffer = io.BytesIO()
    segno.make(data, error="m").save(
        buffer, kind="svg", scale=5, border=2, xmldecl=False, title=title or None
    )
    return buffer.getvalue().decode()


def accepted_step(secret: str, code: str, last_step: int, at: float | None = None) -> int | None:
    """The time step ``code`` belongs to (±1 step of now), if not used before; else None."""
    code = "".join(code.split())
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    current = int((time.time() if at is None else at) // totp.interval)
    for step in (current - 1, current, current + 1):
        if step > last_step and hmac.compare_digest(totp.at(step * totp.interval), code):
            return step
    return None


def new_recovery_codes() -> list[str]:
    return [
        "-".join(
            "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(4)) for _ in range(3)
        )
        for _ in range(RECOVERY_CODE_COUNT)
    ]


def hash_recovery_code(code: str) -> str:
    # ~58 random bits each and single use: a fast hash suffices (no dictionary to try).
    normalised = "".join(code.lower().split()).replace("-", "")
    return hashlib.sha256(normalised.encode()).hexdigest()


def use_recovery_code(stored: list[str], code: str) -> list[str] | None:
    """The remaining hashes if ``code`` was one of them, else None."""
    digest = hash_recovery_code(code)
    matches = [h for h in stored if hmac.compare_digest(h, digest)]
    if not matches:
        return None
    return [h for h in stored if h != matches[0]]
