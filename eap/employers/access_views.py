"""Employee access for HR (roles: owner, manager): codes, link, poster and its QR code."""

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user

from eap.employers import access_codes, announcement, poster
from eap.employers.forms import CodeLabelForm
from eap.employers.lookup import get_access_code_or_404
from eap.employers.models import Organisation
from eap.extensions import db
from eap.security.access import hr_required
from eap.security.forms import ConfirmForm

bp = Blueprint("hr_access", __name__, url_prefix="/hr/access")
ACCESS_ROLES = ("owner", "manager")
POSTER_LANGUAGES = ("de", "en")


def _organisation() -> Organisation:
    return db.session.get(Organisation, current_user.organisation_id)


@bp.get("/")
@hr_required(*ACCESS_ROLES)
def index():
    codes = access_codes.codes_of(current_user.organisation_id)
    primary = next((code for code in codes if code.is_primary), None)
    return render_template(
        "hr/access.html", codes=codes, grouped=access_codes.grouped, link=poster.access_link,
        label_form=CodeLabelForm(),
        kit=announcement.kit(_organisation().name, primary.code) if primary else [],
    )


@bp.post("/rotate")
@hr_required(*ACCESS_ROLES)
def rotate():
    if not ConfirmForm().validate_on_submit():
        abort(400)
    access_codes.rotate_primary(_organisation())
    flash(_("There is a new access code. The old one no longer works: please replace the "
            "posters and intranet links."), "success")
    return redirect(url_for("hr_access.index"), 303)


@bp.post("/codes")
@hr_required(*ACCESS_ROLES)
def add():
    form = CodeLabelForm()
    if not form.validate_on_submit():
        flash(_("Please name the site or department (at most 80 characters)."), "error")
        return redirect(url_for("hr_access.index"), 303)
    access_codes.add_extra(_organisation(), form.label.data, form.seats.data)
    flash(_("The new code is ready."), "success")
    return redirect(url_for("hr_access.index"), 303)


@bp.post("/<int:code_id>/revoke")
@hr_required(*ACCESS_ROLES)
def revoke(code_id: int):
    code = get_access_code_or_404(code_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if not access_codes.revoke_extra(code):
        flash(_("The main code cannot be withdrawn, only replaced by a new one."), "error")
    else:
        flash(_("The code no longer works."), "success")
    return redirect(url_for("hr_access.index"), 303)


@bp.get("/<int:code_id>/poster")
@hr_required(*ACCESS_ROLES)
def poster_page(code_id: int):
    code = get_access_code_or_404(code_id)
    lang = request.args.get("lang", "de")
    if lang not in POSTER_LANGUAGES:
        abort(404)
    with force_locale(lang):
        return render_template(
            "hr/poster.html", code=code, grouped=access_codes.grouped(code.code),
            link=poster.access_link(code.code), lang=lang,
            poster_other_languages=poster.other_languages(lang),
        )


@bp.get("/<int:code_id>/qr.svg")
@hr_required(*ACCESS_ROLES)
def qr(code_id: int):
    code = get_access_code_or_404(code_id)
    svg = poster.qr_svg(poster.access_link(code.code), _("QR code of the access link"))
    return Response(svg, mimetype="image/svg+xml")
