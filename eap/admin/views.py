"""The admin blueprint with all its routes (each feature's pages live in its own module)."""

from eap.admin import overview_views, package_views, staff_views  # noqa: F401  (routes)
from eap.admin.blueprint import bp

__all__ = ["bp"]
