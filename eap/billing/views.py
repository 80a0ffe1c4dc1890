"""HR pages for buying a package and managing the contract (roles: owner, billing).

Leaving for Stripe: the portal's CSP says ``form-action 'self'`` and Chrome applies it to the
redirects that follow a form POST, so a POST answering 302 to checkout.stripe.com would be
blocked. The POST therefore creates the Stripe session and redirects (303) to a page of ours,
which links to Stripe; following a link is not a form submission.
"""

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from eap import transactions
from eap.billing import changes, confirmation, contracts, order_terms, services
from eap.billing.einvoice import views as einvoice_views
from eap.billing.einvoice.forms import EInvoiceSettingsForm
from eap.billing.failures import CATALOGUE_INCOMPLETE, UNREACHABLE_ORDER_SAVED, redirect_on_failure
from eap.billing.forms import ChooseForm, PackageForm, SeatsForm, VersionForm
from eap.billing.models import Invoice
from eap.billing.pricing import quote
from eap.billing.statuses import LABELS
from eap.extensions import db
from eap.packages.services import active_packages
from eap.security.access import hr_required
from eap.security.forms import ConfirmForm

bp = Blueprint("billing", __name__, url_prefix="/hr/contract")
BILLING_ROLES = ("owner", "billing")


def _package_choices(form_field) -> None:
    locale = str(get_locale() or "de")
    form_field.choices = [SelectChoice(p.id, p.name(locale)) for p in active_packages()]


def _done(success: str):
    """The action worked: say so and show the contract page (committed at the boundary)."""
    flash(success, "success")
    return redirect(url_for("billing.contract"), 303)


def _valid_or_400(form):
    if not form.validate_on_submit():
        abort(400)
    return form


def _order_values(form: ChooseForm) -> dict:
    """The order as query arguments, so the form comes back filled after an error."""
    return {name: getattr(form, name).data for name in ("package", "seats", "interval", "method")
            if getattr(form, name).data not in (None, "")}


@bp.get("/new")
@hr_required(*BILLING_ROLES)
def choose():
    form = ChooseForm(request.args, meta={"csrf": False})
    _package_choices(form.package)
    if "seats" not in request.args:  # suggested: the employee count given at sign-up
        form.seats.data = current_user.organisation.employee_count or None
    return render_template("billing/choose.html", form=form, packages=active_packages())


@bp.get("/new/review")
@hr_required(*BILLING_ROLES)
def review():
    form = ChooseForm(request.args, meta={"csrf": False})
    _package_choices(form.package)
    if not form.validate():
        return render_template("billing/choose.html", form=form, packages=active_packages()), 400
    try:
        package = services.usable_package(form.package.data)
    except services.BillingError as problem:
        form.package.errors = [str(problem)]
        return render_template("billing/choose.html", form=form, packages=active_packages()), 400
    return render_template(
        "billing/review.html", form=form, package=package,
        quote=quote(package, form.seats.data, form.interval.data), confirm=ChooseForm(),
        **order_terms.review_context(package, form.seats.data),
    )


@bp.post("/new")
@hr_required(*BILLING_ROLES)
def buy():
    form = ChooseForm()
    back = url_for("billing.choose", **_order_values(form))
    if not form.validate_on_submit():
        flash(" ".join(str(e) for errors in form.errors.values() for e in errors), "error")
        return redirect(back)
    if not order_terms.accepted_in(request.form):
        flash(_("Please accept the terms of service and the data-processing agreement."),
              "error")
        return redirect(url_for("billing.review", **order_terms.order_args(form)), 303)
    order_terms.record(current_user)
    with redirect_on_failure(back, incomplete=CATALOGUE_INCOMPLETE):
        contract = services.place_order(
            current_user, form.package.data, form.seats.data, form.interval.data, form.method.data,
            language=str(get_locale()))
    # Deliberate commit: the order is saved before Stripe hears of it (no lock held, resumable).
    transactions.commit_now("order saved before Stripe")
    return _pay(contract.id)


def _pay(contract_id: int):
    """Ask Stripe for the payment of a saved order; on failure the order stays, resumable."""
    with redirect_on_failure(url_for("billing.contract"), 303,
                             unreachable=UNREACHABLE_ORDER_SAVED):
        url = services.start_payment(contract_id)
    if url is None:  # booked by invoice: the contract may be active now, confirm the order
        confirmation.send_pending(current_user.organisation_id)
        flash(_("Thank you. Your contract starts now; the invoice follows by e-mail."), "success")
        return redirect(url_for("billing.contract"), 303)
    session["stripe_handoff"] = {"contract": contract_id, "url": url}
    return redirect(url_for("billing.pay", contract_id=contract_id), 303)


@bp.get("/<int:contract_id>/pay")
@hr_required(*BILLING_ROLES)
def pay(contract_id: int):
    contract = contracts.get_contract_or_404(contract_id)
    handoff = session.get("stripe_handoff") or {}
    if contract.status != "pending" or handoff.get("contract") != contract.id:
        return redirect(url_for("billing.contract"))
    return render_template("billing/handoff.html", url=handoff["url"], purpose="checkout")


@bp.post("/<int:contract_id>/pay")
@hr_required(*BILLING_ROLES)
def continue_payment(contract_id: int):
    """Continue paying a pending order: the open checkout session again, or a new one."""
    contracts.get_contract_or_404(contract_id)
    _valid_or_400(VersionForm())
    return _pay(contract_id)


