"""Issue 16: the first requester page shows crisis help before any code, key or passphrase;
the iGuS phone line is on every requester page; dependants learn who counts."""

import pytest

from eap import create_app


@pytest.mark.parametrize("path", ["/help/", "/help/access"])
def test_first_page_shows_crisis_help_before_any_form(client, path):
    client.get("/language/en?next=/help/")
    page = client.get(path).get_data(as_text=True)
    main = page.split("<main")[1]
    crisis = main.index("crisis-first")
    assert crisis < main.index("<form"), "the crisis help comes before the first form"
    for dial in ("tel:112", "tel:110", "tel:+498001110111"):
        assert dial in main[crisis:main.index("<form")]
    assert 'href="/emergency"' in main
    assert "For family members" in main and "on your own" in main


def test_phone_line_with_hours_on_requester_pages(client):
    client.get("/language/en?next=/help/")
    page = client.get("/help/").get_data(as_text=True)
    assert "Would you rather talk than type?" in page
    assert 'href="tel:+492710000000"' in page and "Monday – Friday" in page


def test_phone_line_can_be_switched_off(tmp_path):
    app = create_app({"TESTING": True, "SECRET_KEY": "x" * 40, "PHONE_LINE_NUMBER": "",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'db.sqlite'}"})
    page = app.test_client().get("/help/").get_data(as_text=True)
    assert "phone-line" not in page


def test_wrong_phone_hours_stop_start_up(tmp_path):
    with pytest.raises(ValueError, match="PHONE_LINE_HOURS"):
        create_app({"TESTING": True, "SECRET_KEY": "x" * 40, "PHONE_LINE_HOURS": "daily",
                    "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'db.sqlite'}"})


def test_emergency_page_lists_every_number_with_purpose_and_languages(client):
    client.get("/language/tr?next=/help/")
    page = client.get("/emergency").get_data(as_text=True)
    assert '<html lang="tr"' in page
    for number in ("116 117", "0800 111 0 222", "116 123", "116 111", "116 016"):
        assert number in page
    assert "Almanca yanıt verir" in page
