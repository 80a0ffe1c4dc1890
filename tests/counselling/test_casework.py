"""The case page: thread, notes, status workflow, triage fields, contacts, referrals, closing,
audit entries for every read, and optimistic locking ("changed meanwhile")."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from eap.counselling import referrals
from eap.counselling.models import CaseNote, CaseReferral, CaseWork
from eap.extensions import db
from eap.models import utcnow
from eap.requests.models import CaseEvent, HelpRequest, Message
from tests.conftest import post_form
from tests.counselling.conftest import DESCRIPTION, case_post, load_case
from tests.requests.conftest import send_request


def _the_case(app) -> HelpRequest:
    with app.app_context():
        case = db.session.scalar(sa.select(HelpRequest))
        db.session.expunge(case)
    return case


def test_requester_to_counsellor_and_back(app, client, signed_up, staff_client, mailbox,
                                          audit_actions):
    app.config.update(mailbox.settings)
    assert post_form(client, "/help/account/notifications",
                     {"email": "me@private.example"}).status_code == 302
    send_request(client, topic="addiction", description="Geheimer Text über Sucht")
    case = _the_case(app)
    triage, _triage = staff_client("triage")
    counsellor, me = staff_client("counsellor", languages="de", specialties="addiction")

    assign_page = triage.get(f"/staff/cases/{case.public_id}/assign").get_data(as_text=True)
    assert me.name in assign_page
    answer = post_form(triage, f"/staff/cases/{case.public_id}/assign",
                       {"assign-staff_id": me.id, "assign-version": case.version})
    assert answer.status_code == 303
    assert load_case(app, case.public_id).status == "triaged"

    page = counsellor.get(f"/staff/cases/{case.public_id}").get_data(as_text=True)
    assert "Geheimer Text über Sucht" in page  # decrypted for the assigned counsellor
    assert case_post(counsellor, case, "reply", {"body": "Ich rufe Sie morgen an."},
                     page).status_code == 303
    assert case_post(counsellor, case, "note",
                     {"body": "Interne Einschätzung XYZ"}).status_code == 303

    mail = str(mailbox.wait_for("me@private.example"))
    for secret in ("Sucht", "Geheimer", "Ich rufe", "addiction", "Addiction"):
        assert secret not in mail

    mine = client.get(f"/help/requests/{case.public_id}").get_data(as_text=True)
    assert "Ich rufe Sie morgen an." in mine
    assert "Interne Einschätzung" not in mine  # internal notes never reach the requester
    assert post_form(client, f"/help/requests/{case.public_id}/reply", {"body": "Danke!"},
                     from_url=f"/help/requests/{case.public_id}").status_code == 302

    my_cases = counsellor.get("/staff/cases/mine").get_data(as_text=True)
    assert "1 new" in my_cases  # the requester's unread answer
    page = counsellor.get(f"/staff/cases/{case.public_id}").get_data(as_text=True)
    assert "Danke!" in page
    assert case_post(counsellor, case, "close", {"outcome": "resolved"}, page).status_code == 303

    with app.app_context():
        closed = db.session.get(HelpRequest, case.id)
        work = db.session.get(CaseWork, case.id)
        assert closed.status == "closed" and closed.closed_at is not None
        assert work.outcome == "resolved" and work.first_response_at is not None
        from eap.requests.models import ServiceCounter

        cells = {(c.dimension, c.value): c.count for c in db.session.scalars(
            sa.select(ServiceCounter))}
        assert cells[("first_response", "on_time")] == 1 and cells[("closed", "all")] == 1
        kinds = db.session.scalars(sa.select(CaseEvent.kind).order_by(CaseEvent.id)).all()
        assert kinds == ["assignee", "status", "status", "message", "note", "status", "outcome"]
        assert db.session.scalar(
            sa.select(sa.func.count(Message.id)).where(Message.read_at.is_(None))
        ) == 0

    actions = [a for (_actor, a, _t, _o) in audit_actions(case.public_id)]
    assert actions.count("case.view") == 5  # every staff GET of the case, and only those
    assert {"case.assignee", "case.message", "case.note", "case.status", "case.outcome"} <= set(
        actions
    )
    for _actor, action, object_type, object_id in audit_actions(case.public_id):
        assert object_type == "help_request" and object_id == case.public_id


def test_status_workflow_contacts_referrals_and_reopen(app, make_case, staff_client):
    client, me = staff_client("counsellor")
    case = make_case(assigned_staff_id=me.id, status="triaged")
    with app.app_context():
        referrals.seed_defaults()
        db.session.commit()
        debt = db.session.scalar(sa.select(referrals.ReferralService.id).where(
            referrals.ReferralService.name == "Schuldnerberatung"))
    assert case_post(client, case, "status", {"status": "in_progress"}).status_code == 303
    assert case_post(client, case, "status", {"status": "waiting",
                                              "reason": "Rückmeldung abwarten"}).status_code == 303
    assert case_post(client, case, "status", {"status": "new"}).status_code == 400  # no way back
    for kind in ("phone", "video"):
        assert case_post(client, case, "contact", {"kind": kind}).status_code == 303
    assert case_post(client, case, "referral", {"service": debt,
                                                "note": "Termin am Montag"}).status_code == 303
    assert case_post(client, case, "close", {"outcome": "referred"}).status_code == 303
    assert case_post(client, case, "reply", {"body": "zu spät"}).status_code == 409  # closed
    assert case_post(client, case, "reopen", {}).status_code == 400  # a reason is required
    assert case_post(client, case, "reopen", {"reason": "meldet sich"}).status_code == 303
    page = client.get(f"/staff/cases/{case.public_id}").get_data(as_text=True)
    assert "Schuldnerberatung" in page and "Termin am Montag" in page
    assert "Rückmeldung abwarten" in page  # the reason shows in the history
    with app.app_context():
        fresh = db.session.get(HelpRequest, case.id)
        assert fresh.status == "in_progress" and fresh.closed_at is None
        assert db.session.get(CaseWork, case.id).contacts_count == 2
        # the reason, the note and the referral note are encrypted at rest
        raw = db.session.execute(sa.text(
            "SELECT reason FROM case_events WHERE reason IS NOT NULL "
            "UNION ALL SELECT note FROM case_referrals")).scalars().all()
        assert raw and all("Termin" not in value and "Rückmeldung" not in value for value in raw)


def test_priority_and_topic_need_a_reason_and_bring_the_deadline_forward(
    app, make_case, staff_client
):
    client, _me = staff_client("triage")
    case = make_case(priority=3, urgency="normal", response_due_at=utcnow() + timedelta(days=10))
    assert case_post(client, case, "triage", {"priority": 2, "topic": "debt"}).status_code == 400
    answer = case_post(client, case, "triage",
                       {"priority": 2, "topic": "debt", "reason": "Pfändung droht"})
    assert answer.status_code == 303
    fresh = load_case(app, case.public_id)
    assert fresh.priority == 2 and fresh.topic == "debt"
    assert fresh.response_due_at < case.response_due_at  # the urgent promise applies now
    with app.app_context():
        kinds = set(db.session.scalars(sa.select(CaseEvent.kind)))
    assert kinds == {"priority", "topic", "deadline"}


def test_a_stale_form_shows_what_changed_and_keeps_the_text(app, make_case, staff_client):
    first, me = staff_client("counsellor")
    second, _triage = staff_client("triage")
    case = make_case(assigned_staff_id=me.id, status="triaged")
    stale_page = second.get(f"/staff/cases/{case.public_id}").get_data(as_text=True)
    assert case_post(first, case, "status", {"status": "in_progress"}).status_code == 303

    answer = case_post(second, case, "note", {"body": "Mein langer Vermerk"}, stale_page)
    assert answer.status_code == 409
    page = answer.get_data(as_text=True)
    assert "changed meanwhile" in page
    assert "Status: Triaged → In progress" in page
    assert "Mein langer Vermerk</textarea>" in page  # nothing the user typed is lost
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(CaseNote.id))) == 0
    # sending the kept form again (it now carries the new version) works
    assert case_post(second, case, "note", {"body": "Mein langer Vermerk"}, page).status_code == 303

    triage_page = second.get(f"/staff/cases/{case.public_id}").get_data(as_text=True)
    assert case_post(first, case, "status", {"status": "waiting"}).status_code == 303
    stale = case_post(second, case, "triage", {"priority": 1, "topic": "grief",
                                               "reason": "Suizidgedanken"}, triage_page)
    assert stale.status_code == 409
    assert "Suizidgedanken" in stale.get_data(as_text=True)
    assert load_case(app, case.public_id).priority == 3


def test_taking_is_atomic_and_the_loser_gets_409(app, make_case, staff_client):
    one, first = staff_client("counsellor")
    two, _second = staff_client("counsellor")
    case = make_case()
    tokens = []
    for client in (one, two):
        page = client.get("/staff/cases/").get_data(as_text=True)
        assert f"/staff/cases/{case.public_id}/take" in page
        tokens.append(page.split('name="csrf_token" value="')[1].split('"')[0])
    assert one.post(f"/staff/cases/{case.public_id}/take",
                    data={"csrf_token": tokens[0]}).status_code == 303
    late = two.post(f"/staff/cases/{case.public_id}/take", data={"csrf_token": tokens[1]})
    assert late.status_code == 409
    assert "Someone else was faster" in late.get_data(as_text=True)
    assert load_case(app, case.public_id).assigned_staff_id == first.id
    # the winner sees it, the other counsellor gets "not found"
    assert one.get(f"/staff/cases/{case.public_id}").status_code == 200
    assert two.get(f"/staff/cases/{case.public_id}").status_code == 404


def test_the_claim_update_is_conditional(app, make_case, make_staff):
    """Two sessions that both read the case as unassigned: only one UPDATE matches."""
    from eap.counselling import assignment

    a, b = make_staff(), make_staff()
    case = make_case()
    with app.app_context():
        first = db.session.get(HelpRequest, case.id)
        assignment.take(first, a)
        db.session.commit()
    with app.app_context():
        # take() never trusts what it read: the UPDATE itself requires "still unassigned"
        stale = db.session.get(HelpRequest, case.id)
        with pytest.raises(assignment.AlreadyTaken):
            assignment.take(stale, b)
        db.session.rollback()
    assert load_case(app, case.public_id).assigned_staff_id == a.id


def test_extra_fields_are_ignored_and_content_stays_encrypted(app, make_case, staff_client):
    client, me = staff_client("counsellor")
    case = make_case(assigned_staff_id=me.id, status="in_progress")
    page = client.get(f"/staff/cases/{case.public_id}").get_data(as_text=True)
    answer = case_post(client, case, "note", {"body": "Notiz", "status": "closed",
                                              "assigned_staff_id": "999"}, page)
    assert answer.status_code == 303
    fresh = load_case(app, case.public_id)
    assert fresh.status == "in_progress" and fresh.assigned_staff_id == me.id
    with app.app_context():
        raw = db.session.execute(sa.text("SELECT body FROM case_notes")).scalar()
    assert "Notiz" not in raw and DESCRIPTION not in page.replace(DESCRIPTION, "")


def test_referral_service_admin(app, staff_client):
    client, _admin = staff_client("admin")
    assert post_form(client, "/staff/cases/referral-services/new",
                     {"name": "Erziehungsberatung", "details": "Siegen", "active": "y"}
                     ).status_code == 303
    page = client.get("/staff/cases/referral-services").get_data(as_text=True)
    assert "Erziehungsberatung" in page
    again = post_form(client, "/staff/cases/referral-services/new",
                      {"name": "Erziehungsberatung"})
    assert again.status_code == 200 and "exists already" in again.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(CaseReferral.id))) == 0
