"""What the chat announces, so that features above it act without the chat importing them.

``acute_waiting`` (after the commit; sender: the chat's public id): an acute waiter entered the
waiting room — the on-call rota notifies whoever is on call.
"""

from blinker import Namespace

_signals = Namespace()

acute_waiting = _signals.signal("chat-acute-waiting")
