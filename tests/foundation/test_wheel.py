"""The built wheel carries templates, static files and compiled catalogues."""

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_wheel_contains_templates_static_files_and_catalogues(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
         "-w", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = tmp_path.glob("eap_portal-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in (
        "eap/__init__.py",
        "eap/templates/base.html",
        "eap/templates/public/index.html",
        "eap/static/vendor/pico/pico.min.css",
        "eap/static/css/eap.css",
        "eap/translations/de/LC_MESSAGES/messages.mo",
        "eap/translations/en/LC_MESSAGES/messages.mo",
        # Operators run `flask --app eap migrate` from the installed package.
        "eap/migrations/env.py",
        "eap/migrations/alembic.ini",
        "eap/migrations/versions/0001_initial_schema.py",
    ):
        assert required in names, required
    # Nothing of the development checkout travels along.
    assert not any(name.startswith(("tests/", "instance/", ".venv/")) for name in names)
    assert not any(name.endswith(("secret_key", "data_key", ".sqlite", ".pyc")) for name in names)
