from flask_babel import lazy_gettext as _l
from wtforms import EmailField, IntegerField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional

from eap.employers.offer_models import OFFER_STATUSES
from eap.forms import PortalForm


class OfferRequestForm(PortalForm):
    organisation = StringField(_l("Organisation"), validators=[DataRequired(), Length(max=200)])
    employee_count = IntegerField(
        _l("Number of employees"),
        validators=[
            InputRequired(), NumberRange(1, 1_000_000, _l("Please enter a number from 1."))
        ],
    )
    contact_name = StringField(_l("Contact person"), validators=[DataRequired(), Length(max=120)])
    email = EmailField(_l("E-mail address"), validators=[DataRequired(), Email(), Length(max=254)])
    phone = StringField(_l("Phone (optional)"), validators=[Optional(), Length(max=40)])
    message = TextAreaField(_l("Your message (optional)"), validators=[Length(max=4000)])
    submit = SubmitField(_l("Request an offer"))


class OfferStatusForm(PortalForm):
    status = SelectField(_l("Status"), choices=list(OFFER_STATUSES))
    submit = SubmitField(_l("Save"))
