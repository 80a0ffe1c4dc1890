"""gunicorn settings for the portal, read with ``gunicorn -c python:eap.gunicorn_conf``.

Python's cyclic garbage collector now and then walks every object a worker holds. After start-up
that is about 140,000 objects (the app, the models, SQLAlchemy's metadata, the templates and
catalogues), and one such walk takes 60–70 ms. It lands on whichever request happens to be
running, and every request queued behind it waits too: that was the p99 of the staff pages. The
start-up objects live as long as the worker does, so each worker freezes them once, after
loading the app. The collector then skips them, and its occasional full walk costs a millisecond
or two. Everything allocated while serving requests is collected exactly as before.
"""

from __future__ import annotations

import gc


def post_worker_init(worker) -> None:
    """gunicorn's hook, called once in each worker just after it has loaded the app."""
    gc.collect()
    gc.freeze()
