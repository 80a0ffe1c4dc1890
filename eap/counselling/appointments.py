"""Booking, moving and cancelling appointments; the .ics file; video room links; reminders.

A requester books one of their counsellor's free slots for their open, assigned case. The
database decides who gets a slot: the row is inserted with ``ON CONFLICT DO NOTHING`` on the
partial unique index of booked slots, so of two people booking at the same moment exactly one
gets it and the other is told the slot was just taken. Moving books the new slot first and only
then releases the old one (one transaction), so a failed move keeps the old appointment.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from icalendar import Calendar, Event
from sqlalchemy.dialects import postgresql, sqlite

from eap import mail, transactions
from eap.billing import contracts
from eap.counselling import slots, video
from eap.counselling.appointment_models import BOOKED, SLOT_CONDITION, Appointment
from eap.employers.links import public_url
from eap.extensions import db
from eap.models import utcnow
from eap.requests import appointment_texts as texts
from eap.requests.models import HelpRequest, RequesterAccount

REMINDER_HOURS = 24


class NotBookable(ValueError):
    """The case, modality or time cannot be booked (closed case, no counsellor, unknown slot)."""


class SlotTaken(Exception):
    """Somebody else booked this slot a moment earlier."""


def modalities_for(case: HelpRequest) -> list[str]:
    """The modalities the organisation's current package allows."""
    contract = contracts.access_contract(case.organisation_id)
    return contract.package.modality_list if contract is not None else []


def may_book(case: HelpRequest) -> bool:
    return case.is_open and case.assigned_staff_id is not None


def upcoming(case: HelpRequest, now: datetime | None = None) -> Appointment | None:
    """The case's next booked appointment that has not ended yet."""
    return db.session.scalar(
        sa.select(Appointment)
        .where(Appointment.case_id == case.id, Appointment.status == BOOKED,
               Appointment.ends_at > (now or utcnow()))
        .order_by(Appointment.starts_at)
        .limit(1)
    )


def of_case(case: HelpRequest) -> list[Appointment]:
    return list(db.session.scalars(
        sa.select(Appointment).where(Appointment.case_id == case.id)
        .order_by(Appointment.starts_at.desc(), Appointment.id.desc())
    ))


def _insert_booked(values: dict) -> int | None:
    """Insert a booked appointment unless its slot is taken; the new id, or None."""
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = (
        insert(Appointment).values(**values)
        .on_conflict_do_nothing(
            index_elements=["staff_id", "starts_at"], index_where=sa.text(SLOT_CONDITION)
        )
        .returning(Appointment.id)
    )
    return db.session.execute(statement).scalar()


def book(case: HelpRequest, start: datetime | None, modality: str,
         now: datetime | None = None) -> Appointment:
    """Book (or move to) the slot starting at ``start``; raises NotBookable or SlotTaken."""
    now = now or utcnow()
    if not may_book(case) or modality not in modalities_for(case) or start is None:
        raise NotBookable()
    current = upcoming(case, now)
    free = {s.starts_at: s for s in slots.free_slots(case.assigned_staff_id, now)}
    slot = free.get(start)
    if slot is None:
        if current is not None and current.starts_at == start:
            raise NotBookable()  # moving to the time it already has
        raise SlotTaken()  # booked by someone else since the page was shown (or never free)
    new_id = _insert_booked({
        "case_id": case.id, "staff_id": case.assigned_staff_id, "starts_at": slot.starts_at,
        "ends_at": slot.ends_at, "modality": modality, "status": BOOKED,
    })
    if new_id is None:
        raise SlotTaken()
    if current is not None:
        current.status = "moved"
    db.session.flush()
    return db.session.get(Appointment, new_id)


def cancel(case: HelpRequest, now: datetime | None = None) -> bool:
    """Cancel the case's upcoming appointment; False if there was none."""
    current = upcoming(case, now)
    if current is None:
        return False
    current.status = "cancelled"
    db.session.flush()
    return True


def video_link(appointment: Appointment, moderator: bool = False) -> str | None:
    """The room link on iGuS's own video service (``VIDEO_URL_TEMPLATE``, ``{room}`` in it);
    with a signed token for this participant where Jitsi tokens are configured
    (``eap.counselling.video``): ``moderator`` for the counsellor's link."""
    return video.link(appointment, moderator)


