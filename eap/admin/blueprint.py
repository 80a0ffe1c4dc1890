"""The admin blueprint. Every route under it is for administrators only."""

from flask import Blueprint

from eap.security.access import staff_required

bp = Blueprint("admin", __name__, url_prefix="/staff/admin")


@bp.before_request
@staff_required("admin")
def admins_only():
    """One guard for the whole blueprint, so a new admin route cannot forget it."""
    return None
