"""The admin form of the on-call rota: shape checks only; eap.oncall.rota checks the rules."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateTimeLocalField, SelectField, SubmitField
from wtforms.validators import InputRequired

from eap.forms import PortalForm

WHEN_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


def _staff_id(value) -> int | None:
    """The chosen staff member's id; anything else is None (the service says what is wrong)."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class WindowForm(PortalForm):
    staff_id = SelectField(_l("Who is on call"), coerce=_staff_id, validate_choice=False)
    starts = DateTimeLocalField(
        _l("Start (Berlin time)"), format=WHEN_FORMATS,
        validators=[InputRequired(_l("Enter the start, e.g. 2026-12-24 18:00."))])
    ends = DateTimeLocalField(
        _l("End (Berlin time)"), format=WHEN_FORMATS,
        validators=[InputRequired(_l("Enter the end, e.g. 2026-12-27 08:00."))])
    submit = SubmitField(_l("Add on-call window"))

    def set_staff(self, members) -> None:
        self.staff_id.choices = [("", _l("Choose a person"))] + [
            (member.id, member.name) for member in members]
