"""Content-free notices to staff: an acute request alerts triage at once; the daily digest
counts deadlines due within a day or passed (a waiting case's paused clock does not count)."""

from __future__ import annotations

from datetime import timedelta

from eap.models import utcnow
from tests.requests.conftest import send_request


def test_an_acute_request_alerts_triage_without_content(
    app, client, signed_up, make_staff, mailbox
):
    app.config.update(mailbox.settings)
    triage = make_staff(role="triage")
    counsellor = make_staff(role="counsellor")
    assert send_request(client, description="Ich habe Angst.").status_code == 302
    assert mailbox.messages == []  # a normal request: no alert
    assert send_request(client, danger="yes", description="Ich will nicht mehr.").status_code == 302
    message = mailbox.wait_for(triage.email)
    text = str(message)
    assert "akute Anfrage" in str(message["Subject"]) and "Triage" in text
    for secret in ("Angst", "nicht mehr", "Stress", "stress", "psychological"):
        assert secret not in text
    assert all(counsellor.email not in m["To"] for m in mailbox.messages)


def test_the_deadline_digest_counts_per_person(app, make_case, make_staff, mailbox):
    app.config.update(mailbox.settings)
    triage, counsellor = make_staff(role="triage"), make_staff(role="counsellor")
    idle = make_staff(role="counsellor")
    now = utcnow()
    make_case(assigned_staff_id=counsellor.id, status="in_progress",
              response_due_at=now + timedelta(hours=3))
    make_case(assigned_staff_id=counsellor.id, status="in_progress",
              response_due_at=now - timedelta(hours=3))
    make_case(assigned_staff_id=counsellor.id, status="waiting",  # paused: not counted
              response_due_at=now - timedelta(hours=3))
    make_case(status="new", response_due_at=now + timedelta(hours=1))  # unassigned
    make_case(status="new", response_due_at=now + timedelta(days=5))  # not soon
    result = app.test_cli_runner().invoke(args=["send-deadline-digest"])
    assert "sent: 2" in result.output
    subject = str(mailbox.wait_for(counsellor.email)["Subject"])
    assert "1 innerhalb eines Tages fällig, 1 überschritten" in subject
    assert mailbox.wait_for(triage.email)
    assert all(idle.email not in m["To"] for m in mailbox.messages)
