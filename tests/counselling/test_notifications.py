"""Staff notifications: an acute request mails the on-duty triage address at once, without
content; the daily digest (CLI) lists the open cases due by the end of the next working day."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from eap.counselling import notifications
from tests.requests.conftest import send_request

DUTY = "dienst@igus.example"


def test_acute_request_mails_the_duty_address_without_content(app, client, signed_up, mailbox):
    app.config.update(mailbox.settings, TRIAGE_DUTY_EMAIL=DUTY)
    assert send_request(client, danger="no").status_code == 302
    assert mailbox.messages == []  # only acute requests alert at once
    assert send_request(client, danger="yes", description="Ich will nicht mehr leben.",
                        topic="grief").status_code == 302
    message = mailbox.wait_for(DUTY)
    text = str(message)
    assert "/staff/cases/?urgency=acute" in message.get_content()
    for secret in ("nicht mehr leben", "grief", "Trauer", signed_up.organisation.name):
        assert secret not in text
    assert len(mailbox.messages) == 1


def test_digest_lists_cases_due_by_the_next_working_day(app, make_case, make_staff, mailbox):
    app.config.update(mailbox.settings)
    # Friday 27 Nov 2026, 07:00 Berlin: the next working day is Monday 30 Nov.
    now = datetime(2026, 11, 27, 6, 0, tzinfo=UTC)
    anna = make_staff(name="Anna Beraterin")
    overdue = make_case(response_due_at=now - timedelta(hours=1))
    monday = make_case(response_due_at=datetime(2026, 11, 30, 15, 0, tzinfo=UTC),
                       assigned_staff_id=anna.id, status="in_progress")
    tuesday = make_case(response_due_at=datetime(2026, 12, 1, 9, 0, tzinfo=UTC))
    closed = make_case(response_due_at=now, status="closed")
    with app.test_request_context():
        assert notifications.send_digest(now=now, to=DUTY) == 2
    body = mailbox.body(DUTY)
    assert body.index(overdue.public_id) < body.index(monday.public_id)
    assert "Anna Beraterin" in body
    for absent in (tuesday, closed):
        assert absent.public_id not in body
    assert "Ich schlafe" not in body


def test_digest_command(app, make_case, mailbox):
    app.config.update(mailbox.settings, TRIAGE_DUTY_EMAIL=DUTY)
    make_case(response_due_at=datetime.now(UTC) - timedelta(minutes=5))
    result = app.test_cli_runner().invoke(args=["staff-digest"])
    assert result.exit_code == 0, result.output
    assert "1 open cases" in result.output
    assert "/staff/cases/" in mailbox.body(DUTY)
