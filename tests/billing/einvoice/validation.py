"""Validating CII XML offline: the UN/CEFACT CII D16B XSD, the CEN EN 16931 Schematron and the
KoSIT XRechnung Schematron (kept in ``tests/billing/einvoice_rules`` with their VERSION).

Schematron runs as XSLT with ``saxonche``. The EN 16931 rules are published compiled; the
XRechnung rules are compiled here once per process with SchXslt2, after declaring the ``xs``
and ``u`` prefixes as ``<ns>`` (the source only declares them as XML namespaces).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from lxml import etree
from saxonche import PySaxonProcessor

RULES = Path(__file__).resolve().parent.parent / "einvoice_rules"
SVRL = "{http://purl.oclc.org/dsdl/svrl}"


@dataclass(frozen=True)
class Finding:
    rule: str
    flag: str  # "fatal", "warning", "information" (or "")
    text: str


@functools.cache
def _processor() -> PySaxonProcessor:
    return PySaxonProcessor(license=False)


@functools.cache
def _xsd() -> etree.XMLSchema:
    main = RULES / "cii-xsd" / "CrossIndustryInvoice_100pD16B.xsd"
    return etree.XMLSchema(etree.parse(str(main)))


def xsd_errors(xml: bytes) -> list[str]:
    schema = _xsd()
    if schema.validate(etree.fromstring(xml)):
        return []
    return [f"{e.line}: {e.message}" for e in schema.error_log]


def _xrechnung_source(directory: Path) -> Path:
    """A copy of the XRechnung CII rules with the two missing ``<ns>`` declarations."""
    source = RULES / "xrechnung"
    (directory / "cii").mkdir(parents=True, exist_ok=True)
    (directory / "common.sch").write_bytes((source / "common.sch").read_bytes())
    text = (source / "cii" / "XRechnung-CII-validation.sch").read_text(encoding="utf-8")
    extra = ('  <ns prefix="xs" uri="http://www.w3.org/2001/XMLSchema" />\n'
             '  <ns prefix="u" uri="utils" />\n')
    text = re.sub(r"(<ns prefix=\"rsm\")", extra + r"\1", text, count=1)
    target = directory / "cii" / "XRechnung-CII-validation.sch"
    target.write_text(text, encoding="utf-8")
    return target


@functools.cache
def _executables(workdir: str):
    processor = _processor()
    xslt = processor.new_xslt30_processor()
    en16931 = xslt.compile_stylesheet(
        stylesheet_file=str(RULES / "en16931" / "EN16931-CII-validation.xslt"))
    source = _xrechnung_source(Path(workdir))
    transpiler = xslt.compile_stylesheet(stylesheet_file=str(RULES / "schxslt2" / "transpile.xsl"))
    compiled = Path(workdir) / "cii" / "XRechnung-CII-validation.xsl"
    transpiler.transform_to_file(source_file=str(source), output_file=str(compiled))
    xrechnung = xslt.compile_stylesheet(stylesheet_file=str(compiled))
    return en16931, xrechnung


def _findings(executable, xml: bytes) -> list[Finding]:
    processor = _processor()
    document = processor.parse_xml(xml_text=xml.decode("utf-8"))
    svrl = executable.transform_to_string(xdm_node=document)
    root = etree.fromstring(svrl.encode("utf-8"))
    found = []
    for node in root.iter(f"{SVRL}failed-assert", f"{SVRL}successful-report"):
        text = " ".join("".join(node.itertext()).split())
        found.append(Finding(node.get("id") or "", node.get("flag") or "", text))
    return found


def schematron_errors(xml: bytes, workdir: str) -> dict[str, list[Finding]]:
    """Fatal findings (errors) of both rule sets; warnings are left out."""
    en16931, xrechnung = _executables(workdir)
    result = {}
    for name, executable in (("EN16931", en16931), ("XRechnung", xrechnung)):
        findings = _findings(executable, xml)
        result[name] = [f for f in findings if f.flag not in ("warning", "information")]
    return result
