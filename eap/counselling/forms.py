"""Case forms. Each carries the case version it was shown with (optimistic locking).

The forms have a prefix (several sit on one page) and no own CSRF field: the app-wide
``CSRFProtect`` checks every POST, and the templates add the token once per form.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional
from wtforms.widgets import HiddenInput

from eap.counselling import display
from eap.forms import PortalForm
from eap.models import utcnow
from eap.requests import choices

TEXT_LIMIT = 10_000
REASON_LIMIT = 500


def options(pairs) -> list[SelectChoice]:
    """``(value, label)`` pairs (or a mapping) as WTForms choices."""
    items = pairs.items() if isinstance(pairs, dict) else pairs
    return [SelectChoice(value, label) for value, label in items]


class CaseForm(PortalForm):
    class Meta:
        csrf = False  # CSRFProtect guards the POST; see the module docstring

    version = IntegerField(widget=HiddenInput(), validators=[Optional()])
    seen_at = HiddenField()


def restamp(form: CaseForm, case) -> None:
    """After a conflict the page shows the case as it is now: the form may be sent again."""
    form.version.data, form.version.raw_data = case.version, [str(case.version)]
    form.seen_at.data = utcnow().isoformat()


class ReplyForm(CaseForm):
    body = TextAreaField(
        _l("Message to the requester"), validators=[DataRequired(), Length(max=TEXT_LIMIT)]
    )
    wait = BooleanField(_l("Wait for the requester's answer after sending"))


class NoteForm(CaseForm):
    body = TextAreaField(
        _l("Internal note (never shown to the requester)"),
        validators=[DataRequired(), Length(max=TEXT_LIMIT)],
    )


def _reason(required: bool = False):
    checks = [Length(max=REASON_LIMIT)]
    return StringField(
        _l("Reason") if required else _l("Reason (optional)"),
        validators=[DataRequired(), *checks] if required else [Optional(), *checks],
    )


class StatusForm(CaseForm):
    status = SelectField(
        _l("New status"),
        choices=options((key, display.STAFF_STATUSES[key])
                        for key in ("triaged", "in_progress", "waiting")),
    )
    reason = _reason()


class TriageForm(CaseForm):
    priority = SelectField(
        _l("Priority"), coerce=int, choices=options(display.PRIORITIES),
        validators=[InputRequired()],
    )
    topic = SelectField(_l("Topic"), choices=options(choices.TOPICS))
    reason = _reason(required=True)


class ContactForm(CaseForm):
    kind = SelectField(_l("Kind of contact"), choices=options(display.CONTACT_KINDS))


class ReferralForm(CaseForm):
    service = SelectField(_l("Service"), coerce=int, validators=[InputRequired()])
    note = TextAreaField(_l("Note (optional)"), validators=[Optional(), Length(max=TEXT_LIMIT)])


class CloseForm(CaseForm):
    outcome = SelectField(_l("Outcome"), choices=options(display.OUTCOMES))
    reason = _reason()


class ReopenForm(CaseForm):
    reason = _reason(required=True)


class AssignForm(CaseForm):
    staff_id = RadioField(_l("Counsellor"), coerce=int, validators=[InputRequired()])


class ReferralServiceForm(PortalForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    details = StringField(_l("Details"), validators=[Optional(), Length(max=400)])
    active = BooleanField(_l("Offered for referrals"), default=True)
