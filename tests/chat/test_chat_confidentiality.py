"""DESIGN.md §3.2–3.3 for the live chat: after a guest's and a signed-in requester's chat,
with a note and a case made from it, the database holds no client address, user agent or
message text in plain; the guest's secret is stored only as a keyed digest."""

from __future__ import annotations

import re

from tests.chat.conftest import at_access_step, say, start_chat
from tests.conftest import post_form
from tests.requests.conftest import sign_up
from tests.security.test_confidentiality import ADDRESS, AGENT, ENVIRON, FORWARDED, dump_all_tables

GUEST_TEXT = "Mein Vorgesetzter schreit mich jeden Tag an"
OWN_TEXT = "Ich trinke seit Monaten zu viel"
NOTE_TEXT = "Verdacht auf Burnout, Rückruf morgen"


def test_a_chat_leaves_no_address_agent_or_plain_text(app, counsellor, working_code):
    _org, code = working_code()
    guest, own = app.test_client(), app.test_client()
    for client in (guest, own, counsellor):
        client.environ_base.update(ENVIRON)
    at_access_step(guest, code)
    guest_chat = start_chat(guest)
    sign_up(own, code)
    own_chat = start_chat(own)
    for chat_id in (guest_chat, own_chat):
        post_form(counsellor, "/staff/chat/take", {"chat": chat_id}, from_url="/staff/chat/")
    say(guest, f"/help/chat/{guest_chat}", GUEST_TEXT)
    say(own, f"/help/chat/{own_chat}", OWN_TEXT)
    say(counsellor, f"/staff/chat/{own_chat}", NOTE_TEXT, kind="note")
    guest.get(f"/help/chat/{guest_chat}/events")
    page = counsellor.get(f"/staff/chat/{own_chat}").get_data(as_text=True)
    nonce = re.findall(r'name="nonce" type="hidden" value="([^"]+)"', page)[-1]
    post_form(counsellor, f"/staff/chat/{own_chat}/case", {
        "nonce": nonce, "area": "psychological", "topic": "stress", "for_whom": "self",
        "urgency": "normal"}, from_url=f"/staff/chat/{own_chat}")
    with guest.session_transaction() as browser_session:
        sealed = browser_session["chat_guest"]["s"]
    with app.app_context():
        from eap.security import crypto

        guest_secret = crypto.decrypt(sealed)  # the cookie's secret; the table keeps a digest
    dump = dump_all_tables(app)
    for secret in (ADDRESS, FORWARDED, AGENT, "UniqueAgent", GUEST_TEXT, OWN_TEXT, NOTE_TEXT,
                   guest_secret):
        assert secret not in dump, secret
    assert not re.search(r"\b(?:\d{1,3}\.){3}\d{1,3}\b", dump), "an IP address in the database"
