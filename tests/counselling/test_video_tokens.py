"""Safer video: each appointment's room is random; where Jitsi token authentication is configured,
each participant's link carries a signed token for that room and time only, the counsellor as
moderator; without the configuration the plain room link is shown as before."""

from __future__ import annotations

import ast
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
import sqlalchemy as sa

from eap.counselling import video
from eap.counselling.appointment_models import Appointment, room_token
from eap.extensions import db
from eap.requests.deadlines import BERLIN
from tests.counselling.appointment_helpers import (
    assign_only_case,
    book,
    open_every_day,
    slots_on_page,
)
from tests.requests.conftest import send_request

SECRET = "a-long-test-secret-of-at-least-32-bytes-for-hs256"
APP_ID = "igus-eap"
VIDEO = "https://meet.igus.example/{room}"
LINK_RE = re.compile(r'href="(https://meet\.igus\.example/[^"]+)"')
JITSI = {
    "VIDEO_URL_TEMPLATE": VIDEO, "VIDEO_JWT_APP_ID": APP_ID, "VIDEO_JWT_SECRET": SECRET,
}


@pytest.fixture
def app_settings():
    return dict(JITSI)


@pytest.fixture
def booked_video(app, client, signed_up, staff_client):
    """A requester with a booked video appointment; (case id, requester, counsellor's client,
    counsellor, the appointment's room, start, end)."""
    assert send_request(client).status_code == 302
    staff, counsellor = staff_client()
    open_every_day(app, counsellor.id)
    public_id = assign_only_case(app, counsellor.id)
    offered = slots_on_page(client.get(f"/help/requests/{public_id}/appointment").get_data(
        as_text=True))
    assert book(client, public_id, offered[0], "video").status_code == 303
    with app.app_context():
        appointment = db.session.scalar(sa.select(Appointment))
        room, starts, ends = appointment.room, appointment.starts_at, appointment.ends_at
    return public_id, client, staff, counsellor, room, starts, ends


def _token_of(link: str) -> str:
    tokens = parse_qs(urlsplit(link).query)["jwt"]
    assert len(tokens) == 1
    return tokens[0]


def _claims(link: str) -> dict:
    """Decoded and verified with PyJWT itself, as Jitsi's prosody would (time checked below)."""
    return jwt.decode(_token_of(link), SECRET, algorithms=["HS256"], audience="jitsi",
                      issuer=APP_ID, options={"verify_exp": False, "verify_nbf": False})


def _day_page(staff, starts: datetime) -> str:
    day = starts.astimezone(BERLIN).date().isoformat()
    return staff.get(f"/staff/appointments/?day={day}").get_data(as_text=True)


def test_room_names_are_random_and_long():
    rooms = {room_token() for _ in range(200)}
    assert len(rooms) == 200
    assert all(len(room) >= 24 and re.fullmatch(r"[A-Za-z0-9_-]+", room) for room in rooms)


def test_requester_and_counsellor_links_carry_tokens_for_this_room_and_time_only(
    app, booked_video
):
    public_id, client, staff, _counsellor, room, starts, ends = booked_video
    page = client.get(f"/help/requests/{public_id}/appointment").get_data(as_text=True)
    requester_link = LINK_RE.search(page).group(1).replace("&amp;", "&")
    assert urlsplit(requester_link).path == f"/{room}"
    client_claims = _claims(requester_link)

    staff_link = LINK_RE.search(_day_page(staff, starts)).group(1).replace("&amp;", "&")
    assert urlsplit(staff_link).path == f"/{room}"
    counsellor_claims = _claims(staff_link)

    for claims in (client_claims, counsellor_claims):
        assert claims["aud"] == "jitsi"
        assert claims["iss"] == APP_ID
        assert claims["sub"] == "meet.igus.example"  # derived from the template's host
        assert claims["room"] == room  # this room only, never "*"
        assert claims["nbf"] == int((starts - timedelta(minutes=10)).timestamp())
        assert claims["exp"] == int(ends.timestamp())
        assert jwt.get_unverified_header(_token_of(requester_link))["alg"] == "HS256"
    assert client_claims["context"]["user"] == {"name": "Client", "moderator": False}
    assert counsellor_claims["context"]["user"] == {"name": "Counsellor", "moderator": True}
    assert client_claims["moderator"] is False and counsellor_claims["moderator"] is True


def test_the_token_names_nobody(app, booked_video):
    public_id, client, staff, counsellor, _room, starts, _ends = booked_video
    page = client.get(f"/help/requests/{public_id}/appointment").get_data(as_text=True)
    links = [LINK_RE.search(page).group(1), LINK_RE.search(_day_page(staff, starts)).group(1)]
    for link in links:
        text = str(_claims(link.replace("&amp;", "&")))
        for secret in (counsellor.email, counsellor.name, public_id, "schlafen", "stress"):
            assert secret not in text
        assert "@" not in text


