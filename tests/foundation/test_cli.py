"""Operator commands: migrate, create-staff, seed-demo."""

import logging

import pyotp
import pytest
import sqlalchemy as sa

from eap import demo
from eap.employers.models import HrUser, Organisation
from eap.extensions import db
from eap.packages.models import ServicePackage
from eap.security.passwords import verify_password
from eap.staff.models import StaffUser
from tests.conftest import count, login_hr, make_test_app, post_form


def counts(app) -> dict:
    with app.app_context():
        return {m.__name__: count(m) for m in (ServicePackage, Organisation, HrUser, StaffUser)}


def test_seed_demo_is_idempotent_and_prints_the_logins(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    after_first = counts(app)
    assert after_first == {"ServicePackage": 3, "Organisation": 1, "HrUser": 1, "StaffUser": 3}
    second = runner.invoke(args=["seed-demo"])
    assert second.exit_code == 0, second.output
    assert counts(app) == after_first
    with app.app_context():
        access_code = demo.demo_access_code()
    for output in (first.output, second.output):
        assert demo.DEMO_HR_EMAIL in output and demo.DEMO_PASSWORD in output
        assert f"access code: {access_code}" in output
        for email, _name, _role, secret in demo.DEMO_STAFF:
            assert email in output and f"TOTP secret: {secret}" in output


def test_printed_demo_logins_work(app, client):
    app.test_cli_runner().invoke(args=["seed-demo"])
    hr = HrUser(email=demo.DEMO_HR_EMAIL)
    assert login_hr(client, hr, demo.DEMO_PASSWORD).headers["Location"] == "/hr/"
    staff_client = app.test_client()
    email, _name, _role, secret = demo.DEMO_STAFF[0]
    post_form(staff_client, "/staff/login", {"email": email, "password": demo.DEMO_PASSWORD})
    done = post_form(staff_client, "/staff/login/code", {"code": pyotp.TOTP(secret).now()})
    assert done.status_code == 302 and staff_client.get("/staff/").status_code == 200


def test_printed_demo_access_code_opens_the_requester_side(app):
    app.test_cli_runner().invoke(args=["seed-demo"])
    with app.app_context():
        access_code = demo.demo_access_code()
    visitor = app.test_client()
    with visitor.session_transaction() as browser_session:
        browser_session["lang"] = "de"
    answer = post_form(visitor, "/help/access", {"code": access_code})
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/help/account/new")


def test_create_staff(app):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["create-staff", "--email", "Neu@IGUS.example", "--name", "Nora Neu",
              "--role", "triage", "--password", "a long enough passphrase"]
    )
    assert result.exit_code == 0, result.output
    assert "neu@igus.example" in result.output.lower()
    with app.app_context():
        staff = db.session.scalar(sa.select(StaffUser).where(StaffUser.email == "neu@igus.example"))
        assert staff.role == "triage" and staff.totp_secret is None
        assert verify_password(staff.password_hash, "a long enough passphrase")
    again = runner.invoke(
        args=["create-staff", "--email", "neu@igus.example", "--name", "N", "--role", "admin",
              "--password", "another long passphrase"]
    )
    assert again.exit_code != 0 and "exists already" in again.output


@pytest.mark.parametrize(
    "args, problem",
    [
        (["--role", "counsellor", "--password", "short"], "mindestens 12 Zeichen"),
        (["--role", "boss", "--password", "a long enough passphrase"], "Invalid value"),
    ],
)
def test_create_staff_refuses_bad_input(app, args, problem):
    result = app.test_cli_runner().invoke(
        args=["create-staff", "--email", "x@igus.example", "--name", "X", *args]
    )
    assert result.exit_code != 0 and problem in result.output
    with app.app_context():
        assert count(StaffUser) == 0


def test_migrate_builds_a_fresh_database(tmp_path):
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    app = make_test_app(f"sqlite:///{tmp_path / 'fresh.sqlite'}", str(tmp_path))
    try:
        result = app.test_cli_runner().invoke(args=["migrate"])
        assert result.exit_code == 0, result.output
        assert "up to date" in result.output
        again = app.test_cli_runner().invoke(args=["migrate"])
        assert again.exit_code == 0
        with app.app_context():
            tables = set(sa.inspect(db.engine).get_table_names())
            db.engine.dispose()
        assert set(db.metadata.tables) <= tables
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)


def test_after_seed_demo_the_chat_is_staffed_so_it_can_be_tried(app):
    from eap.chat.presence import chat_available_now

    with app.app_context():
        assert not chat_available_now()
    app.test_cli_runner().invoke(args=["seed-demo"])
    with app.app_context():
        assert chat_available_now()
