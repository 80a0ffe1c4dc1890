"""The one module that sends e-mail (SMTP), or writes it to the log in development.

Call ``send`` after the database commit: a failed send must never undo saved work.
"""

from __future__ import annotations

import logging
import smtplib
import threading
from email.message import EmailMessage

from flask import current_app

log = logging.getLogger(__name__)


def send(to: str, subject: str, body: str) -> bool:
    """Send a plain-text e-mail; True when it went out (or was logged in development)."""
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["MAIL_SENDER"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    if not config["MAIL_SERVER"]:
        log.info("%s", readable(message))
        return True
    try:
        with smtplib.SMTP(config["MAIL_SERVER"], int(config["MAIL_PORT"]), timeout=10) as smtp:
            if config["MAIL_USE_TLS"]:
                smtp.starttls()
            if config["MAIL_USERNAME"]:
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
            smtp.send_message(message)
        return True
    except (OSError, smtplib.SMTPException):
        # Never log the address or the content: only that a send failed.
        log.warning("sending an e-mail failed", exc_info=False)
        return False


def readable(message: EmailMessage) -> str:
    """The e-mail as a developer reads it in the log: decoded text, every link on one line
    (the wire form is quoted-printable or base64, which breaks links and umlauts)."""
    rule = "-" * 72
    return "\n".join([
        "E-mail (not sent: no MAIL_SERVER configured)", rule,
        f"From:    {message['From']}", f"To:      {message['To']}",
        f"Subject: {message['Subject']}", rule, message.get_content().rstrip(), rule,
    ])


def send_in_background(to: str, subject: str, body: str) -> None:
    """Send without making the visitor wait, so timing reveals nothing about the recipient."""
    if current_app.config.get("MAIL_SYNC"):
        send(to, subject, body)
        return
    app = current_app._get_current_object()

    def worker():
        with app.app_context():
            send(to, subject, body)

    threading.Thread(target=worker, daemon=True).start()
