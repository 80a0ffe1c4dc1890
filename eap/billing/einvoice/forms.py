import re

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional, Regexp

from eap.forms import PortalForm

# A Leitweg-ID (e.g. 04011000-1234512345-06) or any other order or cost-centre reference.
REFERENCE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ./_:-]*$")


class EInvoiceSettingsForm(PortalForm):
    buyer_reference = StringField(
        _l("Leitweg-ID or buyer reference"),
        filters=[lambda value: (value or "").strip()],
        validators=[Optional(), Length(max=80), Regexp(REFERENCE, message=_l(
            "Please use letters, digits, spaces and . / _ : - only."))],
    )
    einvoice_format = RadioField(
        _l("E-invoice in the invoice e-mail"),
        choices=[
            SelectChoice("none", _l("None (download on this page)")),
            SelectChoice("xrechnung", _l("XRechnung (XML)")),
            SelectChoice("zugferd", _l("ZUGFeRD (PDF with XML)")),
        ],
        default="none",
    )
    submit = SubmitField(_l("Save e-invoice settings"))
