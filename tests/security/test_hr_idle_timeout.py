"""HR sessions end after an idle period (issue 14, item 9), configurable, 60 minutes by default."""

from __future__ import annotations

from eap.security import sessions
from tests.conftest import login_hr


def test_hr_idle_timeout(client, make_hr_user, monkeypatch):
    login_hr(client, make_hr_user())
    start = sessions.now()
    monkeypatch.setattr(sessions, "now", lambda: start + 59 * 60)
    assert client.get("/hr/").status_code == 200
    monkeypatch.setattr(sessions, "now", lambda: start + 59 * 60 + 61 * 60)
    response = client.get("/hr/")
    assert response.status_code == 302 and "/hr/login" in response.headers["Location"]
    assert client.get("/hr/").status_code == 302


def test_hr_idle_timeout_is_configurable(app, client, make_hr_user, monkeypatch):
    app.config["HR_IDLE_TIMEOUT"] = 10 * 60
    login_hr(client, make_hr_user())
    start = sessions.now()
    monkeypatch.setattr(sessions, "now", lambda: start + 11 * 60)
    assert client.get("/hr/").status_code == 302


def test_activity_keeps_an_hr_session_alive(client, make_hr_user, monkeypatch):
    login_hr(client, make_hr_user())
    start = sessions.now()
    for minutes in (50, 100, 150, 200):
        monkeypatch.setattr(sessions, "now", lambda minutes=minutes: start + minutes * 60)
        assert client.get("/hr/").status_code == 200, minutes
