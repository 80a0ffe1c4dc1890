"""Countries an organisation may sign up from: the EU (VAT IDs are checked as EU VAT IDs)."""

from flask_babel import get_locale

EU = ("AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE",
      "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK")


def country_choices() -> list[tuple[str, str]]:
    """(code, name in the page language), Germany first, then by name."""
    locale = get_locale()
    names = locale.territories if locale is not None else {}
    rest = sorted((c for c in EU if c != "DE"), key=lambda c: names.get(c, c))
    return [(code, names.get(code, code)) for code in ("DE", *rest)]


def vat_country(vat_id: str) -> str:
    """The ISO country of an EU VAT ID (Greece writes EL)."""
    prefix = vat_id[:2].upper()
    return "GR" if prefix == "EL" else prefix
