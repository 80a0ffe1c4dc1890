"""The rota's notices (eap.oncall.notify): during a window the person on call gets one
content-free e-mail per acute request (web form and phone intake) and per acute chat waiter,
after the commit; outside every window nothing is sent by the rota (triage's notice stays)."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa

from eap import transactions
from eap.extensions import db
from eap.oncall import notify
from eap.oncall.models import OnCallNotice
from eap.requests.models import HelpRequest
from tests.counselling.test_phone_intake import _intake
from tests.oncall.conftest import EVENING
from tests.requests.conftest import send_request

DUTY = "dienst@igus.example"
ONCALL = "bereitschaft@igus.example"
SECRETS = ("nicht mehr leben", "grief", "Trauer", "Schulden", "debt", "Köln", "psychological")


@pytest.fixture
def app_settings(mailbox):
    return {**mailbox.settings, "TRIAGE_DUTY_EMAIL": DUTY}


@pytest.fixture
def on_call(make_window, make_staff, clock):
    clock(EVENING)
    return make_window(around=EVENING, staff=make_staff(role="counsellor", email=ONCALL,
                                                        name="Olga Oncall"))


def _to(mailbox, address):
    return [m for m in mailbox.messages if address in m["To"]]


def _content_free(message, *secrets):
    text = str(message) + message.get_content()
    for secret in (*SECRETS, *secrets, "Olga"):
        assert secret not in text


def test_an_acute_web_request_alerts_the_person_on_call_once(app, client, signed_up, on_call,
                                                             mailbox):
    assert send_request(client, danger="no").status_code == 302
    assert send_request(client, danger="yes", description="Ich will nicht mehr leben.",
                        topic="grief").status_code == 302
    message = mailbox.wait_for(ONCALL)
    mailbox.wait_for(DUTY)  # triage's notice is sent as before
    assert len(_to(mailbox, ONCALL)) == 1
    assert str(message["Subject"]) == "Bereitschaft: Eine akute Anfrage wartet"
    assert "/staff/cases/?urgency=acute" in message.get_content()
    _content_free(message, signed_up.organisation.name)
    with app.app_context():
        acute = db.session.scalar(sa.select(HelpRequest.public_id).where(
            HelpRequest.acute_danger.is_(True)))
        assert db.session.execute(sa.select(OnCallNotice.window_id, OnCallNotice.kind,
                                            OnCallNotice.ref)).all() == [
            (on_call.id, "request", acute)]
        # the same request again (a second process, a resubmit): nothing more
        assert transactions.cli_batch(lambda: notify.acute_request(acute))() == 0
    assert len(_to(mailbox, ONCALL)) == 1


def test_outside_every_window_the_rota_sends_nothing(app, client, signed_up, make_window,
                                                    make_staff, clock, mailbox):
    make_window(around=EVENING, staff=make_staff(email=ONCALL))
    clock(EVENING.replace(hour=23, minute=30))  # the window ended at 21:00
    assert send_request(client, danger="yes").status_code == 302
    mailbox.wait_for(DUTY)
    assert _to(mailbox, ONCALL) == []
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(OnCallNotice.id))) == 0


def test_an_acute_phone_intake_alerts_the_person_on_call(app, staff_client, working_code,
                                                         on_call, mailbox):
    _organisation, code = working_code(name="Geheime Firma GmbH")
    triage, _member = staff_client("triage")
    answer, _data = _intake(triage, code, acute_danger="y")
    assert answer.status_code == 200, answer.get_data(as_text=True)[:500]
    message = mailbox.wait_for(ONCALL)
    assert "/staff/cases/?urgency=acute" in message.get_content()
    _content_free(message, "Geheime Firma", "+49 170")
    assert len(_to(mailbox, ONCALL)) == 1
    answer, _data = _intake(triage, code)  # not acute: nothing for the person on call
    assert answer.status_code == 200
    assert len(_to(mailbox, ONCALL)) == 1


def test_an_acute_chat_waiter_alerts_the_person_on_call_once(app, on_call, mailbox):
    with app.test_request_context():
        for _ in range(2):
            transactions.cli_batch(lambda: notify.acute_chat_waiting("chat-abc123"))()
    message = mailbox.wait_for(ONCALL)
    assert len(_to(mailbox, ONCALL)) == 1
    assert str(message["Subject"]) == "Bereitschaft: Ein akuter Chat wartet"
    assert "http://localhost/staff/chat" in message.get_content()
    assert "chat-abc123" not in str(message)
    _content_free(message)


def test_no_mail_when_the_transaction_rolls_back(app, on_call, mailbox):
    def fails():
        notify.acute_chat_waiting("chat-rolled-back")
        raise RuntimeError("the request failed")

    with app.app_context(), pytest.raises(RuntimeError):
        transactions.cli_batch(fails)()
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(OnCallNotice.id))) == 0
    assert _to(mailbox, ONCALL) == []


def test_two_processes_at_once_send_one_notice(app, on_call, mailbox):
    """Two workers handle the same acute chat waiter at the same moment: one inserts the
    notice, the other skips it (the unique constraint); one mail. Real threads, one session
    and connection each; on PostgreSQL with EAP_TEST_DATABASE_URL."""
    barrier = threading.Barrier(2)
    results: list = [None, None]

    def worker(index):
        try:
            with app.app_context():
                def claim():
                    barrier.wait()
                    return notify._notify(notify.CHAT, "chat-race", "s", "b", None)

                results[index] = transactions.cli_batch(claim)()
        except Exception as error:  # noqa: BLE001 - reported to the test below
            results[index] = error

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(results) == [0, 1], results
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(OnCallNotice.id))) == 1
    mailbox.wait_for(ONCALL)
    assert len(_to(mailbox, ONCALL)) == 1


def test_each_window_running_is_told_once(app, on_call, make_window, make_staff, mailbox):
    make_window(around=EVENING, staff=make_staff(role="triage", email="zweite@igus.example"))
    with app.test_request_context():
        assert transactions.cli_batch(lambda: notify.acute_request("case-1"))() == 2
        assert transactions.cli_batch(lambda: notify.acute_request("case-1"))() == 0
    mailbox.wait_for("zweite@igus.example")
    assert len(_to(mailbox, ONCALL)) == 1 and len(_to(mailbox, "zweite@igus.example")) == 1


def test_a_failing_notice_never_costs_the_request(app, client, signed_up, on_call, mailbox,
                                                  monkeypatch):
    def broken(*_args, **_kwargs):
        raise RuntimeError("rota unavailable")

    monkeypatch.setattr(notify.rota, "active_windows", broken)
    assert send_request(client, danger="yes").status_code == 302
    mailbox.wait_for(DUTY)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(HelpRequest.id))) == 1
    assert _to(mailbox, ONCALL) == []
