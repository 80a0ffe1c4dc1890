"""Terms of service and AVV: public reading and PDF download; an owner's acceptance page."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from eap.employers import terms
from eap.employers.terms_models import DOCUMENTS
from eap.extensions import limiter
from eap.redirects import safe_next
from eap.security.access import hr_required
from eap.security.forms import ConfirmForm

bp = Blueprint("legal", __name__)
limiter.exempt(bp)


def _text(document: str, version: str | None, language: str | None) -> terms.LegalText:
    if document not in DOCUMENTS:
        abort(404)
    language = language if language in terms.LANGUAGES else (
        "de" if str(get_locale()) == "de" else "en")
    try:
        return terms.load(document, version or terms.current_version(document), language)
    except KeyError:
        abort(404)


@bp.get("/legal/<document>")
def show(document: str):
    text = _text(document, request.args.get("version"), request.args.get("lang"))
    return render_template(
        "legal/document.html", text=text, body=terms.as_html(text),
        versions=terms.versions(document), languages=terms.LANGUAGES,
        title=terms.TITLES[document],
    )


@bp.get("/legal/<document>/<version>.pdf")
def pdf(document: str, version: str):
    text = _text(document, version, request.args.get("lang"))
    filename = f"{document}-{text.version}-{text.language}.pdf"
    return Response(terms.as_pdf(text), mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@bp.get("/hr/terms/")
@hr_required()
def status():
    return render_template(
        "legal/status.html", acceptances=terms.acceptances(current_user.organisation_id),
        current={d: terms.current_version(d) for d in DOCUMENTS}, titles=terms.TITLES,
        accepted_current=terms.has_accepted_current(current_user.organisation_id),
    )


@bp.route("/hr/terms/accept", methods=["GET", "POST"])
@hr_required("owner")
def accept():
    target = safe_next(request.values.get("next", "")) or url_for("hr_auth.home")
    if request.method == "POST":
        if not ConfirmForm().validate_on_submit():
            abort(400)
        if request.form.get("accept_terms") != "yes":
            flash(_("Please tick the box to accept the new versions."), "error")
        else:
            terms.accept_current(current_user.organisation_id, current_user.id)
            flash(_("Thank you. The new versions are accepted."), "success")
            return redirect(target, 303)
    return render_template(
        "legal/accept.html", current={d: terms.current_version(d) for d in DOCUMENTS},
        titles=terms.TITLES, accepted=terms.accepted_versions(current_user.organisation_id),
        next=request.values.get("next", ""),
    )
