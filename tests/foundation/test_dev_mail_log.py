"""Development without a mail server: e-mails appear in the log as readable text."""

import logging

from eap import mail

LINK = "https://portal.example/hr/verify/" + "a" * 90 + ".Zz-Yy"


def test_dev_mail_is_logged_decoded_with_links_on_one_line(app, caplog):
    app.config["MAIL_SERVER"] = ""
    with app.app_context(), caplog.at_level(logging.INFO, logger="eap.mail"):
        assert mail.send("erika@muster.example", "Bestätigung für Ihr Konto",
                         f"Grüße aus Siegen – bitte bestätigen:\n\n{LINK}\n")
    text = caplog.text
    assert "Subject: Bestätigung für Ihr Konto" in text
    assert "Grüße aus Siegen – bitte bestätigen:" in text
    assert any(line.strip() == LINK for line in text.splitlines())
    assert "=C3" not in text and "=\n" not in text  # no quoted-printable left
