"""Who may open a chat: its requester (account or guest cookie), the counsellor holding it,
triage and admins — nobody else, not another requester of the same employer, not another
counsellor, not HR."""

from __future__ import annotations

from tests.chat.conftest import counsellor_client, start_chat
from tests.conftest import login_hr, post_form
from tests.requests.conftest import sign_up


def test_only_the_chats_own_people_open_it(app, counsellor, make_staff, make_hr_user,
                                            working_code):
    organisation, code = working_code()
    owner, neighbour = app.test_client(), app.test_client()
    sign_up(owner, code)
    sign_up(neighbour, code)  # same employer, same poster code
    chat_id = start_chat(owner)
    post_form(counsellor, "/staff/chat/take", {"chat": chat_id}, from_url="/staff/chat/")
    url = f"/help/chat/{chat_id}"
    assert owner.get(url).status_code == 200
    assert neighbour.get(url).status_code == 404
    assert neighbour.get(url + "/events").status_code == 404
    assert post_form(neighbour, url + "/send", {"body": "x", "nonce": "n" * 20},
                     from_url="/help/requests/").status_code == 404
    other = counsellor_client(app, make_staff)
    assert other.get(f"/staff/chat/{chat_id}").status_code == 404
    assert counsellor.get(f"/staff/chat/{chat_id}").status_code == 200
    hr = app.test_client()
    login_hr(hr, make_hr_user(organisation=organisation, role="owner"))
    assert hr.get(f"/staff/chat/{chat_id}").status_code in (302, 403)
    assert hr.get(url).status_code == 404


def test_a_counsellor_not_holding_the_chat_cannot_write_to_the_person(app, counsellor,
                                                                      make_staff, working_code):
    _organisation, code = working_code()
    owner = app.test_client()
    sign_up(owner, code)
    chat_id = start_chat(owner)
    post_form(counsellor, "/staff/chat/take", {"chat": chat_id}, from_url="/staff/chat/")
    from tests.conftest import login_staff

    triage_person = make_staff("triage")
    triage = app.test_client()
    login_staff(triage, triage_person)
    assert triage.get(f"/staff/chat/{chat_id}").status_code == 200  # triage may read
    answer = post_form(triage, f"/staff/chat/{chat_id}/send", {"body": "hallo", "nonce": "t" * 24},
                       from_url=f"/staff/chat/{chat_id}")
    assert answer.status_code == 403


def test_opening_a_chat_is_audit_logged_without_its_content(app, counsellor, working_code):
    import sqlalchemy as sa

    from eap.extensions import db
    from eap.security.audit import AuditEntry
    from tests.chat.conftest import say

    _organisation, code = working_code()
    owner = app.test_client()
    sign_up(owner, code)
    chat_id = start_chat(owner)
    post_form(counsellor, "/staff/chat/take", {"chat": chat_id}, from_url="/staff/chat/")
    say(owner, f"/help/chat/{chat_id}", "sehr persönlich")
    counsellor.get(f"/staff/chat/{chat_id}")
    with app.app_context():
        entries = list(db.session.scalars(sa.select(AuditEntry)))
        views = [e for e in entries if e.action == "chat.view" and e.object_id == chat_id]
        assert views and views[-1].actor_id == counsellor.person.id
        assert not any("persönlich" in str(vars(e)) for e in entries)


def test_administrators_read_chats_but_do_not_take_them(app, make_staff):
    from tests.conftest import login_staff

    admin = app.test_client()
    with admin.session_transaction() as browser_session:
        browser_session["lang"] = "en"
    login_staff(admin, make_staff("admin"))
    assert admin.get("/staff/chat/").status_code == 200
    assert post_form(admin, "/staff/chat/take", from_url="/staff/chat/").status_code == 403
    assert post_form(admin, "/staff/chat/presence", {"hours": "2", "max_parallel": "2"},
                     from_url="/staff/chat/").status_code == 403
    page = admin.get("/staff/chat/").get_data(as_text=True)
    assert "Take the next chat" not in page and "Open for chats" not in page
