"""Run localstripe's aiohttp app on 127.0.0.1:PORT, in memory only (no pickle on every write)."""

import sys

from aiohttp import web
from localstripe import server
from localstripe.resources import store

# The stock server pickles its whole store to /tmp on every write: slow and shared between runs.
type(store).dump_to_disk = lambda self: None

if __name__ == "__main__":
    web.run_app(server.app, host="127.0.0.1", port=int(sys.argv[1]), print=None)
