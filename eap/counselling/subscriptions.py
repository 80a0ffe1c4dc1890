"""Counselling's answers to what the requests feature announces (eap.requests.signals).

Imported once by the app factory, which connects these receivers."""

from eap.counselling import appointments, continuity, staff_notices
from eap.requests import signals


@signals.request_created.connect
def route_to_previous_counsellor(case, same_counsellor: bool = False, **_):
    continuity.route_new_case(case, same_counsellor)


@signals.request_committed.connect
def tell_triage_about_acute_request(case, is_new: bool = True, acute_danger: bool = False, **_):
    if is_new and acute_danger:  # a resubmitted form sends nothing
        staff_notices.notify_acute(case)  # no content


@signals.case_exported.connect
def export_appointments(case, **_) -> dict:
    return appointments.export_of(case)


@signals.cases_erasing.connect
def erase_appointments(account, case_ids=None, **_):
    appointments.erase(case_ids)  # frees their slots also where the database has no cascades
