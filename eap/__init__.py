"""EAP service portal of iGuS: the application factory."""

from __future__ import annotations

import logging
from pathlib import Path

from flask import Flask

from eap import config

PACKAGE_DIR = Path(__file__).resolve().parent


def _asset_folder(name: str) -> str:
    """Inside the installed wheel the folder sits in the package; in a checkout, beside it."""
    inside = PACKAGE_DIR / name
    return str(inside if inside.is_dir() else PACKAGE_DIR.parent / name)


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=_asset_folder("templates"),
        static_folder=_asset_folder("static"),
    )
    config.load(app, test_config)
    register_extensions(app)
    register_blueprints(app)
    register_security(app)
    register_templates(app)
    register_commands(app)
    logging.basicConfig(level=app.config["LOG_LEVEL"])
    return app


def register_extensions(app: Flask) -> None:
    from eap import plain_german, sqlite_tuning
    from eap.extensions import babel, csrf, db, limiter, login_manager, migrate
    from eap.i18n import select_locale
    from eap.security import ratelimits

    sqlite_tuning.install()
    db.init_app(app)
    migrate.init_app(
        app, db, directory=_asset_folder("migrations"), render_as_batch=True,
        compare_type=True,
    )
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    plain_german.install(babel)
    limiter.init_app(app)
    ratelimits.watch_storage(limiter)
    login_manager.init_app(app)
    login_manager.session_protection = None  # the server-side sign-in record does that job
    # Every model module is imported once so that metadata and Alembic see all tables.
    import eap.all_models  # noqa: F401
    from eap.security import binding

    binding.init()  # ciphertexts bound to table, column and row (issue 14)


def register_blueprints(app: Flask) -> None:
    from eap import health_views as health
    from eap import language_views as i18n
    from eap.admin import views as admin
    from eap.billing import views as billing
    from eap.billing import webhook_views as stripe_webhook
    from eap.billing.einvoice import views as einvoice
    from eap.counselling import views as counselling
    from eap.employers import access_views as hr_access
    from eap.employers import auth_views as hr_auth
    from eap.employers import team_views as hr_team
    from eap.employers import views as signup
    from eap.public import views as public
    from eap.reports import figure_views as reports_admin
    from eap.reports import hr_views as reports
    from eap.reports import requester_views as reports_requester
    from eap.requests import case_views as requests_cases
    from eap.requests import data_views as requests_data
    from eap.requests import views as requests
    from eap.staff import auth_views as staff_auth

    for module in (public, i18n, hr_auth, staff_auth, requests, requests_cases, requests_data):
        app.register_blueprint(module.bp)
    for module in (signup, hr_access, hr_team, billing, stripe_webhook, einvoice):
        app.register_blueprint(module.bp)
    app.register_blueprint(admin.bp)
    app.register_blueprint(counselling.bp)
    register_counselling_extras(app)
    register_chat(app)
    app.register_blueprint(reports.bp)
    app.register_blueprint(reports_requester.bp)
    app.register_blueprint(reports_admin.bp)
    if app.config["ENV_NAME"] == "development":
        # The local Stripe emulator's "test payment" page: never registered in production.
        from eap.billing.emulator import payment_views as test_payment

        app.register_blueprint(test_payment.bp)
    app.register_blueprint(health.bp)
    register_employer_journey(app)
    register_oncall(app)


def register_employer_journey(app: Flask) -> None:
    from eap.billing import confirmation_views
    from eap.employers import offer_views, terms_views
    from eap.reports import first_report

    for module in (terms_views, offer_views, confirmation_views, first_report):
        app.register_blueprint(module.bp)


def register_oncall(app: Flask) -> None:
    """The on-call rota (admin pages, its acute notices) and "who can be reached now", which
    asks the live chat whether its desk is staffed (the chat sits above the rota)."""
    from eap.chat import presence
    from eap.oncall import (
        admin_views,
        reachable,
        subscriptions,  # noqa: F401  (connects the rota to eap.requests.signals)
    )

    app.register_blueprint(admin_views.bp)
    # Looked up at each call, so that the chat feature's module (or a test) decides.
    reachable.init_app(app, chat_presence=lambda moment: presence.chat_available_now(moment))


def register_security(app: Flask) -> None:
    from eap import errors, transactions
    from eap.security import access, headers

    headers.init_app(app)
    access.init_app(app)
    errors.init_app(app)
    transactions.init_app(app)  # the one commit per request (docs/architecture.md)


def register_templates(app: Flask) -> None:
    from eap import template_globals
    from eap.public import page_cache

    template_globals.init_app(app)
    page_cache.init_app(app)


def register_commands(app: Flask) -> None:
    from eap import cli

    cli.init_app(app)


def register_chat(app: Flask) -> None:
    """The live chat: the requester's side (under /help), the chat desk, its subscriptions."""
    from eap.chat import (
        desk,
        desk_views,
        requester_views,
        subscriptions,  # noqa: F401  (connects the chat to eap.requests.signals)
    )

    app.register_blueprint(requester_views.bp)
    app.register_blueprint(desk_views.bp)
    app.add_template_global(desk.chats_of_case, "chats_of_case")


def register_counselling_extras(app: Flask) -> None:
    """Appointments, sessions, continuity, phone intake, referral follow-up: the staff pages and
    the requester's pages of these counselling features (the latter under /help)."""
    from eap.counselling import (
        appointment_staff_views,  # noqa: F401  (routes on appointment_views.bp)
        appointment_views,
        booking_views,
        calendar_views,  # also routes on appointment_views.bp
        continuity_views,
        follow_up_views,
        intake_views,
        phone_setup_views,
        subscriptions,  # noqa: F401  (connects counselling to eap.requests.signals)
    )

    for module in (booking_views, phone_setup_views, continuity_views, follow_up_views,
                   appointment_views, intake_views, calendar_views):
        app.register_blueprint(module.bp)
