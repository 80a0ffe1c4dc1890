"""The production gunicorn settings (docs/operations.md, "Production deployment"): each worker
freezes what it loaded at start-up, so that the collector's full walks no longer pause
requests."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from bench.servers import free_port

ROOT = Path(__file__).resolve().parents[2]


def _serve_and_read(*config: str) -> int:
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", *config, "--workers", "1", "--bind",
         f"127.0.0.1:{port}", "tests.foundation.gc_probe:app"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as answer:
                    return int(answer.read())
            except OSError:
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.2)
    finally:
        server.terminate()
        server.wait(20)


def test_each_worker_freezes_its_start_up_objects():
    assert _serve_and_read() == 0  # the probe sees gunicorn's default
    assert _serve_and_read("-c", "python:eap.gunicorn_conf") > 10_000
