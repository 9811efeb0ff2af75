"""Sending one webhook request: a POST with a short timeout, no redirects followed (a 3xx is a failed
attempt), and only the answer's status kept (a receiver's body may echo what we sent).

A partner chooses the URL, so the portal must not become its way into our own network: a host that
resolves to a loopback, private, link-local or otherwise non-public address is refused when the endpoint
is saved and again before each request (its DNS may have changed since), unless
``WEBHOOK_ALLOW_PRIVATE_ADDRESSES`` is on (a laptop, the tests)."""

import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

USER_AGENT = "WalletBoard-Webhooks/1"
SCHEMES = ("http", "https")


@dataclass(frozen=True)
class Answer:
    status: int | None
    duration_ms: int
    error: str = ""

    @property
    def succeeded(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


def url_problem(url: str, *, livemode: bool) -> str | None:
    """Why ``url`` cannot receive webhooks, or None. Live endpoints must use HTTPS."""
    try:
        parts = urlsplit(url or "")
        port = parts.port
    except ValueError:
        return _("Enter a valid URL.")
    if parts.scheme not in SCHEMES or not parts.hostname:
        return _("Enter an http:// or https:// URL.")
    if livemode and parts.scheme != "https":
        return _("A live endpoint must use https://.")
    if parts.username or parts.password:
        return _("Put no user name or password in the URL; verify our signature instead.")
    if port == 0:
        return _("Enter a valid port.")
    if len(url) > 2000:
        return _("The URL is too long (2000 characters at most).")
    if _private_address(parts.hostname, port):
        return _("The URL leads to a private or local address: give one that is reachable from the internet.")
    return None


def _private_address(host: str, port: int | None) -> str | None:
    """The first address of ``host`` that is not public, or None (a name that does not resolve has none:
    its requests fail as such)."""
    if settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES:
        return None
    try:
        infos = socket.getaddrinfo(host, port or 443, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        return None
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        if not address.is_global or address.is_multicast:
            return str(address)
    return None


def post(url: str, body: bytes, headers: dict[str, str], *, timeout: float) -> Answer:
    parts = urlsplit(url)
    if _private_address(parts.hostname, parts.port):
        return Answer(None, 0, "refused: the host resolves to a private or local address")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    if parts.scheme == "https":
        connection = http.client.HTTPSConnection(
            parts.hostname, parts.port, timeout=timeout, context=ssl.create_default_context()
        )
    else:
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    started = time.monotonic()
    try:
        connection.request(
            "POST",
            path,
            body=body,
            headers={"Content-Type": "application/json", "User-Agent": USER_AGENT, **headers},
        )
        response = connection.getresponse()
        response.read(64 * 1024)  # drained, never kept
        return Answer(response.status, _elapsed(started))
    except TimeoutError:
        return Answer(None, _elapsed(started), f"no answer within {timeout:g} s")
    except ssl.SSLError as exc:
        return Answer(None, _elapsed(started), f"TLS error: {exc.reason or type(exc).__name__}")
    except (OSError, http.client.HTTPException) as exc:
        if isinstance(exc, socket.gaierror):
            return Answer(None, _elapsed(started), "the host name does not resolve")
        return Answer(None, _elapsed(started), f"connection failed: {type(exc).__name__}")
    finally:
        connection.close()


def _elapsed(started: float) -> int:
    return int((time.monotonic() - started) * 1000)
