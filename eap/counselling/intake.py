"""Phone intake: triage staff open an anonymous account and a case for a caller.

The caller names their employer's access code (from the poster), nothing about themselves. The
portal makes the account and the case; the staff member reads the case key and a one-time
set-up code to the caller, who may later choose a passphrase (``/help/set-up``) — or never, and
stays a phone-only client. Neither secret is stored: only their keyed digests, as for online
sign-ups. The caller's number is kept only if they want a call back (encrypted, like online).
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass

import sqlalchemy as sa

from eap.billing import contracts
from eap.employers import access_codes
from eap.extensions import db
from eap.requests import accounts, cases
from eap.requests.models import HelpRequest, RequesterAccount
from eap.security import audit
from eap.security.passwords import hash_password

# Not an Argon2 hash: no passphrase can match it until the caller sets one.
NO_PASSPHRASE = "!phone-intake"  # noqa: S105 - a marker that no hash equals, not a secret


class UnknownCode(ValueError):
    """No usable access code of an organisation with an active contract."""


class AlreadyOpened(Exception):
    """The same intake form was sent twice: the case exists, its secrets are gone."""


@dataclass
class Opened:
    case: HelpRequest
    case_key: str
    setup_code: str


def open_case(code: str, requester_type: str, nonce: str, data: cases.RequestData,
              staff) -> Opened:
    """Create the account and the case; the two secrets are returned once, never stored."""
    found = access_codes.find_usable_code(code)
    if found is None or contracts.access_contract(found.organisation_id) is None:
        raise UnknownCode()
    case_key, setup_code = accounts.new_secret(), accounts.new_secret()
    account = RequesterAccount(
        case_key_digest=accounts.key_digest(case_key),
        recovery_digest=accounts.recovery_digest(setup_code),
        passphrase_hash=NO_PASSPHRASE,
        organisation_id=found.organisation_id,
        access_code_id=found.id,
        requester_type=requester_type,
    )
    db.session.add(account)
    db.session.flush()
    if db.session.scalar(sa.select(HelpRequest.id).where(HelpRequest.submission_id == nonce)):
        raise AlreadyOpened()
    case = cases.create_request(account, nonce, data)
    audit.record("case.phone_intake", "help_request", case.public_id, actor=staff)
    return Opened(case, accounts.grouped(case_key), accounts.grouped(setup_code))


def set_up(case_key: str, setup_code: str, passphrase: str) -> tuple[RequesterAccount, str] | None:
    """The caller's first passphrase: key and set-up code must belong to one phone account
    that has none yet. Returns the account and its new recovery code (the set-up code is void).
    """
    account = accounts.find_by_key(case_key)
    if (account is None or account.passphrase_hash != NO_PASSPHRASE
            or not hmac.compare_digest(account.recovery_digest,
                                       accounts.recovery_digest(setup_code))):
        return None
    recovery = accounts.new_secret()
    account.recovery_digest = accounts.recovery_digest(recovery)
    account.passphrase_hash = hash_password(passphrase)
    return account, recovery
