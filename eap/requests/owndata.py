"""The requester's own data: notification address, export, and erasure."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from eap.employers.models import HrUser, Organisation
from eap.extensions import db
from eap.requests import counters, signals
from eap.requests.models import HelpRequest, Message, RequesterAccount


def _domain(address: str) -> str:
    return address.rsplit("@", 1)[-1].strip().lower()


def employer_domains(organisation_id: int) -> set[str]:
    """Mail domains the employer reads: its billing address and its HR users' addresses."""
    organisation = db.session.get(Organisation, organisation_id)
    domains = {_domain(organisation.billing_email)} if organisation else set()
    hr_addresses = db.session.scalars(
        sa.select(HrUser.email).where(HrUser.organisation_id == organisation_id)
    )
    return domains | {_domain(address) for address in hr_addresses}


def notification_problem(account: RequesterAccount, address: str) -> str | None:
    domain = _domain(address)
    blocked = employer_domains(account.organisation_id)
    if domain in blocked or any(domain.endswith("." + other) for other in blocked):
        return _l(
            "This address belongs to your employer's mail system. Your employer could see our "
            "e-mails there. Please use a private address."
        )
    return None


def set_notification_email(account: RequesterAccount, address: str) -> None:
    account.notification_email = address.strip()


def remove_notification_email(account: RequesterAccount) -> None:
    account.notification_email = None


def export(account: RequesterAccount) -> dict:
    """Everything stored about the account, in plain words (for JSON and the readable page)."""
    data = _own_rows(account)
    for _receiver, part in signals.account_exported.send(account):
        data.update(part or {})
    return data


def _own_rows(account: RequesterAccount) -> dict:
    return {
        "account": {
            "created_at": account.created_at.isoformat(),
            "requester_type": account.requester_type,
            "notification_email": account.notification_email,
            "last_seen_on": account.last_seen_on.isoformat(),
        },
        "requests": [
            {
                "id": case.public_id,
                "created_at": case.created_at.isoformat(),
                "status": case.status,
                "acute_danger": case.acute_danger,
                "area": case.area,
                "topic": case.topic,
                "for_whom": case.for_whom,
                "urgency": case.urgency,
                "preferred_contact": case.preferred_contact,
                "callback_number": case.callback_number,
                "callback_window": case.callback_window,
                "language": case.language,
                "description": case.description,
                "expected_response_by": case.response_due_at.isoformat(),
                "closed_at": case.closed_at.isoformat() if case.closed_at else None,
                "messages": [
                    {
                        "from": message.author,
                        "sent_at": message.created_at.isoformat(),
                        "text": message.body,
                    }
                    for message in case.messages
                ],
                **_contributions(case),
            }
            for case in sorted(account.requests, key=lambda c: c.created_at)
        ],
    }


def _contributions(case: HelpRequest) -> dict:
    """What other features keep about the case (appointments, sessions …), for the export."""
    extra: dict = {}
    for _receiver, part in signals.case_exported.send(case):
        extra.update(part or {})
    return extra


def erase(account: RequesterAccount) -> None:
    """Delete the account, its requests and their messages; the usage counters stay."""
    counters.record_erasure(account)
    # The row goes, and with it every session; the generation is raised too, for clarity.
    account.session_generation = (account.session_generation or 0) + 1
    db.session.flush()
    cases = sa.select(HelpRequest.id).where(HelpRequest.account_id == account.id)
    db.session.execute(sa.delete(Message).where(Message.case_id.in_(cases)))
    signals.cases_erasing.send(account, case_ids=cases)  # appointments free their slots
    db.session.execute(sa.delete(HelpRequest).where(HelpRequest.account_id == account.id))
    db.session.execute(sa.delete(RequesterAccount).where(RequesterAccount.id == account.id))
    db.session.expunge_all()
