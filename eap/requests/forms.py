"""Requester forms: they check shape and limits; the services check the rules."""

import secrets

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, EqualTo, InputRequired, Length, Optional

from eap.forms import PortalForm
from eap.requests import choices
from eap.security.passwords import MAX_LENGTH

TEXT_LIMIT = 5000
MESSAGE_LIMIT = 5000
REQUIRED = _l("Please fill in this field.")
TOO_LONG = _l("Please write at most %(max)d characters.")
DESCRIBE = _l("Please write in a few words what it is about.")


def _required(message=REQUIRED):
    """Required, with a message that names what is missing ("Please choose an area.")."""
    return InputRequired(message=message)


def _options(mapping) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in mapping.items()]


class AccessCodeForm(PortalForm):
    code = StringField(
        _l("Access code"),
        validators=[_required(_l("Please enter the access code of your employer.")),
                    Length(max=40, message=TOO_LONG)],
    )
    submit = SubmitField(_l("Continue"))


class KeySavedForm(PortalForm):
    saved = BooleanField(
        _l("I have written down my case key or saved it in a safe place."),
        validators=[DataRequired(message=_l("Please confirm that you have saved your case key."))],
    )
    submit = SubmitField(_l("Continue"))


class NewPassphraseForm(PortalForm):
    passphrase = PasswordField(
        _l("Passphrase"),
        validators=[_required(_l("Please choose a passphrase.")),
                    Length(max=MAX_LENGTH, message=TOO_LONG)],
    )
    confirm = PasswordField(
        _l("Repeat the passphrase"),
        validators=[_required(_l("Please repeat the passphrase.")),
                    EqualTo("passphrase", message=_l("The passphrases differ."))],
    )


class CreateAccountForm(NewPassphraseForm):
    requester_type = RadioField(
        _l("Who are you?"), choices=_options(choices.REQUESTER_TYPES),
        validators=[_required(_l("Please choose who you are."))],
    )
    submit = SubmitField(_l("Create my anonymous account"))


class SignInForm(PortalForm):
    case_key = StringField(
        _l("Case key"),
        validators=[_required(_l("Please enter your case key.")),
                    Length(max=40, message=TOO_LONG)],
    )
    passphrase = PasswordField(
        _l("Passphrase"),
        validators=[_required(_l("Please enter your passphrase.")),
                    Length(max=MAX_LENGTH, message=TOO_LONG)],
    )
    draft = HiddenField()
    draft_target = HiddenField()
    submit = SubmitField(_l("Sign in"))


class RecoverForm(NewPassphraseForm):
    recovery_code = StringField(
        _l("Recovery code"),
        validators=[_required(_l("Please enter your recovery code.")),
                    Length(max=40, message=TOO_LONG)],
    )
    submit = SubmitField(_l("Set new passphrase"))


class RequestForm(PortalForm):
    nonce = HiddenField(validators=[DataRequired(), Length(max=64)])
    acute_danger = HiddenField()
    area = RadioField(_l("Area"), choices=_options(choices.AREAS),
                      validators=[_required(_l("Please choose an area."))])
    topic = SelectField(_l("Topic"), choices=_options(choices.TOPICS),
                        validators=[_required(_l("Please choose a topic."))])
    for_whom = RadioField(
        _l("For whom"), choices=_options(choices.FOR_WHOM),
        validators=[_required(_l("Please choose for whom you ask."))],
    )
    urgency = RadioField(
        _l("Urgency"), choices=_options(choices.URGENCIES), default="normal",
        validators=[_required(_l("Please choose how urgent it is."))],
    )
    contact = RadioField(
        _l("How would you like to be contacted?"), choices=_options(choices.FORM_CONTACTS),
        default="messages",
        validators=[_required(_l("Please choose how we should contact you."))],
    )
    callback_number = StringField(
        _l("Phone number for the callback"),
        validators=[Optional(), Length(max=40, message=TOO_LONG)],
    )
    callback_window = StringField(
        _l("When can we call you?"), validators=[Optional(), Length(max=200, message=TOO_LONG)]
    )
    language = SelectField(
        _l("Preferred language for the conversation"), choices=_options(choices.LANGUAGES)
    )
    description = TextAreaField(
        _l("What is it about?"),
        validators=[_required(DESCRIBE), Length(max=TEXT_LIMIT, message=TOO_LONG)],
    )
    submit = SubmitField(_l("Send request"))

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if self.contact.data == "phone" and not (self.callback_number.data or "").strip():
            self.callback_number.errors = [
                *self.callback_number.errors, _l("Please give a number for the callback.")
            ]
            ok = False
        if self.description.data is not None and not self.description.data.strip():
            self.description.errors = [DESCRIBE]
            ok = False
        return ok


class MessageForm(PortalForm):
    nonce = HiddenField(
        default=lambda: secrets.token_urlsafe(24), validators=[DataRequired(), Length(max=64)]
    )
    body = TextAreaField(
        _l("Your message"),
        validators=[_required(_l("Please write your message.")),
                    Length(max=MESSAGE_LIMIT, message=TOO_LONG)],
    )
    submit = SubmitField(_l("Send message"))


class NotificationForm(PortalForm):
    email = EmailField(
        _l("E-mail address for notifications"),
        validators=[_required(_l("Please enter an e-mail address.")),
                    Email(message=_l("Please enter a valid e-mail address.")),
                    Length(max=254, message=TOO_LONG)],
    )
    submit = SubmitField(_l("Save address"))


class DeleteAccountForm(PortalForm):
    understood = BooleanField(
        _l("I understand that my account and all my requests and messages are deleted for ever."),
        validators=[DataRequired(message=_l("Please confirm the deletion."))],
    )
    submit = SubmitField(_l("Delete everything now"))
