"""The chat desk's forms: an internal note, chat hours, hand-over, turning a chat into a case."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, IntegerField, SelectField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from eap.chat.forms import nonce_field
from eap.chat.rooms import MESSAGE_LIMIT
from eap.forms import PortalForm
from eap.requests import choices
from eap.requests.forms import TOO_LONG


def _options(mapping) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in mapping.items()]


class NoteForm(PortalForm):
    nonce = nonce_field()
    body = TextAreaField(
        _l("Internal note (never shown to the person)"),
        validators=[DataRequired(message=_l("Please write the note.")),
                    Length(max=MESSAGE_LIMIT, message=TOO_LONG)],
    )
    submit = SubmitField(_l("Save note"))


HOURS = [SelectChoice("1", _l("for 1 hour")), SelectChoice("2", _l("for 2 hours")),
         SelectChoice("4", _l("for 4 hours")), SelectChoice("8", _l("for 8 hours")),
         SelectChoice("0", _l("only during my availability hours"))]


class PresenceForm(PortalForm):
    hours = SelectField(_l("Open for chats"), choices=HOURS, default="2")
    max_parallel = IntegerField(
        _l("Chats at the same time (at most)"), default=2,
        validators=[InputRequired(message=_l("Please enter a number from 1 to 5.")),
                    NumberRange(min=1, max=5, message=_l("Please enter a number from 1 to 5."))],
    )
    with_availability = BooleanField(_l("Also open during my availability hours"))
    submit = SubmitField(_l("Open for chats"))


class HandOverForm(PortalForm):
    staff_id = SelectField(_l("Hand over to"), coerce=int, validate_choice=True)
    submit = SubmitField(_l("Hand over"))


class ToCaseForm(PortalForm):
    nonce = nonce_field()
    area = SelectField(_l("Area"), choices=_options(choices.AREAS))
    topic = SelectField(_l("Topic"), choices=_options(choices.TOPICS))
    for_whom = SelectField(_l("For whom"), choices=_options(choices.FOR_WHOM))
    urgency = SelectField(_l("Urgency"), choices=_options(choices.URGENCIES))
    submit = SubmitField(_l("Turn into a case"))
