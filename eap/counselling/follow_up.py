"""Referral follow-up: with the requester's consent, a question on their case some days after a
referral — did you reach the service, did it help? The answers are counted (service-wide, per
month, ``eap.requests.counters``) and shown only in the admin figures; the counsellor sees them
on the case like any other answer the requester gives.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy import Boolean, Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from eap.counselling.models import CaseReferral
from eap.extensions import db
from eap.models import UTCDateTime, utcnow
from eap.requests import counters
from eap.requests.deadlines import BERLIN
from eap.requests.models import HelpRequest

DEFAULT_DAYS = 21
ANSWERS = ("yes", "no")
HELPED = ("yes", "partly", "no")


class ReferralFollowUp(db.Model):
    """The requester's consent to the follow-up question and their answers (codes only)."""

    __tablename__ = "referral_follow_ups"

    referral_id: Mapped[int] = mapped_column(
        ForeignKey("case_referrals.id", ondelete="CASCADE"), primary_key=True
    )
    consent: Mapped[bool] = mapped_column(Boolean)
    ask_on: Mapped[date] = mapped_column(Date)
    reached: Mapped[str | None] = mapped_column(String(10))
    helped: Mapped[str | None] = mapped_column(String(10))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


@dataclass
class Item:
    referral_id: int
    service: str
    state: str  # "consent" (ask for it), "waiting" (until ask_on), "question", "done", "declined"


def _today() -> date:
    return utcnow().astimezone(BERLIN).date()


def items(case: HelpRequest, today: date | None = None) -> list[Item]:
    """The case's referrals, each with where its follow-up stands."""
    today = today or _today()
    rows = db.session.execute(
        sa.select(CaseReferral, ReferralFollowUp)
        .outerjoin(ReferralFollowUp, ReferralFollowUp.referral_id == CaseReferral.id)
        .where(CaseReferral.case_id == case.id).order_by(CaseReferral.id)
    ).all()
    found = []
    for referral, follow in rows:
        if follow is None:
            state = "consent"
        elif not follow.consent:
            state = "declined"
        elif follow.answered_at is not None:
            state = "done"
        else:
            state = "question" if today >= follow.ask_on else "waiting"
        found.append(Item(referral.id, referral.service.name, state))
    return found


def _referral_of(case: HelpRequest, referral_id) -> CaseReferral | None:
    try:
        referral = db.session.get(CaseReferral, int(referral_id))
    except (TypeError, ValueError):
        return None
    return referral if referral is not None and referral.case_id == case.id else None


def give_consent(case: HelpRequest, referral_id, consent: bool) -> bool:
    referral = _referral_of(case, referral_id)
    if referral is None or db.session.get(ReferralFollowUp, referral.id) is not None:
        return False
    days = current_app.config["REFERRAL_FOLLOW_UP_DAYS"]
    db.session.add(ReferralFollowUp(referral_id=referral.id, consent=consent,
                                    ask_on=_today() + timedelta(days=days)))
    db.session.flush()
    return True


def answer(case: HelpRequest, referral_id, reached: str, helped: str) -> bool:
    """Save the answers once and count them (no link to the case in the counters)."""
    referral = _referral_of(case, referral_id)
    follow = db.session.get(ReferralFollowUp, referral.id) if referral else None
    if (follow is None or not follow.consent or follow.answered_at is not None
            or _today() < follow.ask_on or reached not in ANSWERS
            or (reached == "yes" and helped not in HELPED)):
        return False
    follow.reached = reached
    follow.helped = helped if reached == "yes" else None
    follow.answered_at = utcnow()
    counters.record_referral_follow_up(reached, follow.helped)
    db.session.flush()
    return True
