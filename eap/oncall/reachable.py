"""Who can be reached at this moment, honestly: live chat, a phone line, or only the emergency
numbers. Shown on the first requester pages (language and access code) and on the signed-in
list of requests (``templates/_reachable_now.html``).

It says *what* can be reached, never *who*: no name, no count of staff on duty, nothing about
how many people wait. It depends on the settings, the calendar, the on-call rota and the chat
desk's staffing only, never on requesters, so the page tells an employer nothing.

* The office line (``PHONE_LINE_NUMBER``) is open during ``PHONE_LINE_HOURS`` (Berlin time,
  parsed by eap.public.emergency.parse_hours), and closed on the public holidays of NRW
  (eap.requests.deadlines).
* Otherwise, while an on-call window runs (eap.oncall.rota) and ``ONCALL_PHONE`` is set, the
  on-call number is shown instead of "closed".
* The chat comes from the chat feature: ``eap.chat.presence.chat_available_now(moment)``. The
  chat sits above this package in the import layers (it calls eap.oncall.notify), so the app
  factory hands that function in (``init_app``), as ``security.sessions.register_user_model``
  is handed the account models.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from flask import Flask, current_app

from eap.models import utcnow
from eap.oncall import rota
from eap.public.emergency import DAYS, parse_hours
from eap.requests.deadlines import BERLIN, is_public_holiday

CHAT_PRESENCE = "eap_chat_presence"  # app.extensions key: moment -> bool


@dataclass(frozen=True)
class Reachable:
    chat: bool  # a counsellor can be reached in the live chat now
    phone: str | None  # the number to show now (office line or on-call line), None: none open
    phone_dial: str | None  # what its tel: link dials
    on_call: bool  # an on-call window runs now (out of hours, acute requests alert someone)
    office_open: bool  # the office line is within its hours now

    @property
    def emergency_only(self) -> bool:
        """Nobody at iGuS can be reached directly now: only the emergency numbers."""
        return not self.chat and self.phone is None

    @property
    def on_call_phone(self) -> bool:
        return self.phone is not None and not self.office_open


def _dial(number: str, dial: str) -> str:
    return dial.strip() or re.sub(r"[^\d+]", "", number)


def office_line_open(setting: str, moment: datetime) -> bool:
    """Whether ``moment`` falls in the phone hours ``setting`` (``mon-fri 08:00-18:00; ...``),
    Berlin time, on a day that is not a public holiday of NRW."""
    local = moment.astimezone(BERLIN)
    if is_public_holiday(local.date()):
        return False
    today, now = local.weekday(), local.strftime("%H:%M")
    for first, last, opens, closes in parse_hours(setting):
        start, end = DAYS.index(first), DAYS.index(last)
        on_day = start <= today <= end if start <= end else (today >= start or today <= end)
        if on_day and opens <= now < closes:
            return True
    return False


def chat_available(moment: datetime) -> bool:
    check: Callable[[datetime], bool] | None = current_app.extensions.get(CHAT_PRESENCE)
    return bool(check and check(moment))


def reachable_now(moment: datetime | None = None) -> Reachable:
    moment = moment or utcnow()
    config = current_app.config
    office_number = (config.get("PHONE_LINE_NUMBER") or "").strip()
    office_open = bool(office_number) and office_line_open(
        config.get("PHONE_LINE_HOURS") or "", moment)
    on_call = rota.on_call_now(moment)
    phone = dial = None
    if office_open:
        phone, dial = office_number, _dial(office_number, config.get("PHONE_LINE_DIAL") or "")
    elif on_call and (config.get("ONCALL_PHONE") or "").strip():
        phone = config["ONCALL_PHONE"].strip()
        dial = _dial(phone, config.get("ONCALL_PHONE_DIAL") or "")
    return Reachable(chat=chat_available(moment), phone=phone, phone_dial=dial,
                     on_call=on_call, office_open=office_open)


def init_app(app: Flask, chat_presence: Callable[[datetime], bool]) -> None:
    """Give the templates ``reachable_now()`` and this module the chat desk's presence."""
    app.extensions[CHAT_PRESENCE] = chat_presence
    app.jinja_env.globals["reachable_now"] = reachable_now
