"""The screening index is built before an application needs it: when a worker process starts, and when a new
list version becomes active.

Building the index of the full list takes seconds; built on first use, it made the first application after a
start wait for it. Each worker process that runs tasks (every child of a prefork pool, or the worker itself
with the solo and threads pools) starts a small thread that builds the active version's index at once, then
looks every ``SANCTIONS_INDEX_WATCH_SECONDS`` (default 30) whether another version became active and builds
its index before the next application asks. A task that needs the index while it is being built waits for
that build rather than starting another (``screening.index_for`` holds a lock).

A worker that starts also owes the full re-screen of a new algorithm version (``algorithm.rescreen_owe``).
"""

from __future__ import annotations

import logging
import os
import threading
import time

from celery import signals
from django.conf import settings
from django.db import connection

logger = logging.getLogger(__name__)
_started: dict[int, threading.Event] = {}
_guard = threading.Lock()


def watch_seconds() -> float:
    return float(getattr(settings, "SANCTIONS_INDEX_WATCH_SECONDS", 30))


def warm_active_index() -> bool:
    """Build the active version's index in this process unless it is built; True when it was built now."""
    from sanctions.freshness import active_version
    from sanctions.screening import index_for, index_is_built

    version = active_version()
    if version is None or index_is_built(version):
        return False
    start = time.perf_counter()
    index_for(version)
    logger.info("screening index of %s built in %.1f s", version.public_id, time.perf_counter() - start)
    return True


def _watch(stop: threading.Event, interval: float) -> None:
    while True:
        try:
            warm_active_index()
        except Exception:  # a database that is down now is up later: keep watching
            logger.exception("screening index: building it failed; trying again later")
        finally:
            connection.close()  # this thread's own connection: none is kept open between looks
        if interval <= 0 or stop.wait(interval):
            return


def start_warming(interval: float | None = None) -> threading.Event:
    """Start this process's warming thread (once per process); set the returned event to stop it."""
    with _guard:
        stop = _started.get(os.getpid())
        if stop is None:
            stop = threading.Event()
            _started[os.getpid()] = stop
            every = watch_seconds() if interval is None else interval
            threading.Thread(target=_watch, args=(stop, every), name="screening-index", daemon=True).start()
        return stop


def stop_warming() -> None:
    with _guard:
        stop = _started.pop(os.getpid(), None)
    if stop is not None:
        stop.set()


@signals.worker_process_init.connect
def _on_worker_process_init(**kwargs) -> None:
    start_warming()


@signals.worker_ready.connect
def _on_worker_ready(sender=None, **kwargs) -> None:
    from sanctions.algorithm import rescreen_owe

    pool = getattr(sender, "pool", None)
    if "prefork" not in type(pool).__module__:  # the solo and threads pools run tasks in this process
        start_warming()
    try:
        rescreen_owe()
    except Exception:  # the next start tries again; a worker never fails to start over it
        logger.exception("algorithm re-screen: could not be recorded")
    finally:
        connection.close()
