"""Admin pages for staff accounts: list, create, edit, deactivate, reactivate, reset TOTP."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from eap.admin import staff
from eap.admin.blueprint import bp
from eap.admin.staff_forms import ROLE_LABELS, NewStaffForm, StaffForm
from eap.extensions import db
from eap.requests.choices import LANGUAGES, TOPICS
from eap.security.forms import ConfirmForm


@bp.get("/staff/")
def staff_list():
    return render_template(
        "admin/staff.html", members=staff.all_staff(), roles=ROLE_LABELS, languages=LANGUAGES,
        topics=TOPICS,
    )


@bp.route("/staff/new", methods=["GET", "POST"])
def staff_new():
    form = NewStaffForm()
    if form.validate_on_submit():
        try:
            user = staff.create(form.email.data, form.password.data, form.values())
        except staff.StaffError as problem:
            db.session.rollback()
            getattr(form, problem.field or "email").errors.append(str(problem))
        else:
            flash(_("The account of %(name)s is created. Two-factor sign-in is set up at the "
                    "first sign-in.", name=user.name), "success")
            return redirect(url_for("admin.staff_list"), 303)
    return render_template("admin/staff_form.html", form=form, member=None)


@bp.route("/staff/<int:user_id>", methods=["GET", "POST"])
def staff_edit(user_id: int):
    member = staff.get_staff_or_404(user_id)
    form = StaffForm(obj=member)
    if not form.is_submitted():
        form.languages.data = member.language_list
        form.specialties.data = member.specialty_list
    if form.validate_on_submit():
        editing_self = member.id == current_user.id
        try:
            role_changed = staff.update(member, form.values())
        except staff.StaffError as problem:
            db.session.rollback()
            form.role.errors.append(str(problem))
        else:
            if role_changed and editing_self:
                flash(_("Your role changed. Please sign in again."), "info")
                return redirect(url_for("staff_auth.login"), 303)
            flash(_("Saved."), "success")
            return redirect(url_for("admin.staff_list"), 303)
    return render_template(
        "admin/staff_form.html", form=form, member=member
    )


@bp.post("/staff/<int:user_id>/deactivate")
def staff_deactivate(user_id: int):
    return _account_action(
        user_id, staff.deactivate, _("The account is deactivated and signed out everywhere.")
    )


@bp.post("/staff/<int:user_id>/reactivate")
def staff_reactivate(user_id: int):
    return _account_action(user_id, staff.reactivate, _("The account is active again."))


@bp.post("/staff/<int:user_id>/reset-totp")
def staff_reset_totp(user_id: int):
    return _account_action(
        user_id, staff.reset_totp,
        _("Two-factor sign-in is reset: a new authenticator app is set up at the next sign-in. "
          "The account is signed out everywhere."),
    )


def _account_action(user_id: int, action, message: str):
    member = staff.get_staff_or_404(user_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    acting_on_self = member.id == current_user.id
    try:
        action(member)
    except staff.StaffError as problem:
        db.session.rollback()
        flash(str(problem), "error")
        return redirect(url_for("admin.staff_edit", user_id=member.id), 303)
    flash(message, "success")
    if acting_on_self and action is not staff.reactivate:
        return redirect(url_for("staff_auth.login"), 303)
    return redirect(url_for("admin.staff_edit", user_id=member.id), 303)
