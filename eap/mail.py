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


def send(to: str, subject: str, body: str, attachments: list | None = None) -> bool:
    """Send a plain-text e-mail; True when it went out (or was logged in development).

    ``attachments``: (filename, MIME type, bytes) triples, e.g. an e-invoice."""
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["MAIL_SENDER"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    for filename, mime, content in attachments or ():
        maintype, _, subtype = mime.partition("/")
        message.add_attachment(content, maintype=maintype, subtype=subtype, filename=filename)
    if not config["MAIL_SERVER"]:
        # Only a developer's own machine may see a mail (links, tokens, addresses) in the log;
        # production refuses to start without a mail server (eap.config).
        if config["ENV_NAME"] == "development":
            log.info("%s", readable(message))
        else:
            log.warning("an e-mail was not sent: no MAIL_SERVER configured")
        return config["ENV_NAME"] == "development"
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
        f"Subject: {message['Subject']}", rule,
        message.get_body(preferencelist=("plain",)).get_content().rstrip(), rule,
    ])


def send_in_background(to: str, subject: str, body: str, attachments: list | None = None) -> None:
    """Send without making the visitor wait, so timing reveals nothing about the recipient."""
    if current_app.config["MAIL_SYNC"]:
        send(to, subject, body, attachments)
        return
    app = current_app._get_current_object()

    def worker():
        with app.app_context():
            send(to, subject, body, attachments)

    threading.Thread(target=worker, daemon=True).start()
