"""The phone-intake form: what triage staff ask a caller (no name, no address)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from eap.counselling.forms import options
from eap.forms import PortalForm
from eap.requests import choices

TEXT_LIMIT = 5000


class IntakeForm(PortalForm):
    nonce = HiddenField(validators=[DataRequired(), Length(max=64)])
    code = StringField(_l("The employer's access code (from the poster)"),
                       validators=[InputRequired(), Length(max=40)])
    requester_type = RadioField(_l("The caller is"), choices=options(choices.REQUESTER_TYPES),
                                default="employee", validators=[InputRequired()])
    acute_danger = BooleanField(_l("Acute danger"))
    area = RadioField(_l("Area"), choices=options(choices.AREAS), validators=[InputRequired()])
    topic = SelectField(_l("Topic"), choices=options(choices.TOPICS),
                        validators=[InputRequired()])
    for_whom = RadioField(_l("For whom"), choices=options(choices.FOR_WHOM), default="self",
                          validators=[InputRequired()])
    urgency = RadioField(_l("Urgency"), choices=options(choices.URGENCIES), default="normal",
                         validators=[InputRequired()])
    language = SelectField(_l("Language"), choices=options(choices.LANGUAGES), default="de")
    description = TextAreaField(_l("What the caller needs (summary)"),
                                validators=[InputRequired(), Length(max=TEXT_LIMIT)])
    callback_number = StringField(_l("Number for a call back (only if the caller wants one)"),
                                  validators=[Optional(), Length(max=40)])
    callback_window = StringField(_l("Good times to call"), validators=[Optional(),
                                                                        Length(max=200)])
