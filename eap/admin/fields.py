"""Form fields for amounts typed the German or the English way ("4,50" or "4.50")."""

from __future__ import annotations

import re
from decimal import Decimal

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from wtforms import SelectMultipleField, StringField
from wtforms.widgets import CheckboxInput, ListWidget

_AMOUNT = re.compile(r"^\d{1,7}(?:[.,]\d{1,2})?$")


def _parse(text: str) -> Decimal | None:
    text = text.strip().replace("\u00a0", "").replace(" ", "").removesuffix("€")
    return Decimal(text.replace(",", ".")) if _AMOUNT.match(text) else None


def _decimal_mark() -> str:
    return "," if str(get_locale() or "de") == "de" else "."


class EuroField(StringField):
    """An amount in euro with at most two decimals; ``data`` holds whole cents."""

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        amount = _parse(valuelist[0])
        if amount is None:
            self.data = None
            raise ValueError(_l("Enter an amount in euro with at most two decimals, e.g. 4,50."))
        self.data = int(amount * 100)

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        if self.data is None:
            return ""
        return f"{self.data // 100}{_decimal_mark()}{self.data % 100:02d}"


class ShareField(StringField):
    """A number with at most two decimals, such as a full-time equivalent; ``data`` is float."""

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        amount = _parse(valuelist[0])
        if amount is None:
            self.data = None
            raise ValueError(_l("Enter a number with at most two decimals, e.g. 0,5."))
        self.data = float(amount)

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        if self.data is None:
            return ""
        return f"{float(self.data):.2f}".replace(".", _decimal_mark())


class CheckboxesField(SelectMultipleField):
    """Several checkboxes; rendered in a fieldset by ``admin/_fields.html``."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()
