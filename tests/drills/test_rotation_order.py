"""Drill: ``rotate-keys`` refuses to run while a running host would break.

Rotation order (docs/operations.md): deploy ``[new, old]`` on every host, run ``rotate-keys``,
deploy ``[new]``. A host still on ``[old]`` answers 500 on every rotated row, so the command
asks every host it is given for its key ids (``/readyz``, over real HTTP) and refuses unless
each has the new key first and the old keys after it. A refusal changes no row.
"""

from __future__ import annotations

import threading
from contextlib import ExitStack, contextmanager

import pytest
from werkzeug.serving import make_server

from tests.conftest import make_test_app
from tests.drills.conftest import assert_all_found, dispose, read_everything, requester_flow
from tests.drills.test_key_rotation import KEY_A, KEY_B, _key_ids

pytestmark = pytest.mark.drill


@pytest.fixture
def app_settings():
    return {"DATA_KEYS": KEY_A}


@contextmanager
def running_host(database_url: str, folder, keys: str):
    """A portal process with ``keys``, served over HTTP on a free port."""
    app = make_test_app(database_url, str(folder), DATA_KEYS=keys, SERVER_NAME=None)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.port}"
    finally:
        server.shutdown()
        thread.join(10)
        dispose(app)


def _rotate(app, *hosts: str):
    args = ["rotate-keys"]
    for host in hosts:
        args += ["--host", host]
    return app.test_cli_runner().invoke(args=args)


@pytest.mark.parametrize("lagging_keys", [KEY_A, f"{KEY_A},{KEY_B}", KEY_B],
                         ids=["old-only", "new-second", "old-missing"])
def test_rotation_refuses_while_a_host_is_not_ready(app, _schema, tmp_path, lagging_keys):
    requester_flow(app, cases=1, replies=1)
    before = _key_ids(app)
    operator = make_test_app(_schema, str(tmp_path / "op"), DATA_KEYS=f"{KEY_B},{KEY_A}")
    with ExitStack() as stack:
        ready = stack.enter_context(running_host(_schema, tmp_path / "h1", f"{KEY_B},{KEY_A}"))
        lagging = stack.enter_context(running_host(_schema, tmp_path / "h2", lagging_keys))
        result = _rotate(operator, ready, lagging)
    assert result.exit_code != 0
    assert "Refusing to rotate" in result.output and lagging in result.output
    assert ready not in result.output.split("Refusing")[1]  # only the lagging host is named
    assert _key_ids(app) == before  # nothing was re-encrypted
    dispose(operator)


def test_rotation_needs_the_hosts_named_or_none_running(app, _schema, tmp_path):
    requester_flow(app, cases=1, replies=0)
    before = _key_ids(app)
    operator = make_test_app(_schema, str(tmp_path / "op"), DATA_KEYS=f"{KEY_B},{KEY_A}")
    result = _rotate(operator)
    assert result.exit_code != 0 and "--host" in result.output
    unreachable = _rotate(operator, "http://127.0.0.1:9")
    assert unreachable.exit_code != 0 and "no answer" in unreachable.output
    assert _key_ids(app) == before
    dispose(operator)


def test_rotation_runs_when_every_host_has_the_new_key_first(app, _schema, tmp_path):
    flow = requester_flow(app, cases=2, replies=1)
    total = sum(_key_ids(app).values())
    operator = make_test_app(_schema, str(tmp_path / "op"), DATA_KEYS=f"{KEY_B},{KEY_A}")
    with ExitStack() as stack:
        hosts = [stack.enter_context(running_host(_schema, tmp_path / f"h{n}",
                                                  f"{KEY_B},{KEY_A}")) for n in range(2)]
        result = _rotate(operator, *hosts)
        assert result.exit_code == 0, result.output
        assert all(f"{host}: keys ['b2', 'a1'] - ready" in result.output for host in hosts)
    assert _key_ids(app) == {"b2": total}
    dispose(operator)
    only_b = make_test_app(_schema, str(tmp_path / "b"), DATA_KEYS=KEY_B)
    assert_all_found(flow, read_everything(only_b))
    dispose(only_b)
