"""The counselling blueprint with all its routes (each group lives in its own module)."""

from eap.counselling import case_views, inbox_views, referral_views  # noqa: F401  (routes)
from eap.counselling.blueprint import bp

__all__ = ["bp"]
