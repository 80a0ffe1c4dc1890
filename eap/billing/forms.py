from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, IntegerField, RadioField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, NumberRange

from eap.billing.pricing import MAX_SEATS, MIN_SEATS
from eap.forms import PortalForm

SEATS_MESSAGE = _l("Please enter a number of seats between %(low)s and %(high)s.",
                   low=MIN_SEATS, high=MAX_SEATS)


def seats_field():
    return IntegerField(
        _l("Seats (employees covered)"),
        validators=[InputRequired(SEATS_MESSAGE), NumberRange(MIN_SEATS, MAX_SEATS, SEATS_MESSAGE)],
    )


class ChooseForm(PortalForm):
    """Package, seats, interval and way to pay; sent by GET to see the price, then by POST."""

    package = RadioField(_l("Package"), coerce=int, validate_choice=False,
                         validators=[InputRequired(_l("Please choose a package."))])
    seats = seats_field()
    interval = RadioField(
        _l("Billing interval"),
        choices=[SelectChoice("month", _l("Monthly")), SelectChoice("year", _l("Yearly"))],
        default="month",
    )
    method = RadioField(
        _l("Payment"),
        choices=[
            SelectChoice("checkout", _l("Card or SEPA direct debit (Stripe)")),
            SelectChoice("invoice", _l("Invoice, due in 14 days")),
        ],
        default="checkout",
    )
    submit = SubmitField(_l("Show the price"))


class VersionForm(PortalForm):
    """A confirmation that names the contract version it was shown with (optimistic locking)."""

    version = HiddenField()
    submit = SubmitField(_l("Confirm"))

    @property
    def seen_version(self) -> int | None:
        value = self.version.data or ""
        return int(value) if str(value).isdigit() else None


class SeatsForm(VersionForm):
    """Sent by GET to see the cost (Stripe's preview), then by POST to confirm."""

    seats = seats_field()
    submit = SubmitField(_l("Show the cost of the change"))


class PackageForm(VersionForm):
    package = RadioField(_l("Package"), coerce=int, validate_choice=False,
                         validators=[InputRequired(_l("Please choose a package."))])
    submit = SubmitField(_l("Change package"))
