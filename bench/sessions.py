"""Sign in over HTTP like a browser, to load the signed-in pages with a real session cookie."""

from __future__ import annotations

import http.cookiejar
import re
import urllib.parse
import urllib.request

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class Browser:
    def __init__(self, base: str):
        self.base = base
        # The portal's cookie is Secure (__Host-); the benchmark talks plain HTTP on loopback.
        policy = http.cookiejar.DefaultCookiePolicy(secure_protocols=("https", "wss", "http"))
        self.jar = http.cookiejar.CookieJar(policy)
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=10) as response:  # nosec B310
            return response.read().decode()

    def submit(self, path: str, fields: dict[str, str], page: str | None = None) -> str:
        token = CSRF.search(self.get(page or path)).group(1)
        data = urllib.parse.urlencode({"csrf_token": token, **fields}).encode()
        with self.opener.open(self.base + path, data=data, timeout=10) as response:  # nosec B310
            return response.geturl()

    def cookie_header(self) -> str:
        return "; ".join(f"{c.name}={c.value}" for c in self.jar)
