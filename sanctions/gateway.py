"""Downloading OFAC's legacy CSV files, behind a small interface so tests serve them from a local server.

OFAC's layout: the SDN files at the base address, the Consolidated files under ``consolidated/``. The
gateway fetches all eight; a file that cannot be fetched is simply absent from the result, and the
caller decides (an official refresh that lacks any file has failed).

A transfer cut short is a file that could not be fetched: urllib's ``read(n)`` returns what arrived
without complaint when the connection closes early, so the body's length is compared with the
``Content-Length`` the server sent, and ``IncompleteRead`` (a chunked body cut short) is caught.
"""

from __future__ import annotations

import http.client
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import date
from email.utils import parsedate_to_datetime
from typing import Protocol

from sanctions import ofac

#: file name -> path under the base address
REMOTE_PATHS: dict[str, str] = {
    name: (f"consolidated/{name}" if list_name == "CONS" else name) for name, (list_name, _) in ofac.FILES.items()
}
TIMEOUT_SECONDS = 30
MAX_FILE_BYTES = 200 * 1024 * 1024


class GatewayError(Exception):
    """A download failed; ``transient`` says whether a retry could help."""

    def __init__(self, message: str, *, transient: bool = True) -> None:
        super().__init__(message)
        self.transient = transient


@dataclass
class Download:
    files: dict[str, bytes] = field(default_factory=dict)
    #: file name -> why it is missing
    missing: dict[str, str] = field(default_factory=dict)
    #: the newest Last-Modified of the files, if the server sent it
    last_modified: date | None = None


class ListGateway(Protocol):
    def fetch(self, base_url: str) -> Download: ...


class UrllibGateway:
    """Plain HTTP(S) with timeouts; no retries here (the beat task runs again on schedule)."""

    def __init__(self, timeout: float = TIMEOUT_SECONDS) -> None:
        self.timeout = timeout

    def fetch(self, base_url: str) -> Download:
        if not base_url.startswith(("https://", "http://")):
            raise GatewayError(f"not an http(s) address: {base_url}", transient=False)
        base = base_url if base_url.endswith("/") else base_url + "/"
        result = Download()
        for name, path in REMOTE_PATHS.items():
            url = base + path
            try:
                with urllib.request.urlopen(url, timeout=self.timeout) as response:  # noqa: S310 (scheme checked)
                    data = response.read(MAX_FILE_BYTES + 1)
                    if len(data) > MAX_FILE_BYTES:
                        result.missing[name] = "file too large"
                        continue
                    expected = _content_length(response.headers.get("Content-Length"))
                    if expected is not None and len(data) != expected:
                        result.missing[name] = f"transfer cut short: {len(data):,} of {expected:,} bytes"
                        continue
                    result.files[name] = data
                    modified = response.headers.get("Last-Modified")
                    if modified:
                        try:
                            day = parsedate_to_datetime(modified).date()
                        except (TypeError, ValueError):
                            day = None
                        if day and (result.last_modified is None or day > result.last_modified):
                            result.last_modified = day
            except urllib.error.HTTPError as exc:
                result.missing[name] = f"HTTP {exc.code}"
            except http.client.IncompleteRead as exc:
                result.missing[name] = f"transfer cut short: {len(exc.partial):,} bytes, then the connection closed"
            except http.client.HTTPException as exc:
                result.missing[name] = f"{type(exc).__name__}: {exc}"
            except (urllib.error.URLError, TimeoutError, OSError) as exc:
                result.missing[name] = f"{type(exc).__name__}: {getattr(exc, 'reason', exc)}"
        return result


def _content_length(value: str | None) -> int | None:
    try:
        length = int(value) if value is not None else None
    except ValueError:
        return None
    return length if length is not None and length >= 0 else None


_gateway: ListGateway = UrllibGateway()


def get_gateway() -> ListGateway:
    return _gateway


def set_gateway(gateway: ListGateway) -> ListGateway:
    """Swap the gateway (tests); returns the previous one."""
    global _gateway
    previous, _gateway = _gateway, gateway
    return previous
