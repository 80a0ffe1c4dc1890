from wtforms import IntegerField, RadioField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, NumberRange

from eap.billing.pricing import MAX_SEATS, MIN_SEATS
from eap.forms import PortalForm
from eap.i18n import lazy_gettext as _l

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


class SeatsForm(PortalForm):
    seats = seats_field()
    submit = SubmitField(_l("Change seats"))


class PackageForm(PortalForm):
    package = RadioField(_l("Package"), coerce=int, validate_choice=False,
                         validators=[InputRequired(_l("Please choose a package."))])
    submit = SubmitField(_l("Change package"))
