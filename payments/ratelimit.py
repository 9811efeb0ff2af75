"""One pace for every worker's calls to the acquirer, so that together they stay under its rate limit.

Each call takes the next free slot (slots are 1/rate apart) and sleeps until it; the slot is kept in Redis
(a Lua script, atomic across workers and machines) when ``ACQUIRER_RATE_LIMIT_URL`` is set, otherwise in a
file under ``var/`` behind an exclusive lock (every process of one machine: the embedded default). A
process never books a slot more than ``MAX_WAIT_SECONDS`` ahead: beyond that the call is reported as
unavailable and retried later, instead of a worker sleeping for minutes.

When the acquirer answers 429 with ``Retry-After``, ``hold`` moves the next free slot past it for every
worker (even with no rate set), so no call of any worker comes before the acquirer said it may.
"""

from __future__ import annotations

import fcntl
import threading
import time
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from django.conf import settings

from payments.gateway import AcquirerUnavailable

MAX_WAIT_SECONDS = 30.0
# KEYS[1] holds the next free slot in microseconds; ARGV[1] is the interval, ARGV[2] the longest wait.
_TAKE_SLOT = """
local now_parts = redis.call('TIME')
local now = tonumber(now_parts[1]) * 1000000 + tonumber(now_parts[2])
local slot = tonumber(redis.call('GET', KEYS[1]) or '0')
if slot < now then slot = now end
local wait = slot - now
if wait > tonumber(ARGV[2]) then return -1 end
redis.call('SET', KEYS[1], slot + tonumber(ARGV[1]), 'PX', 60000)
return wait
"""
# ARGV[1]: hold the next free slot until at least this many microseconds from now.
_HOLD = """
local now_parts = redis.call('TIME')
local now = tonumber(now_parts[1]) * 1000000 + tonumber(now_parts[2])
local target = now + tonumber(ARGV[1])
local slot = tonumber(redis.call('GET', KEYS[1]) or '0')
if slot < target then redis.call('SET', KEYS[1], target, 'PX', 60000 + math.floor(tonumber(ARGV[1]) / 1000)) end
return 0
"""


class RateLimiter:
    def __init__(self, per_second: float, *, url: str = "", path: Path | None = None, name: str = "acquirer"):
        self.interval = 1.0 / per_second if per_second > 0 else 0.0
        self.url, self.name = url, name
        self.path = path or Path(settings.BASE_DIR) / "var" / f"{name}-rate.slot"
        self._scripts: dict[str, object] = {}
        self._thread_lock = threading.Lock()

    @property
    def _in_redis(self) -> bool:
        return self.url.startswith(("redis://", "rediss://", "unix://"))

    def wait(self) -> float:
        """Sleep until this call's slot; returns the seconds slept."""
        wait = self._take_redis() if self._in_redis else self._take_file()
        if wait < 0:
            raise AcquirerUnavailable("Too many calls to the acquirer are queued; trying again later.", code="paced")
        if wait:
            time.sleep(wait)
        return wait

    def hold(self, seconds: float) -> None:
        """No call before ``seconds`` from now, in any worker (the acquirer's ``Retry-After``)."""
        if seconds <= 0:
            return
        if self._in_redis:
            self._script(_HOLD)(keys=[self._key], args=[int(seconds * 1e6)])
            return
        with self._slot_file() as (handle, slot, now):
            if slot < now + seconds:
                self._write(handle, now + seconds)

    @property
    def _key(self) -> str:
        return f"ratelimit:{self.name}"

    def _script(self, source: str):
        if source not in self._scripts:
            import redis

            self._scripts[source] = redis.Redis.from_url(self.url).register_script(source)
        return self._scripts[source]

    def _take_redis(self) -> float:
        waited = self._script(_TAKE_SLOT)(
            keys=[self._key], args=[int(self.interval * 1e6), int(MAX_WAIT_SECONDS * 1e6)]
        )
        return -1.0 if waited < 0 else waited / 1e6

    @contextmanager
    def _slot_file(self):
        """The slot file, locked: (handle, the next free slot, now)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._thread_lock, open(self.path, "a+") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            handle.seek(0)
            text = handle.read().strip()
            now = time.time()
            yield handle, max(float(text) if text else 0.0, now), now

    @staticmethod
    def _write(handle, slot: float) -> None:
        handle.seek(0)
        handle.truncate()
        handle.write(repr(slot))
        handle.flush()

    def _take_file(self) -> float:
        with self._slot_file() as (handle, slot, now):
            if slot - now > MAX_WAIT_SECONDS:
                return -1.0
            self._write(handle, slot + self.interval)
            return slot - now


@lru_cache(maxsize=4)
def _limiter(per_second: float, url: str) -> RateLimiter:
    return RateLimiter(per_second, url=url)


def acquirer_limiter() -> RateLimiter:
    return _limiter(settings.ACQUIRER_RATE_LIMIT_PER_SECOND, settings.ACQUIRER_RATE_LIMIT_URL)
