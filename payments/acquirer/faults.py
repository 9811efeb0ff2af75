"""Faults the local acquirer can be told to show, so retries, back-off and unknown outcomes get tested.

``configure`` takes (all optional, each replacing what was set before):

- ``latency_ms``: added to every API call (after an idempotency key is claimed, so a duplicate sent
  meanwhile meets the key in flight);
- ``fail``: ``{"prefix", "count", "status": 500, "post_only": false, "saved": false}``: the next
  ``count`` calls under ``prefix`` answer ``status`` (an ``api_error``). With ``saved`` the error happens
  while the call executes, so it is stored as the key's idempotent answer and replayed, as Stripe does;
  without it, the call never reached the API and a retry with the same key runs;
- ``throttle``: ``{"prefix", "count", "retry_after": 1}``: 429 ``rate_limit`` with ``Retry-After``;
- ``timeout_after_create``: ``{"prefix", "count", "mode": "drop"|"hold", "hold_seconds": 30}``: the call
  executes and its idempotent answer is stored, then the connection is dropped, or held past the
  client's timeout;
- ``rate_limit``: requests per second over a sliding second; beyond it, 429 ``rate_limit``.

``fail``, ``throttle`` and ``timeout_after_create`` also take a list of such rules.
"""

from __future__ import annotations

import threading
import time
from collections import deque

RULES = ("fail", "throttle", "timeout_after_create")


class Faults:
    def __init__(self):
        self.lock = threading.Lock()
        self.clear()

    def clear(self) -> None:
        with self.lock:
            self.latency_ms = 0.0
            self.rules: dict[str, list[dict]] = {name: [] for name in RULES}
            self.rate_limit = 0.0
            self.window: deque[float] = deque()

    def configure(self, settings: dict) -> dict:
        if settings.get("clear"):
            self.clear()
        with self.lock:
            if "latency_ms" in settings:
                self.latency_ms = float(settings["latency_ms"] or 0)
            if "rate_limit" in settings:
                self.rate_limit = float(settings["rate_limit"] or 0)
                self.window.clear()
            for name in RULES:
                if name in settings:
                    value = settings[name] or []
                    rules = value if isinstance(value, list) else [value]
                    self.rules[name] = [{"prefix": "/v1/", "count": 1, **rule} for rule in rules]
        return self.describe()

    def describe(self) -> dict:
        with self.lock:
            return {
                "latency_ms": self.latency_ms,
                "rate_limit": self.rate_limit,
                **{name: [dict(rule) for rule in rules] for name, rules in self.rules.items()},
            }

    def take(self, name: str, method: str, path: str, *, saved: bool | None = None) -> dict | None:
        """The first rule of kind ``name`` matching this call, counted down; None when none matches."""
        with self.lock:
            for rule in self.rules[name]:
                if rule["count"] <= 0 or not path.startswith(rule["prefix"]):
                    continue
                if rule.get("post_only") and method != "POST":
                    continue
                if saved is not None and bool(rule.get("saved")) != saved:
                    continue
                rule["count"] -= 1
                return dict(rule)
        return None

    def over_rate(self) -> bool:
        with self.lock:
            if not self.rate_limit:
                return False
            now = time.monotonic()
            while self.window and self.window[0] <= now - 1.0:
                self.window.popleft()
            if len(self.window) >= self.rate_limit:
                return True
            self.window.append(now)
            return False
