"""bandit (medium severity and above) and ruff must be clean: run both as the CI would."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def _tool(name: str) -> str:
    path = BIN / name if (BIN / name).exists() else shutil.which(name)
    if not path:
        pytest.fail(f"{name} is not installed (pip install -e '.[dev]')")
    return str(path)


def test_bandit_finds_nothing_at_medium_or_above():
    result = subprocess.run(
        [_tool("bandit"), "-q", "-c", "pyproject.toml", "-r", "eap", "-ll"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_is_clean():
    result = subprocess.run(
        [_tool("ruff"), "check", "--no-cache", "eap", "tests", "bench"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
