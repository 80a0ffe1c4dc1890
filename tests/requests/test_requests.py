"""Asking for help: crisis path, deadlines, bad input, threads, own data and erasure."""

import json
from datetime import UTC, datetime

import sqlalchemy as sa

from eap.extensions import db
from eap.requests import messages
from eap.requests.deadlines import add_working_hours
from eap.requests.models import HelpRequest, Message, RequesterAccount, UsageCounter
from tests.conftest import post_form
from tests.requests.conftest import send_request, sign_up

SCRIPT = '<script>alert("x")</script><b onmouseover=alert(1)>'


def _case(app):
    with app.app_context():
        return db.session.scalar(sa.select(HelpRequest))


def test_crisis_question_comes_first_and_yes_fills_the_screen(app, client, signed_up):
    page = client.get("/help/requests/new").get_data(as_text=True)
    main = page.split("<main")[1].split("</main>")[0]
    # The question only: its answers are two real buttons, no request form yet.
    assert "acute danger" in main and 'method="post"' not in main
    assert 'name="danger" value="yes"' in main and 'name="danger" value="no"' in main
    page = client.get("/help/requests/new?danger=yes").get_data(as_text=True)
    main = page.split("<main")[1]
    assert main.index("112") < main.index("<form")
    for number in ("110", "0228 19240", "0800 111 0 111", "116 117", "0800 111 0 222",
                   "116 123", "116 111", "116 016"):
        assert number in main.split("<form")[0]
    answer = send_request(client, danger="yes")
    case = _case(app)
    assert case.acute_danger and case.priority == 1
    page = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert "Call for help now" in page


def test_confirmation_shows_deadline_in_nrw_working_hours(app, client, signed_up):
    answer = send_request(client, urgency="soon")
    case = _case(app)
    assert case.priority == 2 and case.status == "new"
    page = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert "will answer by" in page


def test_working_hours_skip_weekends_and_nrw_holidays():
    berlin_friday_5pm = datetime(2026, 10, 30, 16, 0, tzinfo=UTC)  # 17:00 in Berlin (CET)
    # 1 h on Friday; Saturday 31 Oct, Sunday, and 1 Nov (All Saints, NRW) skipped; Monday 8–15.
    assert add_working_hours(berlin_friday_5pm, 8) == datetime(2026, 11, 2, 14, 0, tzinfo=UTC)
    night = datetime(2026, 12, 24, 22, 0, tzinfo=UTC)  # Thursday night; 25/26 Dec are holidays
    assert add_working_hours(night, 2) == datetime(2026, 12, 28, 9, 0, tzinfo=UTC)


def test_bad_input_keeps_text_and_shows_limits(app, client, signed_up):
    empty = send_request(client, description="   ")
    assert empty.status_code == 200
    assert "Please write in a few words what it is about." in empty.get_data(True)
    long = send_request(client, description="x" * 5001)
    assert "at most 5000 characters" in long.get_data(as_text=True)
    phone = send_request(client, contact="phone", callback_number="")
    assert "Please give a number for the callback." in phone.get_data(as_text=True)
    bad = send_request(client, area="hacking", topic="none")
    assert bad.status_code == 200
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(HelpRequest.id))) == 0


def test_thread_indicator_reply_and_close(app, client, signed_up, make_staff):
    send_request(client)
    case = _case(app)
    staff = make_staff()
    with app.app_context():
        messages.add_staff_message(db.session.get(HelpRequest, case.id), staff.id, "Hallo!")
        db.session.commit()
    assert "1 new message" in client.get("/help/requests/").get_data(as_text=True)
    page = client.get(f"/help/requests/{case.public_id}").get_data(as_text=True)
    assert "Hallo!" in page
    assert "new message" not in client.get("/help/requests/").get_data(as_text=True)
    url = f"/help/requests/{case.public_id}"
    assert post_form(client, url + "/reply", {"body": ""}, from_url=url).status_code == 400
    assert post_form(client, url + "/reply", {"body": "Danke"}, from_url=url).status_code == 302
    assert post_form(client, url + "/close", {}, from_url=url).status_code == 302
    assert _case(app).status == "closed"
    assert post_form(client, url + "/reply", {"body": "x"}, from_url="/help/requests/"
                     ).status_code == 409


def test_only_the_messages_shown_are_marked_read(app, client, signed_up, make_staff):
    """A message that arrives while the thread is being shown stays new; a view with nothing
    new writes nothing."""
    send_request(client)
    case = _case(app)
    staff = make_staff()
    with app.app_context():
        shown = db.session.get(HelpRequest, case.id)
        messages.add_staff_message(shown, staff.id, "Erste Antwort")
        db.session.commit()
        assert len(shown.messages) == 1  # the thread as the page showed it
        db.session.execute(sa.insert(Message).values(  # arrives after the page read the thread
            public_id="late-message-0001", case_id=case.id, author="staff", staff_id=staff.id,
            body="Zweite Antwort"))
        statements = []

        def record(*args):
            statements.append(args[2])

        sa.event.listen(db.engine, "before_cursor_execute", record)
        messages.mark_shown_read(shown, "staff")
        db.session.commit()
        read = dict(db.session.execute(
            sa.select(Message.public_id, Message.read_at).where(Message.author == "staff")
        ).all())
        assert read["late-message-0001"] is None
        assert sum(v is not None for v in read.values()) == 1
    assert "1 new message" in client.get("/help/requests/").get_data(as_text=True)
    client.get(f"/help/requests/{case.public_id}")  # shows (and marks) the late message too
    assert "new message" not in client.get("/help/requests/").get_data(as_text=True)
    with app.app_context():
        statements.clear()
        messages.mark_shown_read(db.session.get(HelpRequest, case.id), "staff")  # nothing new
        sa.event.remove(db.engine, "before_cursor_execute", record)
        assert not [s for s in statements if s.lstrip().upper().startswith("UPDATE")]


