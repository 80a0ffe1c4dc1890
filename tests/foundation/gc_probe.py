"""A WSGI app that answers how many objects its gunicorn worker froze out of the collector."""

import gc


def app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [str(gc.get_freeze_count()).encode()]
