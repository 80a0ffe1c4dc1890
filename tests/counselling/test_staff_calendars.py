"""Staff calendars: the SSRF-safe fetch of a counsellor's own calendar link, busy times that block
booking slots, and the secret, revocable feed of the counsellor's appointments (times only)."""

from __future__ import annotations

import datetime as dt
import http.server
import ipaddress
import re
import ssl
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from icalendar import Calendar

from eap.counselling import appointments, calendar_fetch, calendars, slots
from eap.counselling.calendar_busy import NotACalendar, busy_times
from eap.counselling.calendar_fetch import Refused, fetch
from eap.counselling.calendar_models import BusyInterval, StaffCalendar
from eap.extensions import db
from eap.requests.deadlines import BERLIN
from eap.requests.models import HelpRequest
from tests.conftest import post_form
from tests.counselling.appointment_helpers import (
    assign_only_case,
    book,
    open_every_day,
    slots_on_page,
)
from tests.requests.conftest import send_request

AVAILABILITY = "/staff/appointments/availability"
FEED_RE = re.compile(r'<code dir="ltr">(http://localhost/calendar/([^<]+)\.ics)</code>')


def _never(*_args):
    raise AssertionError("must not be reached")


# --- refusing links and addresses -----------------------------------------------------------


@pytest.mark.parametrize("url, reason", [
    ("http://calendar.example/me.ics", "not https"),
    ("ftp://calendar.example/me.ics", "not https"),
    ("https:///me.ics", "no host"),
    ("https://user:secret@calendar.example/me.ics", "user name or password in the link"),
    ("https://localhost/me.ics", "host not allowed"),
    ("https://cal.localhost/me.ics", "host not allowed"),
    ("https://127.0.0.1/me.ics", "address not allowed"),
    ("https://127.1.2.3:8443/me.ics", "address not allowed"),
    ("https://[::1]/me.ics", "address not allowed"),
    ("https://10.1.2.3/me.ics", "address not allowed"),
    ("https://192.168.178.1/me.ics", "address not allowed"),
    ("https://172.16.0.9/me.ics", "address not allowed"),
    ("https://172.31.255.1/me.ics", "address not allowed"),
    ("https://169.254.169.254/latest/meta-data/", "address not allowed"),
    ("https://0.0.0.0/me.ics", "address not allowed"),
    ("https://224.0.0.1/me.ics", "address not allowed"),
    ("https://100.64.0.1/me.ics", "address not allowed"),  # shared address space (CGNAT)
    ("https://[::ffff:127.0.0.1]/me.ics", "address not allowed"),
    ("https://[::ffff:10.0.0.1]/me.ics", "address not allowed"),
    ("https://[::ffff:169.254.169.254]/me.ics", "address not allowed"),
    ("https://[fe80::1]/me.ics", "address not allowed"),
    ("https://[fc00::1]/me.ics", "address not allowed"),
    ("https://[2002:7f00:1::]/me.ics", "address not allowed"),  # 6to4 of 127.0.0.1
])
def test_bad_links_are_refused_before_any_lookup(url, reason):
    with pytest.raises(Refused) as refused:
        fetch(url, resolver=_never)
    assert str(refused.value) == reason


@pytest.mark.parametrize("addresses", [
    ["10.0.0.5"], ["127.0.0.1"], ["::1"], ["192.168.0.10"], ["169.254.169.254"],
    ["::ffff:192.168.0.1"], ["93.184.216.34", "10.0.0.5"],  # ANY bad address refuses the name
    ["2606:4700::1111", "fd00::1"],
])
def test_a_name_resolving_to_an_inside_address_is_refused(addresses):
    seen = []

    def resolver(host, port):
        seen.append((host, port))
        return addresses

    with pytest.raises(Refused, match="address not allowed"):
        fetch("https://calendar.example/me.ics", resolver=resolver)
    assert seen == [("calendar.example", 443)]


def test_public_addresses_pass_the_check():
    for address in ("93.184.216.34", "2606:4700::1111", "1.1.1.1"):
        calendar_fetch.vet_address(address)


def test_the_real_resolver_is_used_and_localhost_names_are_refused(monkeypatch):
    monkeypatch.setattr(calendar_fetch.socket, "getaddrinfo", lambda *a, **k: [
        (2, 1, 6, "", ("127.0.0.1", 443))])
    with pytest.raises(Refused, match="address not allowed"):
        fetch("https://looks-public.example/me.ics")


# --- a real fetch from a local HTTPS server (the vetting injected for the test only) ---------


