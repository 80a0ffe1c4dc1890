"""The allowed import directions between the feature packages (docs/architecture.md).

Every ``import`` of an ``eap`` module is read from the source, also those inside functions: a
package may import only from packages in a lower layer. That rules out cycles, and it keeps
infrastructure (``security``) free of feature models and features free of each other's
internals where the map says so.
"""

from __future__ import annotations

import ast
from pathlib import Path

EAP = Path(__file__).resolve().parents[2] / "eap"

# Lowest first. Packages of one layer must not import each other either.
LAYERS: list[set[str]] = [
    {"foundation"},  # eap/*.py: settings, database, gettext, mail, PDF, forms, errors …
    {"security"},  # sessions, audit, crypto, rate limits: knows no feature
    {"staff", "packages"},  # iGuS staff accounts; the service packages on sale
    {"employers"},  # organisations, HR users, access codes, terms
    {"billing"},  # contracts (and the access rule), Stripe, orders, invoices
    {"requests"},  # requesters, their cases and messages, the usage counters
    {"counselling", "reports"},  # staff casework and appointments; the reports
    {"admin"},  # iGuS administration
    {"public"},  # the public pages
    {"oncall"},  # the on-call rota, its notices, who can be reached now
    {"chat"},  # the live chat, its desk; tells the on-call rota about acute chat waiters
    {"app"},  # the app factory, CLI, demo data, health check, template globals
]
# Top-level modules that compose the app rather than serve the features.
APP_MODULES = {"__init__", "all_models", "cli", "demo", "health_views", "template_globals",
               "gunicorn_conf"}
LAYER_OF = {package: rank for rank, layer in enumerate(LAYERS) for package in layer}


def package_of(module: str) -> str:
    """``eap.billing.models`` → ``billing``; ``eap.i18n`` → ``foundation``."""
    parts = module.split(".")
    if len(parts) == 1:
        return "app"  # "import eap" / "from eap import X" (X resolved by the caller)
    if (EAP / parts[1]).is_dir():
        return parts[1]
    return "app" if parts[1] in APP_MODULES else "foundation"


def imports_of(path: Path) -> list[tuple[int, str]]:
    """(line, imported eap module) for every import in the file, nested ones included."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.startswith("eap")]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module == "eap":  # from eap import mail, i18n …
                found += [(node.lineno, f"eap.{a.name}") for a in node.names]
            elif node.module.startswith("eap."):
                found.append((node.lineno, node.module))
    return found


def module_name(path: Path) -> str:
    parts = path.relative_to(EAP.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def violations() -> list[str]:
    found = []
    for path in sorted(EAP.rglob("*.py")):
        source = package_of(module_name(path))
        for line, target_module in imports_of(path):
            target = package_of(target_module)
            if target == source:
                continue
            if LAYER_OF[target] >= LAYER_OF[source]:
                found.append(f"{path.relative_to(EAP.parent)}:{line} ({source}) imports "
                             f"{target_module} ({target})")
    return found


def test_every_package_is_on_the_map():
    packages = {p.name for p in EAP.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert packages - {"translations", "data"} <= set(LAYER_OF)


def test_packages_import_only_from_lower_layers():
    assert violations() == []


def test_the_check_sees_an_upward_import(tmp_path, monkeypatch):
    """The test above could pass by seeing nothing: an upward import must be reported."""
    fake = tmp_path / "eap"
    (fake / "security").mkdir(parents=True)
    (fake / "billing").mkdir()
    (fake / "security" / "__init__.py").write_text("")
    (fake / "billing" / "__init__.py").write_text("")
    (fake / "security" / "sessions.py").write_text(
        "def load():\n    from eap.billing.models import Contract\n    return Contract\n")
    monkeypatch.setattr(__import__(__name__, fromlist=["EAP"]), "EAP", fake)
    assert violations() == ["eap/security/sessions.py:2 (security) imports "
                            "eap.billing.models (billing)"]


ROUTE = ("get", "post", "route", "put", "delete", "patch")


def defines_routes(path: Path) -> bool:
    """Whether the module declares a view (``@bp.get(...)``, ``@bp.route(...)`` …)."""
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.FunctionDef):
            for decorator in node.decorator_list:
                call = decorator.func if isinstance(decorator, ast.Call) else decorator
                if isinstance(call, ast.Attribute) and call.attr in ROUTE:
                    return True
    return False


def test_route_modules_are_named_views():
    """One convention for route modules: ``views.py`` or ``<topic>_views.py``."""
    misnamed = [str(path.relative_to(EAP.parent)) for path in sorted(EAP.rglob("*.py"))
                if defines_routes(path) and not path.stem.endswith("views")]
    assert misnamed == []


def test_only_the_stripe_gateway_imports_stripe():
    """One owner per external service: the Stripe SDK is imported in eap/billing/gateway/ only
    (a package since issue 19 split the 441-line module by responsibility)."""
    importers = set()
    for path in sorted(EAP.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            if any(name == "stripe" or name.startswith("stripe.") for name in names):
                importers.add(path.relative_to(EAP).parent.as_posix())
    assert importers == {"billing/gateway"}
