from flask_babel import lazy_gettext as _l
from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, Length

from eap.forms import PortalForm


class SecondFactorForm(PortalForm):
    code = StringField(
        _l("Code from your authenticator app, or a recovery code"),
        validators=[DataRequired(), Length(max=20)],
        render_kw={"autocomplete": "one-time-code", "inputmode": "text"},
    )
    submit = SubmitField(_l("Confirm"))


class EnrolForm(PortalForm):
    code = StringField(
        _l("6-digit code shown by your authenticator app"),
        validators=[DataRequired(), Length(min=6, max=7)],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"},
    )
    submit = SubmitField(_l("Activate two-factor sign-in"))
