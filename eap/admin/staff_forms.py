"""Forms for staff accounts: shape checks; the services check uniqueness and the last admin."""

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, IntegerField, PasswordField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
)

from eap.admin.fields import CheckboxesField, ShareField
from eap.forms import PortalForm
from eap.requests.choices import LANGUAGES, TOPICS
from eap.security.passwords import MAX_LENGTH
from eap.staff.models import CASES_PER_FTE

ROLE_LABELS = {
    "triage": _l("Triage"),
    "counsellor": _l("Counsellor"),
    "admin": _l("Administrator"),
}
MAX_CAPACITY = 5 * CASES_PER_FTE


def _choices(labels: dict) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in labels.items()]


class StaffForm(PortalForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    role = SelectField(_l("Role"), choices=_choices(ROLE_LABELS))
    languages = CheckboxesField(
        _l("Languages for counselling"), choices=_choices(LANGUAGES)
    )
    specialties = CheckboxesField(_l("Specialties (topics)"), choices=_choices(TOPICS))
    fte = ShareField(
        _l("Full-time equivalent (1 = full time, 0,5 = half time)"),
        default=1.0,
        validators=[
            InputRequired(),
            NumberRange(0.01, 1.0, _l("Enter a share between 0,01 and 1.")),
        ],
    )
    yearly_capacity = IntegerField(
        _l("Cases per year (leave empty for full-time equivalent × %(n)s)", n=CASES_PER_FTE),
        validators=[Optional(), NumberRange(0, MAX_CAPACITY)],
    )
    submit = SubmitField(_l("Save"))

    def values(self) -> dict:
        capacity = self.yearly_capacity.data
        if capacity is None:
            capacity = round(self.fte.data * CASES_PER_FTE)
        return {
            "name": self.name.data.strip(),
            "role": self.role.data,
            "languages": ",".join(c for c in LANGUAGES if c in self.languages.data),
            "specialties": ",".join(t for t in TOPICS if t in self.specialties.data),
            "fte": self.fte.data,
            "yearly_capacity": capacity,
        }


class NewStaffForm(StaffForm):
    email = EmailField(
        _l("E-mail address"), validators=[DataRequired(), Email(), Length(max=254)]
    )
    password = PasswordField(
        _l("Initial password (at least 12 characters; tell it in person, not by e-mail)"),
        validators=[DataRequired(), Length(max=MAX_LENGTH)],
    )
    submit = SubmitField(_l("Create account"))