def _certificate(tmp_path):
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "calendar.test")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5)).not_valid_after(now + timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([
            x509.DNSName("calendar.test"),
            x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    return cert_path, key_path


ICS = (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\nUID:1\r\n"
       b"DTSTART:20300101T090000Z\r\nDTEND:20300101T100000Z\r\nSUMMARY:Zahnarzt\r\n"
       b"END:VEVENT\r\nEND:VCALENDAR\r\n")


@pytest.fixture
def https_server(tmp_path):
    """A TLS server on 127.0.0.1 with a self-signed certificate for "calendar.test"."""
    cert_path, key_path = _certificate(tmp_path)
    hosts = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            hosts.append(self.headers.get("Host"))
            if self.path == "/redirect":
                self.send_response(302)
                self.send_header("Location", "https://169.254.169.254/")
                self.end_headers()
            elif self.path == "/big":
                self.send_response(200)
                self.end_headers()  # no Content-Length: read until the limit
                for _ in range(40):
                    self.wfile.write(b"X" * 65536)
            elif self.path == "/slow":
                time.sleep(1.5)
                self.send_response(200)
                self.end_headers()
            else:
                self.send_response(200)
                self.send_header("Content-Type", "text/calendar")
                self.send_header("Content-Length", str(len(ICS)))
                self.end_headers()
                self.wfile.write(ICS)

        def log_message(self, *_args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(cert_path, key_path)
    server.socket = tls.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    client_tls = ssl.create_default_context(cafile=str(cert_path))
    yield server.server_address[1], client_tls, hosts
    server.shutdown()
    server.server_close()


def _local(host, port):
    return ["127.0.0.1"]


def _allow_loopback_in_this_test(address):
    assert address == "127.0.0.1"


def test_fetch_from_a_local_https_server_pins_the_vetted_address(https_server):
    port, tls, hosts = https_server
    # a name that does not exist: only the pinned, vetted address is ever connected to
    body = fetch(f"https://calendar.test:{port}/me.ics", resolver=_local,
                 vet=_allow_loopback_in_this_test, context=tls)
    assert body == ICS
    assert hosts == [f"calendar.test:{port}"]  # Host names the name, not the address


def test_certificate_must_match_the_name(https_server):
    port, tls, _hosts = https_server
    # the certificate is for "calendar.test": another name on the same address is refused
    with pytest.raises(Refused, match="certificate not valid"):
        fetch(f"https://other.test:{port}/me.ics", resolver=_local,
              vet=_allow_loopback_in_this_test, context=tls)
    # and the system's trust store does not trust a self-signed certificate at all
    with pytest.raises(Refused, match="certificate not valid"):
        fetch(f"https://calendar.test:{port}/me.ics", resolver=_local,
              vet=_allow_loopback_in_this_test)


def test_without_the_injected_check_the_local_server_is_refused(https_server):
    port, tls, hosts = https_server
    with pytest.raises(Refused, match="address not allowed"):
        fetch(f"https://calendar.test:{port}/me.ics", resolver=_local, context=tls)
    assert hosts == []  # never connected


def test_redirects_size_and_time_limits(https_server):
    port, tls, _hosts = https_server
    base = f"https://calendar.test:{port}"
    kwargs = {"resolver": _local, "vet": _allow_loopback_in_this_test, "context": tls}
    with pytest.raises(Refused, match=r"HTTP 302 \(redirects are not followed\)"):
        fetch(base + "/redirect", **kwargs)
    with pytest.raises(Refused, match="calendar too large"):
        fetch(base + "/big", **kwargs)
    started = time.monotonic()
    with pytest.raises(Refused, match="took too long"):
        fetch(base + "/slow", time_limit=0.5, **kwargs)
    assert time.monotonic() - started < 1.4


# --- reading busy times ----------------------------------------------------------------------

LO = datetime(2030, 1, 7, 0, 0, tzinfo=UTC)  # a Monday
HI = LO + timedelta(weeks=8)


def _ics(*events: str, extra: str = "") -> bytes:
    body = "".join(f"BEGIN:VEVENT\r\n{e.strip()}\r\nEND:VEVENT\r\n" for e in events)
    return ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\n" + body + extra
            + "END:VCALENDAR\r\n").encode().replace(b"\n            ", b"\n")


def test_single_all_day_transparent_and_cancelled_events():
    data = _ics(
        "UID:a\r\nDTSTART;TZID=Europe/Berlin:20300108T100000\r\n"
        "DTEND;TZID=Europe/Berlin:20300108T113000\r\nSUMMARY:Arzt",
        "UID:b\r\nDTSTART;VALUE=DATE:20300110\r\nDTEND;VALUE=DATE:20300111\r\nSUMMARY:Urlaub",
        "UID:c\r\nDTSTART:20300109T090000Z\r\nDURATION:PT1H\r\nTRANSP:TRANSPARENT",
        "UID:d\r\nDTSTART:20300109T120000Z\r\nDURATION:PT1H\r\nSTATUS:CANCELLED",
        "UID:e\r\nDTSTART:20200101T090000Z\r\nDTEND:20200101T100000Z",  # long past
    )
    assert busy_times(data, LO, HI) == [
        (datetime(2030, 1, 8, 9, 0, tzinfo=UTC), datetime(2030, 1, 8, 10, 30, tzinfo=UTC)),
        (datetime(2030, 1, 9, 23, 0, tzinfo=UTC), datetime(2030, 1, 10, 23, 0, tzinfo=UTC)),
    ]


def test_recurring_events_are_expanded_with_exdate_and_a_moved_instance():
    data = _ics(
        "UID:weekly\r\nDTSTART;TZID=Europe/Berlin:20291203T140000\r\n"
        "DTEND;TZID=Europe/Berlin:20291203T150000\r\nRRULE:FREQ=WEEKLY;BYDAY=MO\r\n"
        "EXDATE;TZID=Europe/Berlin:20300114T140000",
        "UID:weekly\r\nRECURRENCE-ID;TZID=Europe/Berlin:20300121T140000\r\n"
        "DTSTART;TZID=Europe/Berlin:20300122T080000\r\nDTEND;TZID=Europe/Berlin:20300122T090000",
    )
    busy = busy_times(data, LO, HI)
    starts = [s.astimezone(BERLIN).strftime("%m-%d %H:%M") for s, _e in busy]
    assert "01-07 14:00" in starts
    assert "01-14 14:00" not in starts  # EXDATE
    assert "01-21 14:00" not in starts and "01-22 08:00" in starts  # moved instance
    assert "01-28 14:00" in starts
    # eight weeks, weekly, one excluded, one moved: every Monday of the window but two
    mondays = [s for s in starts if s.endswith("14:00")]
    assert len(mondays) == 6
    # after the change to summer time the event stays at 14:00 Berlin time
    assert all(s.astimezone(BERLIN).hour in (8, 14) for s, _e in busy)


def test_free_busy_export_and_until():
    extra = ("BEGIN:VFREEBUSY\r\nFREEBUSY;FBTYPE=BUSY:20300108T080000Z/20300108T090000Z,"
             "20300109T080000Z/PT30M\r\nFREEBUSY;FBTYPE=FREE:20300110T080000Z/PT8H\r\n"
             "END:VFREEBUSY\r\n")
    data = _ics("UID:d\r\nDTSTART:20300107T060000Z\r\nDTEND:20300107T063000Z\r\n"
                "RRULE:FREQ=DAILY;UNTIL=20300109T235959Z", extra=extra)
    busy = busy_times(data, LO, HI)
    assert (datetime(2030, 1, 8, 8, 0, tzinfo=UTC), datetime(2030, 1, 8, 9, 0, tzinfo=UTC)) in busy
    assert (datetime(2030, 1, 9, 8, 0, tzinfo=UTC),
            datetime(2030, 1, 9, 8, 30, tzinfo=UTC)) in busy
    assert [s.day for s, _e in busy if s.hour == 6] == [7, 8, 9]
    assert not any(s.day == 10 for s, _e in busy)


def test_not_a_calendar():
    with pytest.raises(NotACalendar):
        busy_times(b"<html>login</html>", LO, HI)


# --- the availability page, the timer command and the slots ----------------------------------


@pytest.fixture
def booking_world(app, client, signed_up, staff_client):
    assert send_request(client).status_code == 302
    staff, counsellor = staff_client()
    open_every_day(app, counsellor.id)
    public_id = assign_only_case(app, counsellor.id)
    return public_id, staff, counsellor


def _offered(client, public_id):
    return slots_on_page(client.get(f"/help/requests/{public_id}/appointment").get_data(
        as_text=True))


def _key_time(key: str) -> datetime:
    return datetime.strptime(key, "%Y-%m-%dT%H:%MZ").replace(tzinfo=UTC)


def _event_ics(start: datetime, minutes: int = 60) -> bytes:
    end = start + timedelta(minutes=minutes)
    return _ics(f"UID:x\r\nDTSTART:{start:%Y%m%dT%H%M%SZ}\r\nDTEND:{end:%Y%m%dT%H%M%SZ}\r\n"
                "SUMMARY:Privat")


def test_registering_a_link_refuses_bad_ones_in_english_and_german(app, booking_world):
    _public_id, staff, counsellor = booking_world
    answer = post_form(staff, AVAILABILITY + "/calendar",
                       {"calendar-url": "http://cal.example/me.ics"}, from_url=AVAILABILITY)
    assert answer.status_code == 400
    assert "The link must start with https://." in answer.get_data(as_text=True)
    answer = post_form(staff, AVAILABILITY + "/calendar",
                       {"calendar-url": "https://192.168.0.2/me.ics"}, from_url=AVAILABILITY)
    assert "calendars are read only from public internet addresses" in answer.get_data(
        as_text=True)
    with staff.session_transaction() as browser_session:
        browser_session["lang"] = "de"
    answer = post_form(staff, AVAILABILITY + "/calendar",
                       {"calendar-url": "http://cal.example/me.ics"}, from_url=AVAILABILITY)
    assert answer.status_code == 400
    assert "Der Link muss mit https:// beginnen." in answer.get_data(as_text=True)
    answer = post_form(staff, AVAILABILITY + "/calendar",
                       {"calendar-url": "https://localhost/me.ics"}, from_url=AVAILABILITY)
    assert "öffentlichen Internetadressen" in answer.get_data(as_text=True)
    with app.app_context():
        assert calendars.calendar_of(counsellor.id) is None


def test_busy_times_block_slots_for_requesters_and_staff(app, client, booking_world):
    public_id, staff, counsellor = booking_world
    url = "https://calendar.example/private/abc123/basic.ics"
    assert post_form(staff, AVAILABILITY + "/calendar", {"calendar-url": url},
                     from_url=AVAILABILITY).status_code == 303
    with app.app_context():  # encrypted at rest
        raw = db.session.execute(sa.text("SELECT source_url FROM staff_calendars")).scalar()
        assert raw and "calendar.example" not in raw and "abc123" not in raw
    offered = _offered(client, public_id)
    blocked = offered[2]
    fetched = []

    def fake_fetch(link):
        fetched.append(link)
        return _event_ics(_key_time(blocked) + timedelta(minutes=15), 30)  # overlaps the slot

    with app.app_context():
        assert calendars.refresh_all(fetch=fake_fetch) == (1, 0)
    assert fetched == [url]
    now_offered = _offered(client, public_id)
    assert blocked not in now_offered and offered[1] in now_offered and offered[3] in now_offered
    # staff moving an appointment into a busy time are refused as well
    assert book(client, public_id, offered[1]).status_code == 303
    with app.test_request_context():
        case = db.session.scalar(sa.select(HelpRequest).where(HelpRequest.public_id == public_id))
        assert _key_time(blocked) not in {s.starts_at for s in
                                           slots.free_slots(counsellor.id)}
        with pytest.raises(appointments.SlotTaken):
            appointments.book(case, _key_time(blocked), "video")
        db.session.rollback()
    page = staff.get(AVAILABILITY).get_data(as_text=True)
    assert "calendar.example" in page and "Last read" in page


def test_a_failed_fetch_keeps_the_old_busy_times_and_says_why(app, client, booking_world):
    public_id, staff, counsellor = booking_world
    post_form(staff, AVAILABILITY + "/calendar",
              {"calendar-url": "https://calendar.example/me.ics"}, from_url=AVAILABILITY)
    blocked = _offered(client, public_id)[0]
    with app.app_context():
        calendars.refresh_all(fetch=lambda _url: _event_ics(_key_time(blocked)))
        before = db.session.execute(sa.select(BusyInterval.starts_at)).scalars().all()

    def failing(_url):
        raise Refused("took too long")

    with app.app_context():
        assert calendars.refresh_all(fetch=failing) == (0, 1)
        after = db.session.execute(sa.select(BusyInterval.starts_at)).scalars().all()
        row = calendars.calendar_of(counsellor.id)
        assert row.failed_at is not None and row.failure == "took too long"
    assert after == before
    assert blocked not in _offered(client, public_id)
    page = staff.get(AVAILABILITY).get_data(as_text=True)
    assert "took too long to answer" in page and "stay in force" in page
    with app.app_context():  # not a calendar: also kept
        assert calendars.refresh_all(fetch=lambda _url: b"<html></html>") == (0, 1)
        assert db.session.execute(sa.select(BusyInterval.starts_at)).scalars().all() == before
    # removing the link frees the times
    assert post_form(staff, AVAILABILITY + "/calendar/remove", {},
                     from_url=AVAILABILITY).status_code == 303
    assert blocked in _offered(client, public_id)


def test_the_timer_command_fetches_every_link(app, booking_world, monkeypatch):
    _public_id, staff, _counsellor = booking_world
    post_form(staff, AVAILABILITY + "/calendar",
              {"calendar-url": "https://calendar.example/me.ics"}, from_url=AVAILABILITY)
    start = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(days=2)
    monkeypatch.setattr(calendar_fetch, "fetch", lambda _url: _event_ics(start))
    result = app.test_cli_runner().invoke(args=["fetch-calendars"])
    assert result.exit_code == 0, result.output
    assert "Calendars read: 1, failed: 0" in result.output
    with app.app_context():
        assert db.session.execute(sa.select(BusyInterval.starts_at)).scalars().all() == [start]


# --- the secret feed of the counsellor's appointments ----------------------------------------


def test_feed_shows_times_only_and_a_revoked_link_is_404(app, client, booking_world):
    public_id, staff, counsellor = booking_world
    offered = _offered(client, public_id)
    assert book(client, public_id, offered[0], "video").status_code == 303
    answer = post_form(staff, AVAILABILITY + "/feed", {}, from_url=AVAILABILITY)
    assert answer.status_code == 200
    match = FEED_RE.search(answer.get_data(as_text=True))
    assert match, "the new link is shown once"
    url, token = match.group(1), match.group(2)
    assert len(token) >= 40
    assert token not in staff.get(AVAILABILITY).get_data(as_text=True)  # not shown again
    with app.app_context():
        row = db.session.scalar(sa.select(StaffCalendar))
        assert token not in (row.feed_digest or "") and len(row.feed_digest) == 64

    feed = app.test_client().get(url.removeprefix("http://localhost"))
    assert feed.status_code == 200
    assert feed.headers["Content-Type"].startswith("text/calendar")
    assert feed.headers["Cache-Control"] == "no-store"
    events = list(Calendar.from_ical(feed.data).walk("VEVENT"))
    assert len(events) == 1
    event = events[0]
    assert set(event.keys()) == {"UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY"}
    assert event.decoded("dtstart") == _key_time(offered[0])
    assert str(event["SUMMARY"]) in ("Termin", "Appointment")
    text = feed.data.decode()
    with app.app_context():
        appointment_id = db.session.execute(sa.text("SELECT public_id FROM appointments")
                                            ).scalar()
        organisation = db.session.execute(sa.text("SELECT name FROM organisations")).scalar()
    for secret in (public_id, appointment_id, organisation, counsellor.name, counsellor.email,
                   "schlafen", "stress", "Video", "psycholog"):
        assert secret not in text
    assert "ATTENDEE" not in text and "ORGANIZER" not in text and "LOCATION" not in text
    assert "DESCRIPTION" not in text and "URL" not in text

    again = post_form(staff, AVAILABILITY + "/feed", {}, from_url=AVAILABILITY)
    assert "Revoke the link and make a new one" in staff.get(AVAILABILITY).get_data(as_text=True)
    new_url = FEED_RE.search(again.get_data(as_text=True)).group(1)
    assert new_url != url
    assert app.test_client().get(url.removeprefix("http://localhost")).status_code == 404
    assert app.test_client().get(new_url.removeprefix("http://localhost")).status_code == 200
    assert app.test_client().get("/calendar/" + "x" * 43 + ".ics").status_code == 404


def test_feed_lists_only_this_counsellors_booked_appointments(app, client, booking_world,
                                                              staff_client):
    public_id, staff, _counsellor = booking_world
    other, _member = staff_client()
    offered = _offered(client, public_id)
    book(client, public_id, offered[0])
    book(client, public_id, offered[1])  # moved: the first is no longer booked
    url = FEED_RE.search(post_form(other, AVAILABILITY + "/feed", {},
                                   from_url=AVAILABILITY).get_data(as_text=True)).group(1)
    assert list(Calendar.from_ical(app.test_client().get(
        url.removeprefix("http://localhost")).data).walk("VEVENT")) == []
    url = FEED_RE.search(post_form(staff, AVAILABILITY + "/feed", {},
                                   from_url=AVAILABILITY).get_data(as_text=True)).group(1)
    events = list(Calendar.from_ical(app.test_client().get(
        url.removeprefix("http://localhost")).data).walk("VEVENT"))
    assert [e.decoded("dtstart") for e in events] == [_key_time(offered[1])]
    assert dt.timedelta(0) < events[0].decoded("dtend") - events[0].decoded("dtstart")
