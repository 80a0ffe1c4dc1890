"""What the requests feature announces, so that features built on it can act without requests
importing them (docs/architecture.md, "Allowed import directions").

Counselling subscribes in eap/counselling/subscriptions.py, the on-call rota in
eap/oncall/subscriptions.py. Receivers run synchronously, in the
request's transaction, in the order they were connected.
"""

from blinker import Namespace

_signals = Namespace()

# A new request was stored (not yet committed). Sender: the HelpRequest; keyword:
# ``same_counsellor`` (the requester agreed to keep their previous counsellor).
request_created = _signals.signal("request-created")

# The new request is committed; notices may go out now. Sender: the HelpRequest (expired by the
# commit: a receiver that reads it queries the database again); keywords, read before the
# commit: ``is_new`` (False when a double submit returned the request stored before) and
# ``acute_danger``. A receiver that fails is logged; the requester's answer stands.
request_committed = _signals.signal("request-committed")

# A new acute-danger request was stored (not yet committed), from the web form or from phone
# intake: sent once, by eap.requests.cases.create_request (never for a second submit of the same
# form). Sender: the HelpRequest. Receivers act in the request's transaction and queue anything
# that must wait for the commit with eap.transactions.after_commit. The on-call rota subscribes
# (eap/oncall/subscriptions.py); the triage notice keeps ``request_committed``.
acute_request_stored = _signals.signal("acute-request-stored")

# The requester's own-data export of one case. Sender: the HelpRequest. Each receiver returns a
# dict that is added to the case's entry in the export.
case_exported = _signals.signal("case-exported")

# The requester's account is being erased. Sender: the RequesterAccount; keyword: ``case_ids``
# (a select of the ids of its cases). Receivers delete what they keep about those cases.
cases_erasing = _signals.signal("cases-erasing")

# A new anonymous account was created online (not yet committed). Sender: the RequesterAccount.
# The live chat attaches a guest's chat that the person chose to keep.
account_created = _signals.signal("account-created")

# The requester's own-data export of the whole account. Sender: the RequesterAccount. Each
# receiver returns a dict that is added to the export's top level (the live chats).
account_exported = _signals.signal("account-exported")
