"""The second ceiling: the least a signed-in page costs with the libraries the portal is built on.

Hello world answers without a session, a user or a template, so it says nothing about what any
signed-in page must pay. This app has nothing of the portal's own, only the parts every
signed-in Flask page of this stack goes through on every request:

- Flask's signed session cookie, read and checked;
- Flask-Login loading the signed-in user through Flask-SQLAlchemy (one primary-key select on
  the benchmark's own database, as the portal's sign-in lookup is one select);
- Flask-WTF's CSRF token, signed into the one form of the page (a sign-out button);
- Flask-Babel's gettext for the page's texts;
- Flask-Limiter's per-request check (in-memory storage, no limit on the page, like the portal);
- one small Jinja template from a file.

It is served with the same gunicorn settings as hello world and the portal; the benchmark
reports its ratio to hello world beside the signed-in pages. ``FLOOR_DATABASE_URL`` names the
database; ``prepare`` creates its one table there before the workers start.
"""

from __future__ import annotations

import os
from pathlib import Path

import sqlalchemy as sa
from flask import Flask, render_template
from flask_babel import Babel
from flask_limiter import Limiter
from flask_login import LoginManager, UserMixin, login_required, login_user
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

SECRET_KEY = "bench-floor-secret-key-0123456789"
USER_ID = 1


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)


class FloorUser(UserMixin, db.Model):
    __tablename__ = "bench_floor_users"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(100))


def prepare(database_url: str) -> None:
    """Create the table and its one user (once, before gunicorn's workers import the app)."""
    engine = sa.create_engine(database_url)
    Base.metadata.create_all(engine)
    with engine.begin() as connection:
        if connection.scalar(sa.select(FloorUser.id).where(FloorUser.id == USER_ID)) is None:
            connection.execute(sa.insert(FloorUser).values(id=USER_ID, name="Ada Beispiel"))
    engine.dispose()


def create_app(database_url: str) -> Flask:
    app = Flask(__name__, template_folder=str(Path(__file__).resolve().parent / "templates"))
    app.config.update(SECRET_KEY=SECRET_KEY, SQLALCHEMY_DATABASE_URI=database_url)
    db.init_app(app)
    CSRFProtect(app)
    Babel(app, locale_selector=lambda: "de")
    Limiter(key_func=lambda: "global", app=app, storage_uri="memory://")
    logins = LoginManager(app)

    @logins.user_loader
    def load_user(user_id: str):
        return db.session.get(FloorUser, int(user_id))

    @app.get("/")
    def up():
        return "up"

    @app.get("/sign-in")
    def sign_in():
        login_user(db.session.get(FloorUser, USER_ID))
        return "signed in"

    @app.get("/home")
    @login_required
    def home():
        return render_template("floor.html")

    return app


if os.environ.get("FLOOR_DATABASE_URL"):
    app = create_app(os.environ["FLOOR_DATABASE_URL"])