def test_a_link_outside_its_window_is_not_valid(app, booked_video):
    public_id, client, _staff, _counsellor, _room, starts, ends = booked_video
    page = client.get(f"/help/requests/{public_id}/appointment").get_data(as_text=True)
    token = _token_of(LINK_RE.search(page).group(1).replace("&amp;", "&"))
    with app.app_context():
        assert video.decode(token, now=starts - timedelta(minutes=10))["room"]
        assert video.decode(token, now=ends - timedelta(seconds=1))
        with pytest.raises(video.InvalidToken):
            video.decode(token, now=starts - timedelta(minutes=11))
        with pytest.raises(video.InvalidToken):
            video.decode(token, now=ends)
    # the booked slot is at least two hours ahead: PyJWT itself refuses it today
    with pytest.raises(jwt.ImmatureSignatureError):
        jwt.decode(token, SECRET, algorithms=["HS256"], audience="jitsi", issuer=APP_ID)
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(token, SECRET + "x", algorithms=["HS256"], audience="jitsi", issuer=APP_ID,
                   options={"verify_nbf": False})
    with pytest.raises(jwt.InvalidAudienceError):
        jwt.decode(token, SECRET, algorithms=["HS256"], audience="other", issuer=APP_ID,
                   options={"verify_nbf": False})


def test_expired_appointment_token_is_refused_by_pyjwt(app):
    past = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    appointment = Appointment(modality="video", room=room_token(), starts_at=past,
                              ends_at=past + timedelta(hours=1))
    with app.test_request_context():
        link = video.link(appointment, moderator=False)
        with pytest.raises(video.InvalidToken):
            video.decode(_token_of(link))
    with pytest.raises(jwt.ExpiredSignatureError):
        jwt.decode(_token_of(link), SECRET, algorithms=["HS256"], audience="jitsi")


def test_settings_for_subject_audience_lead_and_a_template_with_a_prefix(app):
    app.config.update(VIDEO_URL_TEMPLATE="https://video.igus.example/eap-{room}?lang=de",
                      VIDEO_JWT_SUBJECT="meet.jitsi", VIDEO_JWT_AUDIENCE="eap",
                      VIDEO_JWT_LEAD_MINUTES=5)
    start = datetime(2030, 3, 1, 9, 0, tzinfo=UTC)
    appointment = Appointment(modality="video", room="AbC123", starts_at=start,
                              ends_at=start + timedelta(minutes=50))
    with app.test_request_context():
        link = video.link(appointment, moderator=True)
    assert link.startswith("https://video.igus.example/eap-AbC123?lang=de&jwt=")
    claims = jwt.decode(_token_of(link), SECRET, algorithms=["HS256"], audience="eap",
                        options={"verify_nbf": False})
    assert claims["sub"] == "meet.jitsi" and claims["room"] == "eap-AbC123"
    assert claims["nbf"] == int((start - timedelta(minutes=5)).timestamp())
    # a phone appointment has no room link at all
    appointment.modality = "phone"
    with app.test_request_context():
        assert video.link(appointment, moderator=True) is None


def test_links_are_made_on_demand_and_never_stored(app, booked_video):
    public_id, client, _staff, _counsellor, room, _starts, _ends = booked_video
    first = client.get(f"/help/requests/{public_id}/appointment").get_data(as_text=True)
    assert "jwt=" in first
    with app.app_context():
        (stored,) = db.session.execute(sa.select(Appointment)).scalars().all()
        values = [str(getattr(stored, c.key)) for c in Appointment.__table__.columns]
    assert not any("jwt" in v or "eyJ" in v for v in values)
    assert stored.room == room


def test_other_staff_get_no_room_link_when_tokens_are_on(app, booked_video, staff_client):
    public_id, _client, _staff, _counsellor, _room, _starts, _ends = booked_video
    triage, _member = staff_client(role="triage")
    page = triage.get(f"/staff/cases/{public_id}").get_data(as_text=True)
    assert "Open the video room" not in page


def test_without_configuration_the_plain_link_is_shown(app, booked_video, staff_client):
    public_id, client, staff, _counsellor, room, starts, _ends = booked_video
    app.config.update(VIDEO_JWT_APP_ID="", VIDEO_JWT_SECRET="")  # the default: not configured
    page = client.get(f"/help/requests/{public_id}/appointment").get_data(as_text=True)
    assert f'href="https://meet.igus.example/{room}"' in page
    assert "jwt" not in page
    assert f'href="https://meet.igus.example/{room}"' in _day_page(staff, starts)
    triage, _member = staff_client(role="triage")
    case_page = triage.get(f"/staff/cases/{public_id}").get_data(as_text=True)
    assert f'href="https://meet.igus.example/{room}"' in case_page


def test_only_the_video_module_imports_pyjwt():
    eap = Path(__file__).resolve().parents[2] / "eap"
    importers = set()
    for path in sorted(eap.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            if any(name == "jwt" or name.startswith("jwt.") for name in names):
                importers.add(str(path.relative_to(eap.parent)))
    assert importers == {"eap/counselling/video.py"}
