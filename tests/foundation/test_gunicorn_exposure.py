"""gunicorn's sync workers must not face the network without a buffering proxy: the portal's
gunicorn settings refuse a public address unless EAP_BUFFERING_PROXY says one is in front
(the drill tests/drills/test_slow_clients.py shows why)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from bench.servers import free_port
from eap import gunicorn_conf

ROOT = Path(__file__).resolve().parents[2]


def test_gunicorn_refuses_a_public_address_without_a_proxy():
    env = {k: v for k, v in os.environ.items() if k != "EAP_BUFFERING_PROXY"}
    result = subprocess.run(
        [sys.executable, "-m", "gunicorn", "-c", "python:eap.gunicorn_conf", "--workers", "1",
         "--bind", f"0.0.0.0:{free_port()}", "tests.foundation.gc_probe:app"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 1
    assert "refusing to listen on 0.0.0.0" in result.stderr
    assert "Booting worker" not in result.stderr and "Listening at" not in result.stderr


@pytest.mark.parametrize("binds, public", [
    (["127.0.0.1:8000"], []),
    (["unix:/run/eap/gunicorn.sock"], []),
    (["[::1]:8000", "localhost:8000"], []),
    (["0.0.0.0:8000"], ["0.0.0.0:8000"]),
    (["10.0.0.5:8000", "127.0.0.1:8000"], ["10.0.0.5:8000"]),
    (["[::]:8000"], ["[::]:8000"]),
])
def test_public_binds(binds, public):
    assert gunicorn_conf.public_binds(binds) == public


def _server(bind: str, worker: str):
    return SimpleNamespace(cfg=SimpleNamespace(bind=[bind], worker_class_str=worker))


@pytest.mark.parametrize("proxy, worker, refused", [
    ("", "sync", True), ("", "gthread", True), ("1", "sync", False), ("", "gevent", False),
])
def test_the_operator_states_the_proxy(monkeypatch, proxy, worker, refused):
    monkeypatch.setenv("EAP_BUFFERING_PROXY", proxy)
    if refused:
        with pytest.raises(RuntimeError, match="buffering reverse proxy"):
            gunicorn_conf.on_starting(_server("0.0.0.0:8000", worker))
    else:
        gunicorn_conf.on_starting(_server("0.0.0.0:8000", worker))
    gunicorn_conf.on_starting(_server("127.0.0.1:8000", worker))  # local: always fine
