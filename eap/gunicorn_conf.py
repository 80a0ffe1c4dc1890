"""gunicorn settings for the portal, read with ``gunicorn -c python:eap.gunicorn_conf``.

Python's cyclic garbage collector now and then walks every object a worker holds. After start-up
that is about 140,000 objects (the app, the models, SQLAlchemy's metadata, the templates and
catalogues), and one such walk takes 60–70 ms. It lands on whichever request happens to be
running, and every request queued behind it waits too: that was the p99 of the staff pages. The
start-up objects live as long as the worker does, so each worker freezes them once, after
loading the app. The collector then skips them, and its occasional full walk costs a millisecond
or two. Everything allocated while serving requests is collected exactly as before.

Slow clients: a sync worker reads each request as slowly as its client sends it, so a few
connections trickling their headers block every worker. gunicorn must therefore only be
reachable through a buffering reverse proxy (nginx, deploy/nginx/eap.conf). ``on_starting``
refuses a public listening address unless the operator states that such a proxy is in front
(``EAP_BUFFERING_PROXY=1``); ``tests/drills/test_slow_clients.py`` drills it.
"""

from __future__ import annotations

import gc
import os

# Workers that read a whole request on one connection before taking the next.
BLOCKING_WORKERS = {"sync", "gthread"}
LOCAL_PREFIXES = ("unix:", "fd://", "127.", "localhost:", "[::1]:")


def public_binds(binds: list[str]) -> list[str]:
    """The listening addresses other machines could reach (not loopback, not a Unix socket)."""
    return [bind for bind in binds if not bind.startswith(LOCAL_PREFIXES)]


def on_starting(server) -> None:
    """gunicorn's hook, called in the master before it opens its sockets."""
    exposed = public_binds(list(server.cfg.bind))
    if (exposed and server.cfg.worker_class_str in BLOCKING_WORKERS
            and os.environ.get("EAP_BUFFERING_PROXY", "") not in ("1", "true", "yes")):
        # gunicorn prints a RuntimeError as "Error: ..." and exits with status 1.
        raise RuntimeError(
            f"refusing to listen on {', '.join(exposed)} with {server.cfg.worker_class_str} "
            "workers: slow clients would block every worker. Put a buffering reverse proxy "
            "(nginx) in front and set EAP_BUFFERING_PROXY=1, or bind to 127.0.0.1 or a Unix "
            "socket (docs/operations.md, Slow clients)."
        )


def post_worker_init(worker) -> None:
    """gunicorn's hook, called once in each worker just after it has loaded the app."""
    gc.collect()
    gc.freeze()
