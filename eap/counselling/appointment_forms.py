"""Staff forms of the appointments feature: weekly availability, exceptions, sessions held, the
link to the counsellor's own calendar."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, IntegerField, RadioField, SelectField, StringField, TimeField
from wtforms.validators import InputRequired, NumberRange, Optional

from eap.counselling.forms import options
from eap.forms import PortalForm

WEEKDAYS = {
    0: _l("Monday"), 1: _l("Tuesday"), 2: _l("Wednesday"), 3: _l("Thursday"),
    4: _l("Friday"), 5: _l("Saturday"), 6: _l("Sunday"),
}
STAFF_MODALITIES = {"phone": _l("Phone call"), "video": _l("Video call"),
                    "in_person": _l("In person")}


class RuleForm(PortalForm):
    weekday = SelectField(_l("Weekday"), coerce=int,
                          choices=options(WEEKDAYS))
    starts = TimeField(_l("From"), validators=[InputRequired()])
    ends = TimeField(_l("Until"), validators=[InputRequired()])
    slot_minutes = IntegerField(_l("Minutes per appointment"), default=60,
                                validators=[InputRequired(), NumberRange(min=15, max=240)])

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        if self.ends.data <= self.starts.data:
            self.ends.errors = [_l("The end must be after the start.")]
            return False
        return True


class ExceptionForm(PortalForm):
    day = DateField(_l("Day"), validators=[InputRequired()])
    available = RadioField(
        _l("Kind"), default="off",
        choices=options({"off": _l("Not available"), "extra": _l("Extra hours")}),
    )
    starts = TimeField(_l("From (empty: the whole day)"), validators=[Optional()])
    ends = TimeField(_l("Until"), validators=[Optional()])

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        if (self.starts.data is None) != (self.ends.data is None):
            self.ends.errors = [_l("Give both times, or neither.")]
            return False
        if self.starts.data and self.ends.data <= self.starts.data:
            self.ends.errors = [_l("The end must be after the start.")]
            return False
        if self.available.data == "extra" and self.starts.data is None:
            self.starts.errors = [_l("Extra hours need a start and an end.")]
            return False
        return True


class SessionForm(PortalForm):
    held_on = DateField(_l("Session held on"), validators=[InputRequired()])
    modality = SelectField(_l("How"), choices=options(STAFF_MODALITIES))


class CalendarLinkForm(PortalForm):
    """The private ICS (or CalDAV free-busy / ICS export) link of the counsellor's calendar."""

    url = StringField(_l("Link to your calendar (ICS, https://…)"),
                      validators=[InputRequired()])

    def validate(self, extra_validators=None) -> bool:
        from eap.counselling.calendars import url_problem

        if not super().validate(extra_validators):
            return False
        problem = url_problem(self.url.data)
        if problem:
            self.url.errors = [problem]
            return False
        return True
