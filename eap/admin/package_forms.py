"""The service package form: shape checks only; the slug's uniqueness is the service's job."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, IntegerField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from eap.admin.fields import CheckboxesField, EuroField
from eap.forms import PortalForm
from eap.packages.models import AREAS, MODALITIES
from eap.requests.appointment_texts import MODALITIES as MODALITY_LABELS
from eap.requests.choices import AREAS as AREA_LABELS

MAX_PRICE_CENTS = 100_000_00  # 100,000 € per seat would be a typo
MAX_HOURS = 24 * 30


def _hours(label):
    return IntegerField(
        label,
        validators=[
            InputRequired(),
            NumberRange(1, MAX_HOURS, _l("Enter between %(min)s and %(max)s working hours.")),
        ],
    )


def _price(label):
    return EuroField(
        label,
        validators=[
            InputRequired(),
            NumberRange(1, MAX_PRICE_CENTS, _l("Enter a price above 0 €.")),
        ],
    )


class PackageForm(PortalForm):
    name_de = StringField(_l("Name (German)"), validators=[DataRequired(), Length(max=80)])
    name_en = StringField(_l("Name (English)"), validators=[DataRequired(), Length(max=80)])
    description_de = TextAreaField(
        _l("Description (German)"), validators=[DataRequired(), Length(max=4000)]
    )
    description_en = TextAreaField(
        _l("Description (English)"), validators=[DataRequired(), Length(max=4000)]
    )
    areas = CheckboxesField(
        _l("Areas included"),
        choices=[SelectChoice(area, AREA_LABELS[area]) for area in AREAS],
        validators=[DataRequired(_l("Choose at least one area."))],
    )
    dependants_included = BooleanField(_l("Dependants (partners, children, relatives) included"))
    response_hours = _hours(_l("First response, normal requests (working hours)"))
    urgent_response_hours = _hours(_l("First response, urgent requests (working hours)"))
    price_month_cents = _price(_l("Net price per seat and month (€)"))
    price_year_cents = _price(_l("Net price per seat and year (€)"))
    # Appointments: how people may meet their counsellor, and sessions per request and year.
    modalities = CheckboxesField(
        _l("Appointments possible (none: no appointments)"),
        choices=[SelectChoice(m, MODALITY_LABELS[m]) for m in MODALITIES],
        default=list(MODALITIES),
    )
    sessions_per_issue = IntegerField(
        _l("Counselling sessions per request and year"), default=5,
        validators=[Optional(), NumberRange(0, 100)],
    )
    sort_order = IntegerField(
        _l("Position in the list"), default=0, validators=[InputRequired(), NumberRange(0, 9999)]
    )
    submit = SubmitField(_l("Save package"))

    def validate_urgent_response_hours(self, field):
        if field.data and self.response_hours.data and field.data > self.response_hours.data:
            raise ValidationError(
                _l("Urgent requests cannot be promised a slower answer than normal ones.")
            )

    def values(self) -> dict:
        """The column values of a package, as the services expect them."""
        return {
            "name_de": self.name_de.data.strip(),
            "name_en": self.name_en.data.strip(),
            "description_de": self.description_de.data.strip(),
            "description_en": self.description_en.data.strip(),
            "areas": ",".join(area for area in AREAS if area in self.areas.data),
            "dependants_included": bool(self.dependants_included.data),
            "response_hours": self.response_hours.data,
            "urgent_response_hours": self.urgent_response_hours.data,
            "price_month_cents": self.price_month_cents.data,
            "price_year_cents": self.price_year_cents.data,
            "sort_order": self.sort_order.data,
            "appointment_modalities": ",".join(m for m in MODALITIES if m in self.modalities.data),
            "sessions_per_issue": (5 if self.sessions_per_issue.data is None
                                   else self.sessions_per_issue.data),
        }


class NewPackageForm(PackageForm):
    # The slug names the Stripe product and price lookup keys: fixed once created.
    slug = StringField(
        _l("Short key (letters a–z, digits, hyphens; cannot be changed later)"),
        validators=[
            DataRequired(),
            Length(min=2, max=40),
            Regexp(
                r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$",
                message=_l("Use lower-case letters a–z, digits and hyphens only."),
            ),
        ],
    )
    submit = SubmitField(_l("Create package"))
