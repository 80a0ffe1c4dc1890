"""Admin pages for service packages: list, create, edit, retire and reactivate."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from eap.admin import packages
from eap.admin.blueprint import bp
from eap.admin.package_forms import NewPackageForm, PackageForm
from eap.extensions import db
from eap.security.forms import ConfirmForm


@bp.get("/packages/")
def packages_list():
    return render_template(
        "admin/packages.html", packages=packages.all_packages()
    )


@bp.route("/packages/new", methods=["GET", "POST"])
def package_new():
    form = NewPackageForm()
    if form.validate_on_submit():
        try:
            package = packages.create_package(form.slug.data, form.values())
        except packages.PackageError as problem:
            db.session.rollback()
            form.slug.errors.append(str(problem))
        else:
            flash(_("Package %(name)s created.", name=package.name_en), "success")
            return redirect(url_for("admin.packages_list"), 303)
    return render_template("admin/package_form.html", form=form, package=None)


@bp.route("/packages/<int:package_id>", methods=["GET", "POST"])
def package_edit(package_id: int):
    package = packages.get_package_or_404(package_id)
    form = PackageForm(obj=package)
    if not form.is_submitted():
        form.areas.data = package.area_list
        form.modalities.data = package.modality_list
    if form.validate_on_submit():
        packages.update_package(package, form.values())
        flash(_("Package %(name)s saved.", name=package.name_en), "success")
        return redirect(url_for("admin.packages_list"), 303)
    return render_template(
        "admin/package_form.html", form=form, package=package
    )


@bp.post("/packages/<int:package_id>/retire")
def package_retire(package_id: int):
    return _set_active(package_id, False, _("The package is retired: new employers cannot "
                                            "choose it; running contracts continue."))


@bp.post("/packages/<int:package_id>/reactivate")
def package_reactivate(package_id: int):
    return _set_active(package_id, True, _("The package is offered again."))


def _set_active(package_id: int, active: bool, message: str):
    package = packages.get_package_or_404(package_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    packages.set_active(package, active)
    flash(message, "success")
    return redirect(url_for("admin.packages_list"), 303)
