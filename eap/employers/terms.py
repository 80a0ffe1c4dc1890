"""Terms of service and AVV: versioned files, acceptance per organisation, HTML and PDF.

Files live in ``eap/employers/legal/<document>/<version>.<language>.md``; the newest version
(by name) is in force. An organisation has accepted a document when a ``TermsAcceptance``
row names its current version.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from eap.employers.terms_models import DOCUMENTS, TermsAcceptance
from eap.extensions import db
from eap.pdf import Document

LEGAL = Path(__file__).resolve().parent / "legal"
LANGUAGES = ("de", "en")
TITLES = {"terms": _l("Terms of service"), "avv": _l("Data-processing agreement (AVV)")}


@dataclass(frozen=True)
class LegalText:
    document: str
    version: str
    language: str
    title: str
    sections: tuple[tuple[str, tuple[str, ...]], ...]  # (heading, paragraphs)


@cache
def versions(document: str) -> tuple[str, ...]:
    """Every published version of ``document``, oldest first."""
    names = {path.name.split(".")[0] for path in (LEGAL / document).glob("*.md")}
    return tuple(sorted(names))


def current_version(document: str) -> str:
    return versions(document)[-1]


@cache
def load(document: str, version: str, language: str) -> LegalText:
    """The document as sections; raises KeyError for an unknown document, version or language."""
    if document not in DOCUMENTS or version not in versions(document):
        raise KeyError(document)
    language = language if language in LANGUAGES else "de"
    lines = (LEGAL / document / f"{version}.{language}.md").read_text("utf-8").splitlines()
    title, sections, heading, paragraphs = "", [], "", []
    for line in lines:
        if line.startswith("# "):
            title = line[2:].strip()
        elif line.startswith("## "):
            if heading or paragraphs:
                sections.append((heading, tuple(paragraphs)))
            heading, paragraphs = line[3:].strip(), []
        elif line.strip():
            paragraphs.append(line.strip())
    sections.append((heading, tuple(paragraphs)))
    return LegalText(document, version, language, title, tuple(sections))


def as_html(text: LegalText) -> Markup:
    parts = []
    for heading, paragraphs in text.sections:
        if heading:
            parts.append(Markup("<h2>%s</h2>") % heading)
        parts.extend(Markup("<p>%s</p>") % paragraph for paragraph in paragraphs)
    return Markup("\n").join(parts) if parts else escape("")


def as_pdf(text: LegalText) -> bytes:
    pdf = Document(text.title, footer=f"{text.document.upper()} {text.version} ({text.language})")
    for heading, paragraphs in text.sections:
        if heading:
            pdf.heading(heading, size=11)
        for paragraph in paragraphs:
            pdf.paragraph(paragraph)
    return pdf.output()


def accepted_versions(organisation_id: int) -> dict[str, str]:
    """The newest accepted version of each document ("" if never accepted)."""
    rows = db.session.execute(
        sa.select(TermsAcceptance.document, TermsAcceptance.version, TermsAcceptance.accepted_at)
        .where(TermsAcceptance.organisation_id == organisation_id)
        .order_by(TermsAcceptance.id)
    ).all()
    found = {document: "" for document in DOCUMENTS}
    for row in rows:
        found[row.document] = row.version
    return found


def acceptances(organisation_id: int) -> list[TermsAcceptance]:
    return list(db.session.scalars(
        sa.select(TermsAcceptance).where(TermsAcceptance.organisation_id == organisation_id)
        .order_by(TermsAcceptance.id.desc())
    ))


def has_accepted_current(organisation_id: int) -> bool:
    accepted = accepted_versions(organisation_id)
    return all(accepted[d] == current_version(d) for d in DOCUMENTS)


def needs_renewal(organisation_id: int) -> bool:
    """Accepted an older version once, and not yet the current one: ask an owner again."""
    accepted = accepted_versions(organisation_id)
    return any(accepted.values()) and not has_accepted_current(organisation_id)


def accept_current(organisation_id: int, hr_user_id: int) -> None:
    """Record acceptance of the current version of every document not yet accepted (flushes)."""
    accepted = accepted_versions(organisation_id)
    for document in DOCUMENTS:
        version = current_version(document)
        if accepted[document] != version:
            db.session.add(TermsAcceptance(
                organisation_id=organisation_id, hr_user_id=hr_user_id,
                document=document, version=version,
            ))
    db.session.flush()
