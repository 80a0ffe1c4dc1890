"""Access codes for HR: rotate, extra codes, poster with a QR code of the access link."""

import re

import segno
from flask_babel import gettext

from eap.employers import access_codes
from eap.employers.models import AccessCode
from eap.employers.poster import access_link, qr_svg
from eap.extensions import db
from tests.conftest import login_hr, post_form
from tests.qr import decode_qr


def setup_org(app, client, make_hr_user, make_contract, make_access_code, role="manager"):
    user = make_hr_user(role=role)
    with app.app_context():
        from eap.employers.models import Organisation
        org = db.session.get(Organisation, user.organisation_id)
        db.session.expunge(org)
    make_contract(organisation=org)
    code, plain = make_access_code(org)
    login_hr(client, user)
    return user, code, plain


def test_code_is_long_unambiguous_and_grouped(app, english, make_hr_user, make_contract,
                                               make_access_code):
    _, code, plain = setup_org(app, english, make_hr_user, make_contract, make_access_code)
    assert len(plain) >= 10 and set(plain) <= set(access_codes.ALPHABET)
    assert not set("01OIL") & set(plain)
    page = english.get("/hr/access/").get_data(as_text=True)
    assert access_codes.grouped(plain) in page and "-" in access_codes.grouped(plain)


def test_rotating_stops_the_old_code_at_once(app, english, make_hr_user, make_contract,
                                            make_access_code):
    _, code, plain = setup_org(app, english, make_hr_user, make_contract, make_access_code)
    post_form(english, "/hr/access/rotate", from_url="/hr/access/")
    with app.test_request_context():
        assert access_codes.find_usable_code(plain) is None
        new = [c for c in access_codes.codes_of(code.organisation_id) if c.is_primary]
        assert len(new) == 1 and new[0].code != plain
        assert access_codes.find_usable_code(new[0].code) is not None


def test_extra_codes_with_labels_and_withdrawal(app, english, make_hr_user, make_contract,
                                               make_access_code):
    _, code, _ = setup_org(app, english, make_hr_user, make_contract, make_access_code)
    post_form(english, "/hr/access/codes", {"label": "Werk Kreuztal"}, from_url="/hr/access/")
    assert "Code for Werk Kreuztal" in english.get("/hr/access/").get_data(as_text=True)
    with app.app_context():
        extra = db.session.scalar(db.select(AccessCode).where(AccessCode.label == "Werk Kreuztal"))
    post_form(english, f"/hr/access/{extra.id}/revoke", from_url="/hr/access/")
    with app.app_context():
        assert not db.session.get(AccessCode, extra.id).active
    # The primary code can only be rotated, never withdrawn.
    page = post_form(english, f"/hr/access/{code.id}/revoke", from_url="/hr/access/",
                     follow_redirects=True)
    assert "cannot be withdrawn" in page.get_data(as_text=True)


def test_poster_in_both_languages_with_a_qr_code_of_the_access_link(
    app, client, make_hr_user, make_contract, make_access_code
):
    _, code, plain = setup_org(app, client, make_hr_user, make_contract, make_access_code)
    expected = f"http://localhost/help/access?code={plain}"
    for lang in ("de", "en"):
        page = client.get(f"/hr/access/{code.id}/poster?lang={lang}")
        html = page.get_data(as_text=True)
        assert page.status_code == 200 and f'<html lang="{lang}">' in html
        assert "css/poster.css" in html and "style=" not in html
        assert f'src="/hr/access/{code.id}/qr.svg"' in html and expected in html
        assert access_codes.grouped(plain) in html
    english_poster = client.get(f"/hr/access/{code.id}/poster?lang=en").get_data(as_text=True)
    assert "Your employer never learns who asked for help" in english_poster
    # Issue 16: the poster names the other languages, each in itself.
    assert "Help also in" in english_poster
    assert '<span lang="ar" dir="rtl">العربية</span>' in english_poster
    for name in ("Deutsch", "Türkçe", "Русский", "Українська"):
        assert f">{name}</span>" in english_poster
    assert ">English</span>" not in english_poster
    svg = client.get(f"/hr/access/{code.id}/qr.svg")
    assert svg.mimetype == "image/svg+xml"
    # The QR content: the served SVG is exactly segno's rendering of the expected link, and
    # segno's matrix for that link is a valid QR symbol carrying those bytes.
    with app.test_request_context():
        assert access_link(plain) == expected
        # fetched in the default language (German), its title too
        assert svg.data == qr_svg(expected, gettext("QR code of the access link"))
    assert segno.make(expected, error="q").designator.endswith("Q")
    # … and a QR reader (zxing-cpp) reads the access link back from that symbol.
    assert decode_qr(segno.make(expected, error="q")) == [expected]
    assert client.get(f"/hr/access/{code.id}/poster?lang=xx").status_code == 404


def test_poster_stylesheet_has_print_rules():
    from pathlib import Path
    css = Path(__file__).resolve().parents[2].joinpath("static/css/poster.css").read_text()
    assert "@media print" in css and re.search(r"@page\s*\{[^}]*A4", css)
