from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    IntegerField,
    PasswordField,
    SelectField,
    StringField,
    SubmitField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    Email,
    EqualTo,
    InputRequired,
    Length,
    NumberRange,
    Optional,
)

from eap.employers.countries import country_choices
from eap.employers.models import HR_ROLES
from eap.forms import PortalForm
from eap.security.passwords import MAX_LENGTH


class SignupForm(PortalForm):
    name = StringField(
        _l("Organisation (legal name)"), validators=[DataRequired(), Length(max=200)]
    )
    street = StringField(_l("Street and number"), validators=[DataRequired(), Length(max=200)])
    postcode = StringField(_l("Postcode"), validators=[DataRequired(), Length(max=20)])
    city = StringField(_l("City"), validators=[DataRequired(), Length(max=100)])
    country = SelectField(_l("Country"), default="DE")
    vat_id = StringField(_l("VAT ID"), validators=[DataRequired(), Length(max=20)])
    # Ticked after the warning that another organisation registered this VAT ID.
    vat_confirm = BooleanField(_l("Yes, sign up anyway: we are a separate account of this "
                                  "organisation (for example another site)."))
    billing_email = EmailField(
        _l("Billing e-mail address"), validators=[DataRequired(), Email(), Length(max=254)]
    )
    employee_count = IntegerField(
        _l("Number of employees"),
        validators=[
            InputRequired(), NumberRange(1, 1_000_000, _l("Please enter a number from 1."))
        ],
    )
    billing_name = StringField(_l("Invoice recipient"), validators=[Optional(), Length(max=200)])
    billing_street = StringField(
        _l("Street and number"), validators=[Optional(), Length(max=200)]
    )
    billing_postcode = StringField(_l("Postcode"), validators=[Optional(), Length(max=20)])
    billing_city = StringField(_l("City"), validators=[Optional(), Length(max=100)])
    billing_country = SelectField(_l("Country"), default="")
    contact_name = StringField(_l("Your name"), validators=[DataRequired(), Length(max=120)])
    email = EmailField(
        _l("Your e-mail address (sign-in)"), validators=[DataRequired(), Email(), Length(max=254)]
    )
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=MAX_LENGTH)])
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
    )
    package = HiddenField()  # the package chosen on the packages page, carried to the order
    submit = SubmitField(_l("Sign up the organisation"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.country.choices = country_choices()
        self.billing_country.choices = [("", _l("Same as above"))] + country_choices()


ROLE_LABELS = {"owner": _l("Owner"), "manager": _l("Manager"), "billing": _l("Billing")}


class InviteForm(PortalForm):
    email = EmailField(_l("E-mail address"), validators=[DataRequired(), Email(), Length(max=254)])
    role = SelectField(_l("Role"), choices=[SelectChoice(r, ROLE_LABELS[r]) for r in HR_ROLES])
    submit = SubmitField(_l("Send invitation"))


class RoleForm(PortalForm):
    role = SelectField(_l("Role"), choices=[SelectChoice(r, ROLE_LABELS[r]) for r in HR_ROLES])
    submit = SubmitField(_l("Change role"))


class JoinForm(PortalForm):
    name = StringField(_l("Your name"), validators=[DataRequired(), Length(max=120)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=MAX_LENGTH)])
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
    )
    submit = SubmitField(_l("Join the team"))


class CodeLabelForm(PortalForm):
    label = StringField(
        _l("Site or department"),
        validators=[DataRequired(), Length(max=80)],
    )
    seats = IntegerField(
        _l("Seats at this site (fixed once the code exists)"),
        validators=[Optional(), NumberRange(min=0, max=1_000_000)],
    )
    submit = SubmitField(_l("Add a code"))
