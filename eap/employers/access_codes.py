"""Employee access codes: generation, lookup, rotation."""

from __future__ import annotations

import secrets

import sqlalchemy as sa

from eap.employers.models import AccessCode, Organisation
from eap.extensions import db
from eap.models import utcnow
from eap.security.lookup import lookup_digest

# No 0/O, 1/I/L: read off a poster without mistakes. 31 symbols × 14 ≈ 69 bits.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 14


def normalise(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def grouped(code: str) -> str:
    """``ABCD-EFGH-JKMN-PQ`` — easier to read and type."""
    plain = normalise(code)
    return "-".join(plain[i : i + 4] for i in range(0, len(plain), 4))


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def create_code(organisation: Organisation, label: str = "", primary: bool = True) -> AccessCode:
    plain = new_code()
    code = AccessCode(
        organisation_id=organisation.id,
        code=plain,
        digest=lookup_digest("access-code", plain),
        label=label,
        is_primary=primary,
    )
    db.session.add(code)
    db.session.flush()
    return code


def find_usable_code(entered: str) -> AccessCode | None:
    """The active code matching ``entered``, or None.

    Whether the organisation's contract still grants access is a separate question
    (``eap.billing.contracts.access_contract``); callers answer a wrong code and an ended
    contract alike
    (SECURITY.md: a wrong code looks like an ended contract until the code itself is valid).
    """
    plain = normalise(entered)
    if len(plain) != CODE_LENGTH:
        return None
    code = db.session.scalar(
        sa.select(AccessCode).where(
            AccessCode.digest == lookup_digest("access-code", plain),
            AccessCode.active.is_(True),
        )
    )
    return code


def codes_of(organisation_id: int) -> list[AccessCode]:
    """The organisation's active codes, the primary one first."""
    return list(
        db.session.scalars(
            sa.select(AccessCode)
            .where(AccessCode.organisation_id == organisation_id, AccessCode.active.is_(True))
            .order_by(AccessCode.is_primary.desc(), AccessCode.id)
        )
    )


def _revoke(code: AccessCode) -> None:
    code.active = False
    code.revoked_at = utcnow()


def rotate_primary(organisation: Organisation) -> AccessCode:
    """A new primary code; the old one stops working with this transaction."""
    for code in codes_of(organisation.id):
        if code.is_primary:
            _revoke(code)
    db.session.flush()
    return create_code(organisation, primary=True)


def add_extra(organisation: Organisation, label: str, seats: int | None = None) -> AccessCode:
    """A code for one site; its declared seats decide (from the next year on) whether the site
    gets a row of its own in the employer report (eap.reports.layout)."""
    code = create_code(organisation, label=label.strip(), primary=False)
    code.seats = seats
    return code


def revoke_extra(code: AccessCode) -> bool:
    """Extra codes can be withdrawn; the primary one only rotated (there is always one)."""
    if code.is_primary:
        return False
    _revoke(code)
    return True
