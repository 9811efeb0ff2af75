"""One pace for all workers: calls from several threads (or processes) take distinct slots 1/rate apart."""

import threading
import time
import uuid

import pytest
from django.conf import settings

from payments.gateway import AcquirerUnavailable
from payments.ratelimit import RateLimiter


def run_calls(limiter: RateLimiter, calls: int, threads: int) -> float:
    started = time.monotonic()

    def worker():
        for _ in range(calls // threads):
            limiter.wait()

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return time.monotonic() - started


def test_calls_from_several_threads_are_paced_through_a_shared_file(tmp_path):
    first = RateLimiter(100, path=tmp_path / "slot")
    second = RateLimiter(100, path=tmp_path / "slot")  # another process's limiter on the same file
    started = time.monotonic()
    threads = [threading.Thread(target=run_calls, args=(limiter, 20, 2)) for limiter in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert time.monotonic() - started >= 0.39  # 40 calls at 100 a second


def test_calls_are_paced_through_redis_when_it_is_configured():
    # Redis is a required service of the suite, whichever broker a run uses.
    limiter = RateLimiter(200, url=redis_url(), name=f"test-{uuid.uuid4().hex}")
    assert run_calls(limiter, 40, 4) >= 0.19


def test_a_call_that_would_wait_too_long_is_reported_unavailable(tmp_path):
    limiter = RateLimiter(0.01, path=tmp_path / "slot")  # one call per 100 s
    limiter.wait()
    with pytest.raises(AcquirerUnavailable):
        limiter.wait()


def redis_url() -> str:
    return (
        settings.CELERY_BROKER_URL if settings.CELERY_BROKER_URL.startswith("redis://") else "redis://127.0.0.1:6379/0"
    )


@pytest.mark.parametrize("backend", ["file", "redis"])
def test_a_retry_after_holds_every_workers_next_call_even_with_no_rate_set(tmp_path, backend):
    options = {"path": tmp_path / "slot"} if backend == "file" else {"url": redis_url(), "name": uuid.uuid4().hex}
    told, other = RateLimiter(0, **options), RateLimiter(0, **options)  # two workers, no pace of their own
    assert other.wait() == 0
    told.hold(0.3)
    started = time.monotonic()
    other.wait()
    assert time.monotonic() - started >= 0.25
    assert other.wait() == 0  # the hold is over: calls go at once again
