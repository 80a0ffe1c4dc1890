"""A proof of work on the anonymous steps (access code, new account): a script pays, a person
does not notice, and nobody can use it up for someone else (SECURITY.md, "Limits").

Two ways to pass, both per challenge and single use:

- **ALTCHA** (the `altcha` library, classic v1 protocol; the widget vendored in
  ``static/vendor/altcha/``): the browser finds a number whose SHA-256 with the challenge's salt
  matches. The work doubles with every step this browser session already passed (up to
  ``2**POW_MAX_DOUBLINGS``), so only the client that keeps asking pays more.
- **Without JavaScript**: the page records in the (signed) session when it was shown; the step is
  accepted once ``POW_NOJS_WAIT`` seconds have passed since, doubling like the work above. A person
  who reads the page and types needs longer than that anyway; a script waits. No request holds a
  worker while it waits.

On the HR and staff password steps the same proof stands in front of the password (purposes
"hr-login" and "staff-login"). There an account name that strangers keep failing on asks a new
browser for more work (``at_least`` doublings, ``POW_LOGIN_PRESSURE_DOUBLINGS``) instead of
refusing it: each guess costs the guesser more, and the owner still gets in (SECURITY.md, third
round, item 3). The level a challenge was made for is signed into its salt.

Each passed challenge is marked as used (keyed by its own random salt, in the limiter's storage,
for as long as it is valid), so a solution or a saved cookie cannot be replayed. Nothing is keyed
by the access code: no client can make the step harder for another, and no response depends on
what others did.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
import secrets
import time
import urllib.parse

from altcha import ChallengeOptionsV1, create_challenge_v1, verify_solution_v1
from flask import current_app, request, session
from limits import RateLimitItemPerHour

from eap.extensions import limit_hit

SESSION_KEY = "pow"
FIELD = "altcha"
VALID_FOR = datetime.timedelta(minutes=30)

PASSED, TOO_EARLY = "passed", "too-early"


def _hmac_key(purpose: str) -> bytes:
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, b"proof-of-work:" + purpose.encode(), hashlib.sha256).digest()


def _state(purpose: str) -> dict:
    return dict(session.get(SESSION_KEY, {}).get(purpose, {}))


def _save(purpose: str, state: dict) -> None:
    everything = dict(session.get(SESSION_KEY, {}))
    everything[purpose] = state
    session[SESSION_KEY] = everything


def _doublings(purpose: str, at_least: int = 0) -> int:
    passed = min(int(_state(purpose).get("passed", 0)), current_app.config["POW_MAX_DOUBLINGS"])
    return max(passed, at_least)


def work(purpose: str, at_least: int = 0) -> int:
    """The challenge's largest number for this browser session (the expected work is half);
    ``at_least`` doublings whatever the session (an account name under pressure)."""
    return current_app.config["POW_MAX_NUMBER"] * 2 ** _doublings(purpose, at_least)


def wait_seconds(purpose: str, at_least: int = 0) -> float:
    return current_app.config["POW_NOJS_WAIT"] * 2 ** _doublings(purpose, at_least)


def challenge(purpose: str, at_least: int = 0) -> str:
    """A new challenge (JSON for the widget's ``challengejson``); also starts the no-JS clock."""
    state = _state(purpose)
    state["shown"] = time.time()
    state["nonce"] = secrets.token_hex(16)
    _save(purpose, state)
    made = create_challenge_v1(ChallengeOptionsV1(
        hmac_key=_hmac_key(purpose), max_number=work(purpose, at_least),
        expires=datetime.datetime.now(datetime.UTC) + VALID_FOR,
        params={"purpose": purpose, "work": str(work(purpose, at_least))},
    ))
    return json.dumps({"algorithm": made.algorithm, "challenge": made.challenge,
                       "maxnumber": made.max_number, "salt": made.salt,
                       "signature": made.signature})


def _first_use(marker: str) -> bool:
    """True once per marker (the limiter's storage, one hit an hour): no replay."""
    return limit_hit(RateLimitItemPerHour(1), "pow-used",
                               hashlib.sha256(marker.encode()).hexdigest()[:40])


def _solved(purpose: str, at_least: int = 0) -> bool:
    payload = request.form.get(FIELD, "")
    if not payload or len(payload) > 4000:
        return False
    try:
        ok, _error = verify_solution_v1(payload, _hmac_key(purpose), check_expires=True)
    except (ValueError, TypeError, KeyError):
        return False
    if not ok:
        return False
    # The salt carries the purpose, the work and the expiry as parameters, covered by the
    # signature: a solution of another step, or of an easier challenge, is no proof here.
    salt = payload_salt(payload)
    params = urllib.parse.parse_qs(salt.split("?", 1)[1]) if "?" in salt else {}
    if params.get("purpose") != [purpose]:
        return False
    try:
        made_for = int(params.get("work", ["0"])[0])
    except ValueError:
        return False
    if made_for < current_app.config["POW_MAX_NUMBER"] * 2 ** at_least:
        return False
    return _first_use("altcha:" + salt)


def payload_salt(payload: str) -> str:
    import base64

    try:
        return str(json.loads(base64.b64decode(payload)).get("salt", ""))
    except (ValueError, TypeError, AttributeError):
        return ""


def _waited(purpose: str, at_least: int = 0) -> str | None:
    state = _state(purpose)
    shown, nonce = state.get("shown"), state.get("nonce")
    if not shown or not nonce:
        return None
    if time.time() < shown + wait_seconds(purpose, at_least):
        return TOO_EARLY
    if time.time() > shown + VALID_FOR.total_seconds():
        return None
    return PASSED if _first_use("wait:" + nonce) else None


def check(purpose: str, at_least: int = 0) -> str | None:
    """PASSED (and the next challenge of this session costs twice as much), TOO_EARLY, or None
    (no valid proof: the page is shown again with a new challenge). ``at_least``: the proof must
    have been made for at least that many doublings (and the no-JS wait as long)."""
    outcome = PASSED if _solved(purpose, at_least) else _waited(purpose, at_least)
    if outcome == PASSED:
        state = _state(purpose)
        state["passed"] = int(state.get("passed", 0)) + 1
        state.pop("nonce", None)
        _save(purpose, state)
    return outcome
