"""Requester-facing words of the appointments feature (kept here so the six-language check
of ``tests/requests/test_translations.py`` covers them)."""

from flask_babel import lazy_gettext as _l

MODALITIES = {
    "phone": _l("By phone"),
    "video": _l("Video call"),
    "in_person": _l("In person"),
}
# The .ics file's title: time and modality are all it says (no name, no topic, no portal text).
ICS_SUMMARY = _l("Counselling appointment (%(modality)s)")
REMINDER_SUBJECT = _l("Reminder: you have an appointment soon")
REMINDER_BODY = _l(
    "You have an appointment soon in the iGuS EAP portal. "
    "Sign in with your case key to see it:"
)
# Staff cancelled or moved the appointment (e.g. the counsellor is ill): the notice and the page.
CHANGED_SUBJECT = _l("Your appointment has changed")
CHANGED_BODY = _l(
    "The counselling team has changed your appointment in the iGuS EAP portal. "
    "Sign in with your case key to see it:"
)
STAFF_CANCELLED = _l(
    "The counselling team had to cancel your appointment on %(when)s. "
    "Please choose a new time or write to your counsellor."
)
STAFF_MOVED = _l(
    "The counselling team had to move your appointment of %(when)s. Your new time is shown here."
)
