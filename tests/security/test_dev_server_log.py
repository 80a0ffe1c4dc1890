"""The development server (``make run``) must not log requester addresses (DESIGN.md §3.3)."""

import logging
import threading
import urllib.request

from werkzeug.serving import make_server


def test_development_server_logs_no_client_address(app, caplog):
    server = make_server("127.0.0.1", 0, app)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with caplog.at_level(logging.DEBUG):
            urllib.request.urlopen(f"http://127.0.0.1:{server.port}/help/", timeout=5).read()
    finally:
        server.shutdown()
        thread.join(timeout=5)
    assert "127.0.0.1" not in caplog.text
    assert "/help/" not in caplog.text
