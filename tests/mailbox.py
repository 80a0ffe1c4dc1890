"""A real local SMTP server (aiosmtpd) that keeps what it receives, for tests that read mail."""

from __future__ import annotations

import email
import email.policy
import socket
import time

from aiosmtpd.controller import Controller


class Mailbox:
    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd handler hook
        self.messages.append(
            email.message_from_bytes(envelope.content, policy=email.policy.default)
        )
        return "250 OK"

    def wait_for(self, to: str, timeout: float = 5.0):
        """The newest message to ``to``, waiting for it to arrive."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for message in reversed(self.messages):
                if to in message["To"]:
                    return message
            time.sleep(0.05)
        raise AssertionError(f"no e-mail to {to} arrived")

    def body(self, to: str, timeout: float = 5.0) -> str:
        return self.wait_for(to, timeout).get_content()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start() -> tuple[Controller, Mailbox]:
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    return controller, mailbox
