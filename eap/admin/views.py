"""The admin blueprint with all its routes (each feature's pages live in its own module)."""

from eap.admin import offer_views, overview_views, package_views, staff_views  # noqa: F401
from eap.admin.blueprint import bp

__all__ = ["bp"]
