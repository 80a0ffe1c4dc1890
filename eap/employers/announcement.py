"""The announcement kit: ready texts (German and English) for the intranet and a staff e-mail.

Written in both languages whatever the page language: many employers address mixed staff.
The texts name the service, the access link and code, and the confidentiality promise; they
never suggest that HR learns anything about who asks.
"""

from __future__ import annotations

from dataclasses import dataclass

from eap.employers.access_codes import grouped
from eap.employers.poster import access_link


@dataclass(frozen=True)
class KitText:
    key: str  # intranet-de, email-en, ...
    language: str
    kind: str  # "intranet" or "email"
    text: str


INTRANET = {
    "de": """Vertrauliche Hilfe für alle Beschäftigten und ihre Angehörigen

{org} bietet Ihnen und Ihren Angehörigen ab sofort das Mitarbeitenden-Unterstützungsprogramm der iGuS an: schnelle, unkomplizierte und vertrauliche Beratung bei medizinischen, psychischen und sozialen Belastungen – etwa bei Stress, Sorgen in der Familie, Pflege eines Angehörigen, Schulden oder Konflikten.

So geht's: Öffnen Sie {link} (oder geben Sie auf der Seite den Zugangscode {code} ein). Sie brauchen weder Namen noch E-Mail-Adresse.

Ihr Arbeitgeber erfährt nie, wer das Angebot nutzt oder worum es geht. Die Beratung ist für Sie kostenlos.

In akuten Notfällen: 112 (Rettungsdienst), 110 (Polizei), Telefonseelsorge 0800 111 0 111 (kostenlos, rund um die Uhr).""",
    "en": """Confidential help for all employees and their families

{org} now offers you and your family the iGuS employee assistance programme: fast, uncomplicated and confidential counselling for medical, psychological and social difficulties – for example stress, family worries, caring for a relative, debt or conflicts.

How it works: open {link} (or enter the access code {code} on the page). You need neither a name nor an e-mail address.

Your employer never learns who uses the service or what it is about. Counselling is free for you.

In an acute emergency: 112 (ambulance), 110 (police), Telefonseelsorge 0800 111 0 111 (free, day and night).""",
}

EMAIL = {
    "de": """Betreff: Neu: vertrauliche Beratung für Sie und Ihre Familie

Liebe Kolleginnen und Kollegen,

ab sofort können Sie und Ihre Angehörigen das Mitarbeitenden-Unterstützungsprogramm der iGuS nutzen – vertraulich, kostenlos und ohne Anmeldung mit Namen.

Zugang: {link}
Zugangscode: {code}

Wir als Arbeitgeber erfahren nicht, wer sich meldet oder worum es geht. Bitte geben Sie den Code auch an Ihre Familie weiter.

Viele Grüße
{org}""",
    "en": """Subject: New: confidential counselling for you and your family

Dear colleagues,

from today you and your families can use the iGuS employee assistance programme – confidential, free of charge and without giving your name.

Access: {link}
Access code: {code}

We as your employer do not learn who gets in touch or what it is about. Please pass the code on to your family as well.

Kind regards
{org}""",
}


def kit(organisation_name: str, plain_code: str) -> list[KitText]:
    values = {"org": organisation_name, "link": access_link(plain_code),
              "code": grouped(plain_code)}
    return [
        KitText(f"{kind}-{language}", language, kind, table[language].format(**values))
        for kind, table in (("intranet", INTRANET), ("email", EMAIL))
        for language in ("de", "en")
    ]
