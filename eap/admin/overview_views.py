"""Admin pages that only read: the start page, organisations with contracts, the audit log."""

from flask import render_template, request
from werkzeug.datastructures import MultiDict

from eap.admin import organisations
from eap.admin.audit_search import AuditSearchForm, search
from eap.admin.blueprint import bp
from eap.billing.statuses import LABELS as STATUS_LABELS


@bp.get("/")
def index():
    return render_template("admin/index.html")


@bp.get("/organisations/")
def organisations_list():
    status = request.args.get("status", "")
    status = status if status in organisations.STATUS_FILTERS else ""
    sort = request.args.get("sort", "name")
    sort = sort if sort in organisations.SORTS else "name"
    rows, next_cursor = organisations.overview(status, sort, request.args.get("after"))
    return render_template(
        "admin/organisations.html",
        rows=rows,
        next_cursor=next_cursor,
        status=status,
        sort=sort,
        statuses=organisations.STATUS_FILTERS,
        status_labels=STATUS_LABELS,
        total_mrr=organisations.total_mrr_cents(),
        first_page=not request.args.get("after"),
    )


@bp.get("/audit/")
def audit_log():
    form = AuditSearchForm(formdata=MultiDict(request.args))
    form.fill_actors()
    form.validate()
    entries, next_cursor = search(form, request.args.get("after"))
    filters = {k: v for k, v in request.args.items() if k not in ("after", "submit") and v}
    return render_template(
        "admin/audit.html", form=form, entries=entries, next_cursor=next_cursor,
        filters=filters, first_page=not request.args.get("after"),
    )
