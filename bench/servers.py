"""Start and stop gunicorn servers for the benchmark."""

from __future__ import annotations

import os
import socket
import subprocess  # nosec B404 - starts local gunicorn processes only
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORKERS = 2 * (os.cpu_count() or 1)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait(url: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)  # nosec B310 - local server
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"server at {url} did not start")


@contextmanager
def gunicorn(app_spec: str, env: dict[str, str]):
    """Serve ``app_spec`` with sync workers (2 × cores), the portal's gunicorn settings and no
    access log; yield its base URL."""
    port = free_port()
    command = [
        sys.executable, "-m", "gunicorn", "-c", "python:eap.gunicorn_conf",
        "-k", "sync", "-w", str(WORKERS),
        "-b", f"127.0.0.1:{port}", "--log-level", "warning", app_spec,
    ]
    process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **env})  # nosec B603
    try:
        base = f"http://127.0.0.1:{port}"
        _wait(base + "/")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)
