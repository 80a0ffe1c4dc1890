"""One commit per request, at the request boundary (as indico's request handler does).

Views and services add, change and flush; they do not commit. When the view has produced its
answer, ``commit_at_boundary`` commits the session if the request wrote and the status is below
400, and rolls it back otherwise (an error page, a refused form, an exception turned into a page
by ``eap.errors``).
The commit happens before the body is sent (streamed bodies and files included), and a commit
that fails is answered exactly as if the view had raised: 503 when the database is unavailable,
500 otherwise (``eap.errors``). Side effects that must wait for the commit (e-mails, pings) are
queued with ``after_commit`` and run only once the commit succeeded.

A CLI command commits once per batch: ``cli_batch`` after the whole command, ``end_batch`` in
loops that work in batches.

The few deliberate exceptions commit in the middle of a request through ``commit_now(reason)``,
each marked ``# Deliberate commit:`` (docs/architecture.md, "Transactions"). Nothing else calls
``commit()``: tests/foundation/test_transactions.py fails on a new one.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable

import sqlalchemy as sa
from flask import Flask, Response, current_app, g
from sqlalchemy.orm import Session

from eap.extensions import db

_QUEUE = "_eap_after_commit"
_WROTE = "eap_wrote"  # in ``Session.info``: something was written in this session

log = logging.getLogger(__name__)


@sa.event.listens_for(Session, "after_flush")
def _flushed(session, _context) -> None:
    session.info[_WROTE] = True


@sa.event.listens_for(Session, "do_orm_execute")
def _executed(state) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        state.session.info[_WROTE] = True


def _wrote(session) -> bool:
    return bool(session.info.pop(_WROTE, False) or session.new or session.dirty
                or session.deleted)


def commit_now(reason: str) -> None:
    """Commit in the middle of a request or command, for a named reason (see module doc)."""
    del reason  # the reason is for the reader and for grep; it is not logged
    db.session.commit()


def end_batch() -> None:
    """The end of one batch of a CLI command (or of a loop working in batches)."""
    db.session.commit()


def after_commit(callback: Callable, *args) -> None:
    """Run ``callback(*args)`` once this request's changes are committed (never on rollback)."""
    g.setdefault(_QUEUE, []).append((callback, args))


def cli_batch(command: Callable) -> Callable:
    """A CLI command as one transaction: committed when it returns, rolled back when it fails."""

    @functools.wraps(command)
    def wrapped(*args, **kwargs):
        try:
            result = command(*args, **kwargs)
        except BaseException:
            db.session.rollback()
            raise
        end_batch()
        for callback, args in g.pop(_QUEUE, []):
            callback(*args)
        return result

    return wrapped


def init_app(app: Flask) -> None:
    # Registered last, so it runs first of the after-request functions: a replacement error
    # page still gets the security headers.
    app.after_request(commit_at_boundary)


def commit_at_boundary(response: Response) -> Response:
    callbacks = g.pop(_QUEUE, [])
    touched = db.session.registry.has()  # False: the request never used the database
    if response.status_code >= 400:
        if touched:
            db.session.rollback()
        return response
    # A request that only read has nothing to commit: its connection is released at teardown,
    # where a connection lost after the page was made is discarded quietly (eap.errors).
    if touched and _wrote(db.session()):
        try:
            db.session.commit()
        except Exception as error:  # answered as if the view had raised it (eap.errors)
            app = current_app._get_current_object()
            return app.make_response(app.handle_user_exception(error))
    for callback, args in callbacks:
        try:
            callback(*args)
        except Exception as error:  # the answer stands: what it acknowledged is committed
            # The class name only: a database error's message quotes the statement (eap.errors).
            log.error("after the commit, %s failed: %s",
                      getattr(callback, "__name__", "a step"), type(error).__name__)
    return response
