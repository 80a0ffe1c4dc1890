"""Phone intake for triage staff: open an anonymous account and case for a caller."""

from __future__ import annotations

import secrets

from flask import Blueprint, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from eap import transactions
from eap.counselling import intake, staff_notices
from eap.counselling.intake_forms import IntakeForm
from eap.extensions import db
from eap.requests import cases
from eap.security.access import staff_required

bp = Blueprint("intake", __name__, url_prefix="/staff/intake")


@bp.before_request
@staff_required("triage", "admin")
def triage_only():
    return None


def _form_page(form: IntakeForm, status: int = 200):
    return render_template("counselling/intake.html", form=form), status


@bp.get("/")
def new():
    form = IntakeForm(formdata=None)
    form.nonce.data = secrets.token_urlsafe(24)
    return _form_page(form)


@bp.post("/")
def open_case():
    form = IntakeForm()
    if not form.validate_on_submit():
        return _form_page(form, 400)
    data = cases.RequestData(
        acute_danger=bool(form.acute_danger.data), area=form.area.data, topic=form.topic.data,
        for_whom=form.for_whom.data, urgency=form.urgency.data, contact="phone",
        callback_number=form.callback_number.data, callback_window=form.callback_window.data,
        language=form.language.data, description=form.description.data,
    )
    try:
        opened = intake.open_case(form.code.data, form.requester_type.data, form.nonce.data,
                                  data, current_user)
    except intake.UnknownCode:
        db.session.rollback()
        form.code.errors = [_("No organisation with an active contract has this access code.")]
        return _form_page(form, 400)
    except intake.AlreadyOpened:
        db.session.rollback()
        form.nonce.errors = [_("This form was already sent; the case exists.")]
        return _form_page(form, 409)
    transactions.after_commit(staff_notices.notify_acute, opened.case)
    # Shown once, in this answer only (no-store): read them to the caller now.
    return render_template(
        "counselling/intake_done.html", opened=opened,
        case_url=url_for("counselling.show", public_id=opened.case.public_id),
    )
