"""Content-free notices to staff, one owner (eap.counselling.staff_notices): a new acute request
mails the duty address (and, if configured, triage staff) exactly once each; the one daily
digest (``staff-digest``) lists the cases due by the end of the next working day, paused clocks
left out, and today's appointments."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from eap.counselling import staff_notices
from eap.counselling.appointment_models import Appointment
from eap.extensions import db
from eap.requests.models import HelpRequest
from tests.requests.conftest import send_request

DUTY = "dienst@igus.example"
SECRETS = ("nicht mehr leben", "grief", "Trauer", "stress", "Stress", "psychological")


@pytest.mark.parametrize("to_triage_staff", [False, True])
def test_a_new_acute_request_sends_exactly_the_intended_mails(
    app, client, signed_up, make_staff, mailbox, to_triage_staff
):
    app.config.update(mailbox.settings, TRIAGE_DUTY_EMAIL=DUTY,
                      ACUTE_NOTICE_TO_TRIAGE_STAFF=to_triage_staff)
    triage = make_staff(role="triage")
    make_staff(role="triage", email=DUTY.upper())  # the duty address is also a member's: once
    counsellor = make_staff(role="counsellor")
    assert send_request(client, danger="no").status_code == 302
    assert mailbox.messages == []  # only acute requests alert at once
    assert send_request(client, danger="yes", description="Ich will nicht mehr leben.",
                        topic="grief").status_code == 302
    expected = sorted([DUTY, triage.email] if to_triage_staff else [DUTY])
    mailbox.wait_for(expected[-1])
    assert sorted(m["To"].lower() for m in mailbox.messages) == sorted(expected)
    for message in mailbox.messages:
        text = str(message)
        assert "/staff/cases/?urgency=acute" in message.get_content()
        assert "akute Anfrage" in str(message["Subject"])
        for secret in (*SECRETS, signed_up.organisation.name):
            assert secret not in text
    assert all(counsellor.email not in m["To"] for m in mailbox.messages)


def test_the_acute_notice_has_one_owner():
    from pathlib import Path

    from eap.counselling import subscriptions
    from eap.requests import case_views

    # The request form announces the committed request once; counselling's one receiver sends.
    form = Path(case_views.__file__).read_text(encoding="utf-8")
    assert form.count("request_committed.send(") == 1
    assert Path(subscriptions.__file__).read_text(encoding="utf-8").count("notify_acute(") == 1
    with pytest.raises(ImportError):
        from eap.counselling import notifications  # noqa: F401


@pytest.fixture
def friday(app, make_case, make_staff, mailbox):
    """Friday 27 Nov 2026, 07:00 Berlin: the next working day is Monday 30 Nov."""
    app.config.update(mailbox.settings, TRIAGE_DUTY_EMAIL=DUTY)
    now = datetime(2026, 11, 27, 6, 0, tzinfo=UTC)
    anna = make_staff(name="Anna Beraterin")
    idle = make_staff(name="Idle")
    cases = {
        "overdue": make_case(response_due_at=now - timedelta(hours=1)),
        "monday": make_case(response_due_at=datetime(2026, 11, 30, 15, 0, tzinfo=UTC),
                            assigned_staff_id=anna.id, status="in_progress"),
        "tuesday": make_case(response_due_at=datetime(2026, 12, 1, 9, 0, tzinfo=UTC)),
        "closed": make_case(response_due_at=now, status="closed"),
        "paused": make_case(response_due_at=now - timedelta(hours=2),
                            assigned_staff_id=anna.id, status="in_progress"),
        "booked": make_case(assigned_staff_id=anna.id, status="in_progress",
                            response_due_at=now + timedelta(days=9)),
    }
    with app.app_context():
        db.session.get(HelpRequest, cases["paused"].id).status = "waiting"  # clock paused
        case_id = cases["booked"].id
        for start, status in ((datetime(2026, 11, 27, 9, tzinfo=UTC), "booked"),
                              (datetime(2026, 11, 27, 10, tzinfo=UTC), "cancelled"),
                              (datetime(2026, 11, 28, 9, tzinfo=UTC), "booked")):  # tomorrow
            db.session.add(Appointment(case_id=case_id, staff_id=anna.id, starts_at=start,
                                       ends_at=start + timedelta(hours=1), modality="phone",
                                       status=status))
        db.session.commit()
    return now, anna, idle, cases


def test_the_digest_lists_deadlines_and_todays_appointments(app, friday, mailbox):
    now, anna, idle, cases = friday
    with app.app_context():
        assert staff_notices.send_digest(now=now) == (2, 1, 2)
    duty = mailbox.body(DUTY)
    assert duty.index(cases["overdue"].public_id) < duty.index(cases["monday"].public_id)
    assert "Anna Beraterin" in duty and "nicht zugewiesen" in duty
    for absent in ("tuesday", "closed", "paused"):
        assert cases[absent].public_id not in duty
    assert duty.count(cases["booked"].public_id) == 1  # today's booked one only
    assert "10:00–11:00" in duty and "Telefon" in duty  # 09:00 UTC = 10:00 Berlin
    own = mailbox.body(anna.email)
    assert cases["monday"].public_id in own and cases["overdue"].public_id not in own
    assert cases["booked"].public_id in own
    assert all(idle.email not in m["To"] for m in mailbox.messages)
    for message in mailbox.messages:
        for secret in ("Ich schlafe", *SECRETS):
            assert secret not in str(message)


def test_one_digest_command(app, friday, mailbox):
    result = app.test_cli_runner().invoke(args=["staff-digest", "--to", "other@igus.example"])
    assert result.exit_code == 0, result.output
    assert "mail(s) sent" in result.output
    assert "/staff/cases/" in mailbox.body("other@igus.example")
    assert "staff-digest" in app.cli.commands
    assert "send-deadline-digest" not in app.cli.commands  # merged into staff-digest
