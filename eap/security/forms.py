from flask_babel import lazy_gettext as _l
from wtforms import EmailField, HiddenField, PasswordField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from eap.forms import PortalForm
from eap.security.passwords import MAX_LENGTH


class LoginForm(PortalForm):
    email = EmailField(_l("E-mail address"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=MAX_LENGTH)])
    next = HiddenField()
    submit = SubmitField(_l("Sign in"))


class ForgotPasswordForm(PortalForm):
    email = EmailField(
        _l("E-mail address"), validators=[DataRequired(), Email(), Length(max=254)]
    )
    submit = SubmitField(_l("Send reset link"))


class NewPasswordForm(PortalForm):
    password = PasswordField(
        _l("New password"), validators=[DataRequired(), Length(max=MAX_LENGTH)]
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
    )
    submit = SubmitField(_l("Save password"))


class ChangePasswordForm(NewPasswordForm):
    current = PasswordField(
        _l("Current password"), validators=[DataRequired(), Length(max=MAX_LENGTH)]
    )


class ConfirmForm(PortalForm):
    """A button-only form: CSRF protection for state changes without other fields."""

    submit = SubmitField(_l("Confirm"))
