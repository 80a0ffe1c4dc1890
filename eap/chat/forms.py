"""The requester's chat forms: starting a chat, a message (the desk writes with it too)."""

from __future__ import annotations

import secrets

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, RadioField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length

from eap.chat.rooms import MESSAGE_LIMIT
from eap.forms import PortalForm
from eap.requests.forms import TOO_LONG


def nonce_field() -> HiddenField:
    return HiddenField(default=lambda: secrets.token_urlsafe(24),
                       validators=[DataRequired(), Length(max=64)])


class StartForm(PortalForm):
    acute = RadioField(
        _l("Are you in acute danger right now?"),
        choices=[SelectChoice("no", _l("No")),
                 SelectChoice("yes", _l("Yes, I am in acute danger"))], default="no",
        validators=[InputRequired(message=_l("Please choose an answer."))],
    )
    submit = SubmitField(_l("Start the chat"))


class ChatMessageForm(PortalForm):
    nonce = nonce_field()
    body = TextAreaField(
        _l("Your message"),
        validators=[DataRequired(message=_l("Please write your message.")),
                    Length(max=MESSAGE_LIMIT, message=TOO_LONG)],
    )
    submit = SubmitField(_l("Send"))