@bp.post("/<int:contract_id>/cancel-order")
@hr_required(*BILLING_ROLES)
def cancel_order(contract_id: int):
    contract = contracts.get_contract_or_404(contract_id)
    form = _valid_or_400(VersionForm())
    with redirect_on_failure(url_for("billing.contract"), 303):
        services.cancel_order(contract, form.seen_version)
    return _done(_("The order is cancelled. Nothing will be charged."))


@bp.get("/")
@hr_required(*BILLING_ROLES)
def contract():
    current = contracts.current_contract(current_user.organisation_id)
    if current is None:
        return redirect(url_for("billing.choose"))
    package_form = PackageForm(package=current.package_id, version=current.version)
    _package_choices(package_form.package)
    invoices = db.session.scalars(
        db.select(Invoice).where(Invoice.contract_id == current.id).order_by(Invoice.id.desc())
    )
    return render_template(
        "billing/contract.html", contract=current, status_label=LABELS[current.status],
        next_quote=quote(current.package, current.seats, current.interval),
        seats_form=SeatsForm(seats=current.seats, version=current.version, meta={"csrf": False}),
        package_form=package_form, version_form=VersionForm(version=current.version),
        invoices=list(invoices), einvoices=einvoice_views.sources_for(current.id),
        einvoice_form=EInvoiceSettingsForm(obj=current.organisation),
        checkout_done=request.args.get("checkout") == "done",
    )


def _change(action, form: VersionForm, success: str):
    """Claim the contract's version, commit, then call Stripe and record its answer."""
    current = contracts.current_contract(current_user.organisation_id)
    with redirect_on_failure(url_for("billing.contract"), 303):
        key = changes.claim(current, form.seen_version)
        # Deliberate commit: the claimed version is saved before Stripe is called.
        transactions.commit_now("claim saved before Stripe")
        action(current, key)
    return _done(success)


@bp.get("/seats")
@hr_required(*BILLING_ROLES)
def preview_seats():
    """The cost of a seat change as Stripe computes it, and the button that confirms it."""
    form = SeatsForm(request.args, meta={"csrf": False})
    if not form.validate():
        flash(" ".join(str(e) for e in form.seats.errors) or _("Please try again."), "error")
        return redirect(url_for("billing.contract"))
    current = contracts.current_contract(current_user.organisation_id)
    with redirect_on_failure(url_for("billing.contract")):
        preview = changes.preview_seats(current, form.seats.data)
    return render_template(
        "billing/seats_preview.html", contract=current, seats=form.seats.data,
        preview=preview, form=VersionForm(version=form.version.data),
        new_quote=quote(current.package, form.seats.data, current.interval),
    )


@bp.post("/seats")
@hr_required(*BILLING_ROLES)
def change_seats():
    form = SeatsForm()
    if not form.validate_on_submit():
        errors = " ".join(str(error) for error in form.seats.errors)
        flash(errors or _("Please try again."), "error")
        return redirect(url_for("billing.contract"), 303)
    return _change(lambda c, key: changes.change_seats(c, form.seats.data, key), form,
                   _("The number of seats is changed; the difference is prorated."))


@bp.post("/package")
@hr_required(*BILLING_ROLES)
def change_package():
    form = PackageForm()
    _package_choices(form.package)
    _valid_or_400(form)
    return _change(lambda c, key: changes.change_package(c, form.package.data, key), form,
                   _("The package is changed; the difference is prorated."))


@bp.get("/cancel")
@hr_required(*BILLING_ROLES)
def confirm_cancel():
    """Cancelling asks first and says until when access remains."""
    current = contracts.current_contract(current_user.organisation_id)
    if current is None or current.status not in contracts.RUNNING_STATUSES:
        return redirect(url_for("billing.contract"))
    return render_template("billing/cancel.html", contract=current,
                           form=VersionForm(version=current.version))


@bp.post("/cancel")
@hr_required(*BILLING_ROLES)
def cancel():
    return _change(lambda c, key: changes.set_cancelled(c, True, key), _valid_or_400(VersionForm()),
                   _("The contract ends at the end of the current period."))


@bp.post("/resume")
@hr_required(*BILLING_ROLES)
def resume():
    return _change(lambda c, key: changes.set_cancelled(c, False, key),
                   _valid_or_400(VersionForm()), _("The contract continues."))


@bp.post("/portal")
@hr_required(*BILLING_ROLES)
def portal():
    _valid_or_400(ConfirmForm())
    current = contracts.current_contract(current_user.organisation_id)
    with redirect_on_failure(url_for("billing.contract"), 303):
        url = services.portal_url(current)
    session["stripe_handoff"] = {"contract": current.id, "url": url, "portal": True}
    return redirect(url_for("billing.portal_handoff"), 303)


@bp.get("/portal")
@hr_required(*BILLING_ROLES)
def portal_handoff():
    handoff = session.get("stripe_handoff") or {}
    if not handoff.get("portal"):
        return redirect(url_for("billing.contract"))
    return render_template("billing/handoff.html", url=handoff["url"], purpose="portal")


@bp.app_template_filter("date_only")
def date_only(value) -> str:
    from flask_babel import format_date

    return format_date(value) if value else "–"


# Pages of other features ask "do the employees have access?" through this one rule.
bp.add_app_template_global(contracts.organisation_has_access)
