"""Admin pages of the on-call rota (/staff/admin/oncall): list, add, delete windows."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from eap.extensions import db
from eap.oncall import rota
from eap.oncall.forms import WindowForm
from eap.security.access import staff_required
from eap.security.forms import ConfirmForm

bp = Blueprint("oncall_admin", __name__, url_prefix="/staff/admin/oncall")


@bp.before_request
@staff_required("admin")
def admins_only():
    """One guard for the whole blueprint, so a new route cannot forget it."""
    return None


def _page(form: WindowForm, status: int = 200):
    return render_template("oncall/rota.html", form=form, windows=rota.upcoming()), status


@bp.route("/", methods=["GET", "POST"])
def rota_page():
    form = WindowForm()
    form.set_staff(rota.eligible_staff())
    if form.validate_on_submit():
        try:
            rota.add_window(form.staff_id.data, form.starts.data, form.ends.data, current_user)
        except rota.RotaError as problem:
            db.session.rollback()
            getattr(form, problem.field).errors.append(str(problem))
            return _page(form, 400)
        flash(_("The on-call window is saved."), "success")
        return redirect(url_for("oncall_admin.rota_page"), 303)
    return _page(form, 400 if form.is_submitted() else 200)


@bp.post("/<int:window_id>/delete")
def window_delete(window_id: int):
    if not ConfirmForm().validate_on_submit():
        abort(400)
    rota.delete_window(window_id, current_user)
    flash(_("The on-call window is deleted."), "success")
    return redirect(url_for("oncall_admin.rota_page"), 303)
