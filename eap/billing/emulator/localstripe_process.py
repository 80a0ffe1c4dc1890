"""localstripe, the emulator behind the stand-in: started as a child process on a free port."""

from __future__ import annotations

import http.client
import socket
import subprocess
import sys
import time

API_KEY = "sk_test_emulator"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_localstripe() -> tuple[subprocess.Popen, int]:
    """localstripe on a free loopback port, in memory; returns (process, port)."""
    port = free_port()
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "eap.billing.emulator.launcher", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            try:
                connection.request("GET", "/v1/customers")
                connection.getresponse().read()
                return process, port
            finally:
                connection.close()
        except OSError:
            time.sleep(0.05)
    process.kill()
    raise RuntimeError("localstripe did not start")
