"""Anonymous requester accounts: case keys, passphrases, recovery codes, sign-in.

The case key and the recovery code are generated, never chosen (20 symbols of an unambiguous
31-symbol alphabet, ~99 bits), and stored only as keyed digests. The passphrase is the
requester's own, hashed with Argon2id.
"""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from zxcvbn import zxcvbn

from eap.employers.access_codes import ALPHABET, normalise
from eap.extensions import db
from eap.models import utcnow
from eap.requests.models import RequesterAccount
from eap.security.lookup import lookup_digest
from eap.security.passwords import MAX_LENGTH, hash_password, verify_password

KEY_LENGTH = 20
MIN_PASSPHRASE = 10
MIN_SCORE = 3


def new_secret() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(KEY_LENGTH))


def grouped(secret: str) -> str:
    """``ABCD-EFGH-JKMN-PQRS-TUVW``: easier to write down and type."""
    plain = normalise(secret)
    return "-".join(plain[i : i + 4] for i in range(0, len(plain), 4))


def key_digest(case_key: str) -> str:
    return lookup_digest("case-key", normalise(case_key))


def recovery_digest(code: str) -> str:
    return lookup_digest("recovery-code", normalise(code))


def passphrase_problem(passphrase: str) -> str | None:
    """Why a new passphrase is refused, or None."""
    if len(passphrase) < MIN_PASSPHRASE:
        return _l("Please choose at least %(n)s characters.", n=MIN_PASSPHRASE)
    if len(passphrase) > MAX_LENGTH:
        return _l("Please choose at most %(n)s characters.", n=MAX_LENGTH)
    if zxcvbn(passphrase[:100])["score"] < MIN_SCORE:
        return _l(
            "This passphrase is too easy to guess. Try several unusual words in a row."
        )
    return None


def create_account(
    case_key: str, passphrase: str, organisation_id: int, access_code_id: int | None,
    requester_type: str,
) -> tuple[RequesterAccount, str]:
    """Make the account; returns it with its one-time recovery code (shown once, never stored)."""
    recovery = new_secret()
    account = RequesterAccount(
        case_key_digest=key_digest(case_key),
        recovery_digest=recovery_digest(recovery),
        passphrase_hash=hash_password(passphrase),
        organisation_id=organisation_id,
        access_code_id=access_code_id,
        requester_type=requester_type,
    )
    db.session.add(account)
    db.session.flush()
    return account, recovery


def authenticate(case_key: str, passphrase: str) -> RequesterAccount | None:
    """The account for key and passphrase, or None; an unknown key costs one hash as well."""
    account = db.session.scalar(
        sa.select(RequesterAccount).where(RequesterAccount.case_key_digest == key_digest(case_key))
    )
    ok = verify_password(account.passphrase_hash if account else None, passphrase)
    return account if ok and account else None


def recover(code: str, new_passphrase: str) -> tuple[RequesterAccount, str, str] | None:
    """Use a recovery code: new passphrase, new case key, new recovery code (old ones void)."""
    account = db.session.scalar(
        sa.select(RequesterAccount).where(RequesterAccount.recovery_digest == recovery_digest(code))
    )
    if account is None:
        return None
    case_key, recovery = new_secret(), new_secret()
    account.case_key_digest = key_digest(case_key)
    account.recovery_digest = recovery_digest(recovery)
    account.passphrase_hash = hash_password(new_passphrase)
    # Whoever was signed in with the old secrets is signed out (the caller signs in anew).
    account.session_generation = (account.session_generation or 0) + 1
    return account, case_key, recovery


def find_by_key(case_key: str) -> RequesterAccount | None:
    return db.session.scalar(
        sa.select(RequesterAccount).where(RequesterAccount.case_key_digest == key_digest(case_key))
    )


def find(public_id: str) -> RequesterAccount | None:
    return db.session.scalar(
        sa.select(RequesterAccount).where(RequesterAccount.public_id == public_id)
    )


def mark_seen(account: RequesterAccount) -> None:
    """Day granularity: at most one write a day, and no time of day is kept."""
    today = utcnow().date()
    if account.last_seen_on != today:
        account.last_seen_on = today
