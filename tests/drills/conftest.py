"""Helpers for the reliability drills: throwaway databases, an organisation with a working code,
and a requester flow that leaves cases and messages behind."""

from __future__ import annotations

import os
import shutil
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field

import pytest
import sqlalchemy as sa

from eap.extensions import db
from tests.conftest import make_test_app, post_form
from tests.requests.conftest import send_request, sign_up, signed_up, working_code  # noqa: F401 - fixtures

PG_SERVER = os.environ.get(
    "EAP_DRILL_PG_SERVER", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


def require_pg() -> sa.engine.URL:
    """The PostgreSQL server for drills, or a skip (a failure under CI=true)."""
    url = sa.engine.make_url(PG_SERVER)
    engine = sa.create_engine(url)
    try:
        with engine.connect():
            pass
    except sa.exc.OperationalError as error:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true but PostgreSQL at {url.host}:{url.port} does not answer: {error}")
        pytest.skip(f"PostgreSQL at {url.host}:{url.port} does not answer")
    finally:
        engine.dispose()
    return url


def require_tool(name: str) -> str:
    path = shutil.which(name) or shutil.which(name, path="/usr/lib/postgresql/15/bin")
    if not path:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true but {name} is not installed")
        pytest.skip(f"{name} is not installed")
    return path


@contextmanager
def fresh_pg_database(prefix: str = "drill"):
    """A new, empty PostgreSQL database on the shared server, dropped afterwards."""
    server = require_pg()
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name)
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def new_app(url: str, instance_path: str, create: bool = False, **settings):
    app = make_test_app(url, instance_path, **settings)
    if create:
        with app.app_context():
            db.create_all()
    return app


def dispose(app) -> None:
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def organisation_with_code(app) -> tuple[int, str]:
    """An organisation with an active contract and its plain access code."""
    from eap.billing.models import Contract
    from eap.employers import access_codes
    from eap.employers.models import Organisation
    from eap.packages.models import ServicePackage

    tag = uuid.uuid4().hex[:8]
    with app.app_context():
        organisation = Organisation(
            name=f"Drill {tag} GmbH", billing_email=f"billing@drill{tag}.example",
            employee_count=80,
        )
        package = ServicePackage(
            slug=f"drill{tag}", name_de="Paket", name_en="Package", description_de="B",
            description_en="D", price_month_cents=400, price_year_cents=4300,
            response_hours=24, urgent_response_hours=8, dependants_included=True,
        )
        db.session.add_all([organisation, package])
        db.session.flush()
        db.session.add(Contract(organisation_id=organisation.id, package_id=package.id,
                                seats=50, status="active"))
        code = access_codes.create_code(organisation, primary=True)
        db.session.commit()
        return organisation.id, code.code


@dataclass
class Flow:
    """What a requester flow wrote: every plaintext, to be found again after a drill."""

    descriptions: list[str] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    callbacks: list[str] = field(default_factory=list)


def requester_flow(app, cases: int = 3, replies: int = 2) -> Flow:
    """Sign up through the real pages, send ``cases`` requests, each with staff and requester
    messages; returns the plaintexts written."""
    from eap.requests import messages
    from eap.requests.models import HelpRequest
    from eap.staff.models import StaffUser

    _org, code = organisation_with_code(app)
    client = app.test_client()
    sign_up(client, code)
    flow = Flow()
    with app.app_context():
        staff = StaffUser(email=f"c{uuid.uuid4().hex[:6]}@igus.example", name="Counsellor",
                          role="counsellor", password_hash="x")
        db.session.add(staff)
        db.session.commit()
        staff_id = staff.id
    for n in range(cases):
        description = f"Drill request {n}: Sorgen um das Kind {uuid.uuid4().hex[:6]}"
        callback = f"+49 271 555{n:04d}"
        answer = send_request(client, contact="phone", callback_number=callback,
                              callback_window="vormittags", description=description)
        assert answer.status_code == 302, answer.get_data(as_text=True)
        public_id = answer.headers["Location"].rstrip("/").split("/")[-2]
        flow.descriptions.append(description)
        flow.callbacks.append(callback)
        for r in range(replies):
            staff_text = f"Drill staff answer {n}.{r} {uuid.uuid4().hex[:6]}"
            with app.app_context():
                case = db.session.scalar(
                    sa.select(HelpRequest).where(HelpRequest.public_id == public_id)
                )
                messages.add_staff_message(case, staff_id, staff_text)
                db.session.commit()
            flow.messages.append(staff_text)
            text = f"Drill reply {n}.{r} {uuid.uuid4().hex[:6]}"
            url = f"/help/requests/{public_id}"
            answer = post_form(client, url + "/reply", {"body": text}, from_url=url)
            assert answer.status_code == 302, answer.get_data(as_text=True)
            flow.messages.append(text)
    return flow


def read_everything(app) -> Flow:
    """Every case and message as the application decrypts them."""
    from eap.requests.models import HelpRequest, Message

    found = Flow()
    with app.app_context():
        for case in db.session.scalars(sa.select(HelpRequest).order_by(HelpRequest.id)):
            found.descriptions.append(case.description)
            found.callbacks.append(case.callback_number)
        # Whole rows: a ciphertext is bound to its row's public id (issue 14), so the
        # application decrypts encrypted columns on its models, not in column-only selects.
        found.messages = [m.body for m in db.session.scalars(sa.select(Message)
                                                             .order_by(Message.id))]
    return found


def assert_all_found(flow: Flow, found: Flow) -> None:
    assert sorted(found.descriptions) == sorted(flow.descriptions)
    assert sorted(found.callbacks) == sorted(flow.callbacks)
    assert sorted(found.messages) == sorted(flow.messages)
