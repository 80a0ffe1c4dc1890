"""Searching the audit log: by actor, action, object and date range, newest first."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from eap.admin import keyset
from eap.extensions import db
from eap.forms import PortalForm
from eap.security.audit import AuditEntry
from eap.staff.models import StaffUser

PAGE_SIZE = 50
SYSTEM = "system"


class AuditSearchForm(PortalForm):
    """A GET form: searching changes nothing, so it needs no CSRF token."""

    class Meta:
        csrf = False

    actor = SelectField(_l("Who"), choices=[], validators=[Optional()])
    action = StringField(
        _l("Action (or its beginning, e.g. “staff.”)"), validators=[Optional(), Length(max=60)]
    )
    object_type = StringField(_l("Object type"), validators=[Optional(), Length(max=40)])
    object_id = StringField(_l("Object id"), validators=[Optional(), Length(max=64)])
    date_from = DateField(_l("From (date)"), validators=[Optional()])
    date_to = DateField(_l("Until (date, inclusive)"), validators=[Optional()])
    submit = SubmitField(_l("Search"))

    def fill_actors(self) -> None:
        people = db.session.execute(
            sa.select(StaffUser.id, StaffUser.name, StaffUser.email).order_by(StaffUser.name)
        )
        self.actor.choices = [
            SelectChoice("", _l("Anyone")),
            SelectChoice(SYSTEM, _l("System (operator commands)")),
        ] + [SelectChoice(str(pid), f"{name} ({email})") for pid, name, email in people]


def _day_start(day: date) -> datetime:
    """Midnight of ``day`` in the portal's time zone (the dates admins think in)."""
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    return datetime.combine(day, time.min, zone).astimezone(ZoneInfo("UTC"))


def _prefix(column, text: str):
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return column.like(escaped + "%", escape="\\")


def search(form: AuditSearchForm, cursor: str | None):
    """One page of entries (with their actors) and the cursor of the next page."""
    query = (
        sa.select(AuditEntry)
        .options(sa.orm.joinedload(AuditEntry.actor))
        .order_by(AuditEntry.id.desc())
        .limit(PAGE_SIZE + 1)
    )
    actor = form.actor.data or ""
    if actor == SYSTEM:
        query = query.where(AuditEntry.actor_id.is_(None))
    elif actor.isdigit():
        query = query.where(AuditEntry.actor_id == int(actor))
    if form.action.data:
        query = query.where(_prefix(AuditEntry.action, form.action.data.strip()))
    if form.object_type.data:
        query = query.where(_prefix(AuditEntry.object_type, form.object_type.data.strip()))
    if form.object_id.data:
        query = query.where(AuditEntry.object_id == form.object_id.data.strip())
    if form.date_from.data:
        query = query.where(AuditEntry.created_at >= _day_start(form.date_from.data))
    if form.date_to.data:
        next_day = form.date_to.data + timedelta(days=1)
        query = query.where(AuditEntry.created_at < _day_start(next_day))
    # Newest first, so the next page holds the smaller ids.
    key = keyset.decode(cursor, (int,))
    if key is not None:
        query = query.where(AuditEntry.id < key[0])
    entries = list(db.session.scalars(query))
    return keyset.page(entries, PAGE_SIZE, lambda entry: (entry.id,))
