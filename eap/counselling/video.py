"""Video room links, and the signed Jitsi tokens they carry where the operator configured them.

The one module that imports PyJWT. An appointment's room name is random (``room_token``), so a
plain link reveals nothing and cannot be guessed. Where Jitsi's token authentication is set up
(``VIDEO_JWT_APP_ID`` and ``VIDEO_JWT_SECRET``), each participant's link also carries
``?jwt=<token>``: HS256, valid from ``VIDEO_JWT_LEAD_MINUTES`` before the appointment until its
end, for this room only, the counsellor as moderator and the requester not. The token names
nobody: the display names are the neutral "Counsellor" and "Client". Links are made when the
page is shown and never stored (docs/counselling.md).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from urllib.parse import urlsplit, urlunsplit

import jwt
from flask import current_app

from eap.counselling.appointment_models import Appointment
from eap.models import utcnow

ALGORITHM = "HS256"
COUNSELLOR_NAME = "Counsellor"
CLIENT_NAME = "Client"


def room_url(appointment: Appointment) -> str | None:
    """The plain room link (``VIDEO_URL_TEMPLATE`` with ``{room}`` replaced), or None."""
    template = current_app.config["VIDEO_URL_TEMPLATE"]
    if appointment.modality != "video" or "{room}" not in template:
        return None
    return template.replace("{room}", appointment.room)


def tokens_configured() -> bool:
    config = current_app.config
    return bool(config["VIDEO_JWT_APP_ID"] and config["VIDEO_JWT_SECRET"])


def room_name(url: str) -> str:
    """The Jitsi room of a room link: the last segment of its path (``/eap-abc`` → ``eap-abc``)."""
    return urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1]


def subject() -> str:
    """The ``sub`` claim: ``VIDEO_JWT_SUBJECT``, else the host of the room links."""
    configured = current_app.config["VIDEO_JWT_SUBJECT"]
    if configured:
        return configured
    template = current_app.config["VIDEO_URL_TEMPLATE"].replace("{room}", "room")
    return urlsplit(template).hostname or ""


def claims(appointment: Appointment, moderator: bool, now: datetime | None = None) -> dict:
    """What the token says: this room, this appointment's time window, the role — nobody's name."""
    config = current_app.config
    url = room_url(appointment) or ""
    lead = timedelta(minutes=int(config["VIDEO_JWT_LEAD_MINUTES"]))
    return {
        "iss": config["VIDEO_JWT_APP_ID"],
        "aud": config["VIDEO_JWT_AUDIENCE"],
        "sub": subject(),
        "room": room_name(url),
        "iat": int((now or utcnow()).timestamp()),
        "nbf": int((appointment.starts_at - lead).timestamp()),
        "exp": int(appointment.ends_at.timestamp()),
        "context": {"user": {
            "name": COUNSELLOR_NAME if moderator else CLIENT_NAME,
            "moderator": bool(moderator),
        }},
        "moderator": bool(moderator),  # read by Jitsi's token_moderation prosody module
    }


def token(appointment: Appointment, moderator: bool, now: datetime | None = None) -> str:
    return jwt.encode(claims(appointment, moderator, now), current_app.config["VIDEO_JWT_SECRET"],
                      algorithm=ALGORITHM)


def _with_query(url: str, name: str, value: str) -> str:
    parts = urlsplit(url)
    query = f"{parts.query}&{name}={value}" if parts.query else f"{name}={value}"
    return urlunsplit(parts._replace(query=query))


def link(appointment: Appointment, moderator: bool, now: datetime | None = None) -> str | None:
    """The participant's room link: with a fresh token where tokens are configured."""
    url = room_url(appointment)
    if url is None or not tokens_configured():
        return url
    return _with_query(url, "jwt", token(appointment, moderator, now))


def decode(value: str, now: datetime | None = None) -> dict:
    """Verify and read a token as Jitsi would: signature, audience, issuer, and that ``now``
    (default: the clock) lies in its nbf–exp window; raises ``InvalidToken``. For tests and for
    operators checking their setup."""
    config = current_app.config
    try:
        decoded = jwt.decode(
            value, config["VIDEO_JWT_SECRET"], algorithms=[ALGORITHM],
            audience=config["VIDEO_JWT_AUDIENCE"], issuer=config["VIDEO_JWT_APP_ID"],
            options={"require": ["exp", "nbf", "aud", "iss", "sub", "room"],
                     "verify_exp": False, "verify_nbf": False, "verify_iat": False},
        )
    except jwt.InvalidTokenError as error:
        raise InvalidToken(type(error).__name__) from error
    moment = (now or utcnow()).timestamp()
    if moment < decoded["nbf"]:
        raise InvalidToken("not yet valid")
    if moment >= decoded["exp"]:
        raise InvalidToken("expired")
    return decoded


class InvalidToken(ValueError):
    """The token would not let anyone into a room (bad signature, wrong audience, outside time)."""