def ics(appointment: Appointment, language: str) -> bytes:
    """A calendar file with the time and the modality, and nothing else about anyone."""
    with force_locale(language):
        modality = str(texts.MODALITIES.get(appointment.modality, appointment.modality))
        summary = str(texts.ICS_SUMMARY) % {"modality": modality}
    calendar = Calendar()
    calendar.add("prodid", "-//iGuS EAP//appointments//EN")
    calendar.add("version", "2.0")
    event = Event()
    event.add("uid", f"{appointment.public_id}@eap")
    event.add("dtstamp", utcnow().replace(microsecond=0))
    event.add("dtstart", appointment.starts_at)
    event.add("dtend", appointment.ends_at)
    event.add("summary", summary)
    calendar.add_component(event)
    return calendar.to_ical()


def staff_day(staff_id: int, day) -> list[tuple[Appointment, str]]:
    """The counsellor's booked appointments on a Berlin day, with their cases' public ids."""
    start = datetime.combine(day, datetime.min.time(), slots.BERLIN)
    end = start + timedelta(days=1)
    rows = db.session.execute(
        sa.select(Appointment, HelpRequest.public_id)
        .join(HelpRequest, HelpRequest.id == Appointment.case_id)
        .where(Appointment.staff_id == staff_id, Appointment.status == BOOKED,
               Appointment.starts_at >= start, Appointment.starts_at < end)
        .order_by(Appointment.starts_at)
    )
    return [(appointment, public_id) for appointment, public_id in rows]


def send_reminders(now: datetime | None = None, hours: int = REMINDER_HOURS) -> int:
    """Content-free reminders for appointments in the next ``hours``; each one at most once.

    For cron (``flask --app eap send-appointment-reminders``); run it as often as you like.
    Each appointment is claimed with a conditional UPDATE and committed before the e-mail goes
    out, so two runs at once never send the same reminder twice.
    """
    now = now or utcnow()
    due = db.session.execute(
        sa.select(Appointment.id, HelpRequest.language, HelpRequest.account_id)
        .join(HelpRequest, HelpRequest.id == Appointment.case_id)
        .where(Appointment.status == BOOKED, Appointment.reminder_sent_at.is_(None),
               Appointment.starts_at > now,
               Appointment.starts_at <= now + timedelta(hours=hours))
    ).all()
    sent = 0
    for appointment_id, language, account_id in due:
        claimed = db.session.execute(
            sa.update(Appointment)
            .where(Appointment.id == appointment_id, Appointment.reminder_sent_at.is_(None))
            .values(reminder_sent_at=now)
        ).rowcount
        # Deliberate commit: the reminder is claimed before it is sent (never twice).
        transactions.commit_now("reminder claimed before its e-mail")
        if not claimed:
            continue
        account = db.session.get(RequesterAccount, account_id)
        if account is None or not account.notification_email:
            continue
        with current_app.test_request_context(), force_locale(language):
            subject = str(texts.REMINDER_SUBJECT)
            body = str(texts.REMINDER_BODY) + "\n\n" + public_url("requests.sign_in")
        if mail.send(account.notification_email, subject, body):
            sent += 1
    return sent


def export_of(case: HelpRequest) -> dict:
    """What the requester's own-data export shows of appointments, sessions and follow-ups."""
    from eap.counselling.appointment_models import CaseSession
    from eap.counselling.follow_up import ReferralFollowUp
    from eap.counselling.models import CaseReferral

    sessions = db.session.scalars(
        sa.select(CaseSession).where(CaseSession.case_id == case.id).order_by(CaseSession.id))
    follow_ups = db.session.scalars(
        sa.select(ReferralFollowUp).join(CaseReferral).where(CaseReferral.case_id == case.id))
    return {
        "appointments": [
            {"starts_at": a.starts_at.isoformat(), "ends_at": a.ends_at.isoformat(),
             "modality": a.modality, "status": a.status}
            for a in sorted(of_case(case), key=lambda a: a.id)
        ],
        "sessions": [{"held_on": s.held_on.isoformat(), "modality": s.modality}
                     for s in sessions],
        "referral_follow_ups": [
            {"consent": f.consent, "reached": f.reached, "helped": f.helped} for f in follow_ups
        ],
    }


def erase(case_ids) -> None:
    """Delete the appointments of the given cases (a select of ids), for the requester's erasure."""
    db.session.execute(sa.delete(Appointment).where(Appointment.case_id.in_(case_ids)))
