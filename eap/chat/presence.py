"""Whether the live chat can be reached now.

A stand-in: the chat feature (issue 25) replaces this module with the real one. Until then the
chat is never offered.
"""

from __future__ import annotations

from datetime import datetime


def chat_available_now(moment: datetime) -> bool:
    """True while the chat desk is staffed at ``moment``; the chat feature replaces this.

    The answer may depend on staff availability only, never on how many requesters wait or
    chat (the requester pages show it: eap.oncall.reachable).
    """
    del moment
    return False