def test_other_requesters_request_is_not_found(app, client, working_code, signed_up):
    send_request(client)
    case = _case(app)
    other = app.test_client()
    _org, code = working_code()
    sign_up(other, code)
    for url in (f"/help/requests/{case.public_id}", f"/help/requests/{case.public_id}/sent"):
        assert other.get(url).status_code == 404
    answer = post_form(other, f"/help/requests/{case.public_id}/reply", {"body": "x"},
                       from_url="/help/requests/")
    assert answer.status_code == 404


def test_expired_session_keeps_the_text(app, client, signed_up, monkeypatch):
    send_request(client)
    case = _case(app)
    url = f"/help/requests/{case.public_id}"
    from tests.conftest import csrf_token

    token = csrf_token(client, url)
    from eap.security import sessions

    moment = sessions.now()
    monkeypatch.setattr(sessions, "now", lambda: moment + 3600)
    long_text = "Mein langer Text, den ich nicht verlieren will. " * 20
    answer = client.post(url + "/reply", data={"csrf_token": token, "body": long_text})
    assert answer.status_code == 401
    page = answer.get_data(as_text=True)
    assert "Mein langer Text" in page  # kept in the sign-in form
    import re

    draft = re.search(r'name="draft" type="hidden" value="([^"]*)"', page).group(1)
    target = re.search(r'name="draft_target" type="hidden" value="([^"]*)"', page).group(1)
    again = client.post("/help/sign-in", data={
        "csrf_token": token, "case_key": signed_up.case_key, "passphrase": signed_up.passphrase,
        "draft": draft, "draft_target": target})
    assert again.status_code == 200
    assert "Mein langer Text" in again.get_data(as_text=True).split('name="body"')[1][:2000]
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Message.id))) == 0  # not sent yet


def test_notification_address_rules_and_content_free_ping(
    app, client, working_code, make_hr_user, make_staff, mailbox, app_settings
):
    app.config.update(mailbox.settings)
    organisation, code = working_code(billing_email="billing@firma.example")
    make_hr_user(organisation=organisation, email="hr@personal-firma.example")
    sign_up(client, code)
    url = "/help/account/notifications"
    for address in ("me@firma.example", "me@mail.firma.example", "x@personal-firma.example"):
        page = post_form(client, url, {"email": address}).get_data(as_text=True)
        assert "Please use a private address" in page
    assert post_form(client, url, {"email": "me@private.example"}).status_code == 302
    send_request(client, topic="addiction", description="Geheimer Text")
    case = _case(app)
    with app.app_context():
        fresh = db.session.get(HelpRequest, case.id)
        messages.add_staff_message(fresh, make_staff().id, "Inhalt der Nachricht")
        db.session.commit()
        with app.test_request_context():
            messages.notify(db.session.get(HelpRequest, case.id))
    assert len(mailbox.messages) == 1
    mail = str(mailbox.messages[0])
    for secret in ("Inhalt", "Geheimer", "Addiction", "Sucht", "addiction"):
        assert secret not in mail
    assert post_form(client, url + "/remove", {}, from_url=url).status_code == 302
    with app.app_context():
        assert db.session.scalar(sa.select(RequesterAccount.notification_email)) is None


def test_own_data_export_and_erasure_keeps_counters(app, client, signed_up):
    send_request(client, description="Mein Anliegen")
    page = client.get("/help/account/data").get_data(as_text=True)
    assert "Mein Anliegen" in page
    download = client.get("/help/account/data.json")
    assert "attachment" in download.headers["Content-Disposition"]
    data = json.loads(download.get_data(as_text=True))
    assert data["requests"][0]["description"] == "Mein Anliegen"
    refused = post_form(client, "/help/account/delete", {})
    assert refused.status_code == 200
    assert post_form(client, "/help/account/delete", {"understood": "y"}).status_code == 302
    with app.app_context():
        for model in (RequesterAccount, HelpRequest, Message):
            assert db.session.scalar(sa.select(sa.func.count()).select_from(model)) == 0
        assert db.session.scalar(sa.select(sa.func.sum(UsageCounter.count))) > 0
    assert client.get("/help/requests/").status_code == 401


def test_closing_by_the_requester_is_counted_and_shown_to_staff(app, client, signed_up):
    from eap.requests.models import CaseEvent, ServiceCounter

    send_request(client)
    case = _case(app)
    url = f"/help/requests/{case.public_id}"
    assert post_form(client, url + "/close", {}, from_url=url).status_code == 302
    with app.app_context():
        event = db.session.scalar(sa.select(CaseEvent).where(CaseEvent.case_id == case.id))
        assert (event.kind, event.new_value, event.actor_id) == ("status", "closed", None)
        assert event.version == db.session.get(HelpRequest, case.id).version
        closed = db.session.scalar(
            sa.select(ServiceCounter.count).where(ServiceCounter.dimension == "closed")
        )
        assert closed == 1
