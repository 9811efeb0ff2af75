"""Events as Stripe sends them to a Connect platform, signed and delivered to one webhook URL.

An event is stored in the same transaction as the change it reports. A background thread delivers each
one (``Stripe-Signature: t=<ts>,v1=<HMAC-SHA256(secret, "t.payload")>``, the live or the test secret by
the event's mode); no answer or a non-2xx answer is tried again after a back-off, a few times, and every
attempt is kept. An empty webhook URL stores events without delivering them.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
import urllib.error
import urllib.request

from stripe._api_version import _ApiVersion

from payments.acquirer.wire import new_id

API_VERSION = _ApiVersion.CURRENT


def signature_header(payload: str, secret: str, timestamp: int | None = None) -> str:
    timestamp = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(secret.encode(), f"{timestamp}.{payload}".encode(), hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def emit(
    store,
    *,
    type: str,
    obj: dict,
    account: str,
    livemode: bool,
    delivering: bool,
    previous: dict | None = None,
    request: tuple[str, str] | None = None,
) -> dict:
    event = {
        "id": new_id("evt"),
        "object": "event",
        "account": account or None,
        "api_version": API_VERSION,
        "created": int(time.time()),
        "data": {"object": obj, **({"previous_attributes": previous} if previous else {})},
        "livemode": livemode,
        "pending_webhooks": 1 if delivering else 0,
        "request": {"id": request[0], "idempotency_key": request[1] or None}
        if request
        else {"id": None, "idempotency_key": None},
        "type": type,
    }
    if not account:
        event.pop("account")
    store.execute(
        "INSERT INTO events (id, type, livemode, account, created, payload, delivery) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            event["id"],
            type,
            int(livemode),
            account or "",
            event["created"],
            json.dumps(event),
            "pending" if delivering else "off",
        ),
    )
    return event


def changed(before: dict, after: dict) -> dict:
    """Stripe's ``previous_attributes``: the old values of the top-level fields that changed."""
    return {name: before.get(name) for name in sorted(set(before) | set(after)) if before.get(name) != after.get(name)}


class Deliverer(threading.Thread):
    """Delivers pending events, oldest first; retries with back-off (``backoff`` seconds per retry)."""

    def __init__(self, store, *, url: str, secrets: dict[bool, str], backoff: tuple[float, ...], timeout: float = 5.0):
        super().__init__(name="local-acquirer-webhooks", daemon=True)
        self.store, self.url, self.secrets, self.backoff, self.timeout = store, url, secrets, backoff, timeout
        self.stopping = threading.Event()
        self.wake = threading.Event()

    def run(self) -> None:
        while not self.stopping.is_set():
            due = self.store.rows(
                "SELECT id, livemode, payload, attempts FROM events WHERE delivery = 'pending' AND next_attempt_at <= ?"
                " ORDER BY seq LIMIT 20",
                (time.time(),),
            )
            for row in due:
                if self.stopping.is_set():
                    return
                self._deliver(row)
            self.wake.wait(0.05 if due else 0.2)
            self.wake.clear()

    def _deliver(self, row) -> None:
        payload = row["payload"]
        status, error = None, ""
        request = urllib.request.Request(  # noqa: S310 (the configured local URL)
            self.url,
            data=payload.encode(),
            method="POST",
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "Stripe-Signature": signature_header(payload, self.secrets[bool(row["livemode"])]),
                "User-Agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as answer:  # noqa: S310
                status = answer.status
        except urllib.error.HTTPError as exc:
            status, error = exc.code, f"HTTP {exc.code}"
        except (OSError, ValueError) as exc:
            error = f"{type(exc).__name__}: {exc}"[:300]
        attempts = row["attempts"] + 1
        ok = status is not None and 200 <= status < 300
        if ok:
            delivery, next_at = "delivered", 0.0
        elif attempts > len(self.backoff):
            delivery, next_at = "failed", 0.0
        else:
            delivery, next_at = "pending", time.time() + self.backoff[attempts - 1]
        with self.store.transaction():
            self.store.execute(
                "INSERT INTO attempts (event_id, at, status, error) VALUES (?, ?, ?, ?)",
                (row["id"], time.time(), status, error),
            )
            self.store.execute(
                "UPDATE events SET attempts = ?, delivery = ?, next_attempt_at = ? WHERE id = ?",
                (attempts, delivery, next_at, row["id"]),
            )

    def stop(self) -> None:
        self.stopping.set()
        self.wake.set()
