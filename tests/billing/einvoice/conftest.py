import pytest

from tests.billing.einvoice import validation


@pytest.fixture(scope="session")
def rules(tmp_path_factory):
    """The Schematron rules, compiled once per test session (about a second)."""
    workdir = str(tmp_path_factory.mktemp("einvoice-rules"))
    validation._executables(workdir)
    return workdir


@pytest.fixture(scope="session")
def assert_valid(rules):
    """Fails unless the CII XML passes the CII XSD, EN 16931 and XRechnung Schematron."""

    def check(xml: bytes) -> None:
        assert validation.xsd_errors(xml) == []
        findings = validation.schematron_errors(xml, rules)
        assert findings == {"EN16931": [], "XRechnung": []}

    return check
