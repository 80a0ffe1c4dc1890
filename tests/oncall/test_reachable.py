"""Who can be reached now (eap.oncall.reachable): the office line in its hours (not on NRW
holidays), the on-call line during a window when a number is set, the chat from the chat
feature, and otherwise only the emergency numbers."""

from __future__ import annotations

from datetime import datetime

import pytest

from eap.extensions import db
from eap.oncall import reachable
from eap.oncall.reachable import office_line_open, reachable_now
from eap.requests.deadlines import BERLIN
from eap.staff.models import StaffUser
from tests.oncall.conftest import CHRISTMAS, EVENING, OFFICE_HOURS, ONCALL_NUMBER


def test_office_hours_show_the_office_line(app, make_window):
    make_window(around=OFFICE_HOURS)  # a window changes nothing while the office is open
    app.config.update(ONCALL_PHONE=ONCALL_NUMBER)
    with app.app_context():
        now = reachable_now(OFFICE_HOURS)
    assert now.office_open and now.on_call
    assert now.phone == app.config["PHONE_LINE_NUMBER"]
    assert now.phone_dial == app.config["PHONE_LINE_DIAL"]
    assert not now.on_call_phone and not now.emergency_only and not now.chat


def test_out_of_hours_without_a_window_only_the_emergency_numbers(app):
    app.config.update(ONCALL_PHONE=ONCALL_NUMBER)
    with app.app_context():
        now = reachable_now(EVENING)
    assert now == reachable.Reachable(chat=False, phone=None, phone_dial=None, on_call=False,
                                      office_open=False)
    assert now.emergency_only


def test_out_of_hours_with_a_window_but_no_on_call_number(app, make_window):
    make_window(around=EVENING)
    with app.app_context():
        now = reachable_now(EVENING)
    assert now.on_call and now.phone is None and now.emergency_only


def test_out_of_hours_with_a_window_shows_the_on_call_number(app, make_window):
    make_window(around=EVENING)
    app.config.update(ONCALL_PHONE=ONCALL_NUMBER)
    with app.app_context():
        now = reachable_now(EVENING)
        assert now.phone == ONCALL_NUMBER and now.phone_dial == "01712223334"
        assert now.on_call_phone and not now.office_open and not now.emergency_only
        app.config.update(ONCALL_PHONE_DIAL="+491712223334")
        assert reachable_now(EVENING).phone_dial == "+491712223334"


def test_a_window_that_ended_or_of_a_deactivated_person_is_not_on_call(app, make_window):
    window = make_window(around=EVENING, hours=2)
    app.config.update(ONCALL_PHONE=ONCALL_NUMBER)
    with app.app_context():
        assert reachable_now(window.ends_at).phone is None  # the end is not part of it
        assert reachable_now(window.starts_at).phone == ONCALL_NUMBER
        db.session.get(StaffUser, window.staff_id).active = False
        db.session.commit()
        assert not reachable_now(EVENING).on_call


def test_public_holidays_of_nrw_close_the_office_line(app):
    with app.app_context():
        assert reachable_now(CHRISTMAS).phone is None
        assert reachable_now(datetime(2026, 12, 28, 10, 0, tzinfo=BERLIN)).office_open


@pytest.mark.parametrize(("moment", "open_"), [
    (datetime(2026, 12, 3, 17, 59, tzinfo=BERLIN), True),  # Thursday
    (datetime(2026, 12, 4, 13, 59, tzinfo=BERLIN), True),  # Friday, short day
    (datetime(2026, 12, 4, 14, 0, tzinfo=BERLIN), False),
    (datetime(2026, 12, 5, 10, 0, tzinfo=BERLIN), False),  # Saturday
    (datetime(2026, 12, 3, 7, 59, tzinfo=BERLIN), False),
])
def test_the_hours_follow_the_setting(moment, open_):
    assert office_line_open("mon-thu 08:00-18:00; fri 08:00-14:00", moment) is open_


def test_the_chat_comes_from_the_chat_feature(app, monkeypatch):
    from eap.chat import presence

    seen = []
    monkeypatch.setattr(presence, "chat_available_now", lambda moment: seen.append(moment) or 1)
    with app.app_context():
        now = reachable_now(EVENING)
    assert now.chat is True and not now.emergency_only
    assert seen == [EVENING]


def test_the_chat_is_reachable_exactly_while_a_counsellor_is_open_for_chats(app, make_staff):
    from eap.chat import presence

    person = make_staff("counsellor")
    with app.app_context():
        assert reachable_now().chat is False
        staff = db.session.get(StaffUser, person.id)
        presence.open_for(staff, 1, 2, with_availability=False)
        db.session.flush()
        assert reachable_now().chat is True
        staff.active = False  # a deactivated account is nobody at the chat
        db.session.flush()
        assert reachable_now().chat is False
        staff.active = True
        presence.close(staff)
        db.session.flush()
        assert reachable_now().chat is False
        db.session.rollback()
