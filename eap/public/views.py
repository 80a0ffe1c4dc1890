"""Public pages: the service promise, packages, FAQ, legal pages, cookies, accessibility."""

from flask import Blueprint, current_app, render_template
from flask_babel import get_locale

from eap.billing.price_display import seat_prices
from eap.extensions import limiter
from eap.packages.services import active_packages
from eap.public.page_cache import cached_page

bp = Blueprint("public", __name__)
# Read-only pages without any limit: spare them the limiter's per-request bookkeeping.
limiter.exempt(bp)

# The provider's details for imprint, privacy policy and accessibility statement.
# EXAMPLE DATA: the pages say so; replace with the registered company's details before going live.
PROVIDER = {
    "name": "iGuS GmbH",
    "street": "Musterstraße 1",
    "postcode_city": "57072 Siegen",
    "phone": "0271 000 000 0",
    "phone_dial": "+492710000000",
    "email": "kontakt@igus-eap.example",
    "privacy_email": "datenschutz@igus-eap.example",
    "accessibility_email": "barrierefreiheit@igus-eap.example",
    "managing_director": "Erika Mustermann",
    "register": "Amtsgericht Siegen, HRB 0000",
    "vat_id": "DE000000000",
}


@bp.context_processor
def provider_details() -> dict:
    return {"provider": PROVIDER}


@bp.get("/")
@cached_page
def index():
    return render_template("public/index.html", packages=active_packages())


@bp.get("/packages")
@cached_page
def packages():
    packages = active_packages()
    return render_template(
        "public/packages.html", packages=packages, locale=str(get_locale()),
        prices={package.id: seat_prices(package) for package in packages},
    )


@bp.get("/faq")
@cached_page
def faq():
    return render_template("public/faq.html")


@bp.get("/privacy")
@cached_page
def privacy():
    return render_template("public/privacy.html")


@bp.get("/imprint")
@cached_page
def imprint():
    return render_template("public/imprint.html")


@bp.get("/accessibility")
@cached_page
def accessibility():
    return render_template("public/accessibility.html")


@bp.get("/cookies")
@cached_page
def cookies():
    return render_template(
        "public/cookies.html", cookie_name=current_app.config["SESSION_COOKIE_NAME"]
    )


@bp.get("/emergency")
@cached_page
def emergency():
    return render_template("public/emergency.html")
