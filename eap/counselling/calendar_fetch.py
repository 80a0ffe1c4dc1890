"""Fetching a counsellor's calendar link without letting it reach inside the network (SSRF).

The one module of the portal that opens an outgoing HTTP connection to an address someone typed
in. The rules, each refused with a short reason (``Refused``):

- https only, a host name, no user name or password in the link;
- the host is resolved once (``resolve``); if **any** of its addresses is loopback, private,
  link-local, multicast, reserved, unspecified, otherwise not global, or an IPv4-mapped/6to4
  IPv6 address of such a one, the link is refused (``vet_address``);
- the connection goes to the vetted address itself (pinned), with SNI, certificate check and
  ``Host`` for the name, so a DNS answer that changes in between (rebinding) is never used;
- redirects are not followed (a 3xx is a failure that names the status);
- at most ``MAX_BYTES`` are read (a larger answer is refused, the rest never read) and the whole
  fetch takes at most ``TIME_LIMIT`` seconds.

Standard library only (``http.client``, ``ssl``, ``socket``, ``ipaddress``).
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import time
from collections.abc import Callable
from urllib.parse import urlsplit

MAX_BYTES = 2 * 1024 * 1024
TIME_LIMIT = 10.0  # seconds for the whole fetch
MAX_URL_LENGTH = 2000
CHUNK = 64 * 1024


class Refused(ValueError):
    """The link may not be fetched, or fetching it failed; ``str()`` is a short reason."""


def check_url(url: str) -> tuple[str, int, str]:
    """(host, port, path with query) of an acceptable link; raises ``Refused`` (no look-up)."""
    url = (url or "").strip()
    if len(url) > MAX_URL_LENGTH:
        raise Refused("link too long")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise Refused("not a valid link") from error
    if parts.scheme.lower() != "https":
        raise Refused("not https")
    if parts.username is not None or parts.password is not None:
        raise Refused("user name or password in the link")
    host = (parts.hostname or "").rstrip(".").lower()
    if not host:
        raise Refused("no host")
    if host == "localhost" or host.endswith(".localhost"):
        raise Refused("host not allowed")
    try:
        literal = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    if literal is not None:
        vet_address(str(literal))
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return host, port or 443, path


def _refused(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    return (address.is_loopback or address.is_private or address.is_link_local
            or address.is_multicast or address.is_reserved or address.is_unspecified
            or not address.is_global)


def vet_address(address: str) -> None:
    """Raise ``Refused`` unless ``address`` is a public unicast address."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError as error:
        raise Refused("address not allowed") from error
    inner = []
    if ip.version == 6:
        inner = [a for a in (ip.ipv4_mapped, ip.sixtofour) if a is not None]
        if ip.teredo:
            inner += list(ip.teredo)
    if _refused(ip) or any(_refused(a) for a in inner):
        raise Refused("address not allowed")


def resolve(host: str, port: int) -> list[str]:
    """Every address the name resolves to (IPv4 and IPv6), in the resolver's order."""
    try:
        answers = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise Refused("host not found") from error
    addresses = []
    for _family, _type, _proto, _name, sockaddr in answers:
        if sockaddr[0] not in addresses:
            addresses.append(sockaddr[0])
    if not addresses:
        raise Refused("host not found")
    return addresses


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to a fixed address, with SNI, certificate check and ``Host`` for the name."""

    def __init__(self, host: str, port: int, address: str, timeout: float,
                 context: ssl.SSLContext):
        super().__init__(host, port, timeout=timeout, context=context)
        self._address = address
        self._tls = context
        self.tls_socket: ssl.SSLSocket | None = None  # kept: the response reads from it

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), timeout=self.timeout)
        self.sock = self.tls_socket = self._tls.wrap_socket(sock, server_hostname=self.host)


def fetch(url: str, *, resolver: Callable[[str, int], list[str]] = resolve,
          vet: Callable[[str], None] = vet_address, context: ssl.SSLContext | None = None,
          max_bytes: int = MAX_BYTES, time_limit: float = TIME_LIMIT) -> bytes:
    """The body of the calendar link; raises ``Refused`` with a short reason.

    ``resolver``, ``vet`` and ``context`` are parameters for the tests (a local TLS server on
    127.0.0.1 with its own certificate); the portal always uses the defaults.
    """
    deadline = time.monotonic() + time_limit
    host, port, path = check_url(url)
    addresses = resolver(host, port)
    for address in addresses:  # any bad address refuses the name
        vet(address)
    context = context or ssl.create_default_context()

    def remaining() -> float:
        left = deadline - time.monotonic()
        if left <= 0:
            raise Refused("took too long")
        return left

    connection = _PinnedHTTPSConnection(host, port, addresses[0], remaining(), context)
    try:
        connection.request("GET", path, headers={
            "Accept": "text/calendar, */*;q=0.1", "Accept-Encoding": "identity",
            "User-Agent": "eap-portal-calendar/1", "Connection": "close",
        })
        response = connection.getresponse()
        if response.status != 200:
            moved = " (redirects are not followed)" if 300 <= response.status < 400 else ""
            raise Refused(f"HTTP {response.status}{moved}")
        length = response.getheader("Content-Length")
        if length and length.isdigit() and int(length) > max_bytes:
            raise Refused("calendar too large")
        body = bytearray()
        while True:
            connection.tls_socket.settimeout(remaining())
            chunk = response.read1(CHUNK)
            if not chunk:
                break
            body += chunk
            if len(body) > max_bytes:
                raise Refused("calendar too large")
        remaining()
        return bytes(body)
    except ssl.SSLCertVerificationError as error:
        raise Refused("certificate not valid") from error
    except TimeoutError as error:
        raise Refused("took too long") from error
    except (OSError, http.client.HTTPException) as error:
        raise Refused("connection failed") from error
    finally:
        connection.close()
