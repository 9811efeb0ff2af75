"""``/healthz``: each component answers ok or not, with details; non-200 when a required one is down.

Components register here (the sanctions list joins the database and the broker, as informational).
Each probe runs on a small pool of threads and is waited for at most ``PROBE_TIMEOUT_SECONDS``: a broker
that accepts connections and never answers makes the broker "down (timeout)", never a hung request.
"""

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as ProbeTimeout

from django.db import connection
from django.http import JsonResponse

# name -> (probe returning a details dict or raising, required for a 200, run on a thread with a deadline)
_COMPONENTS: dict[str, tuple[Callable[[], dict], bool, bool]] = {}


def register_component(name: str, probe: Callable[[], dict], *, required: bool = True, remote: bool = False) -> None:
    """``remote`` probes (a server beyond the database) run on a thread and are waited for at most
    ``PROBE_TIMEOUT_SECONDS``; database probes run in the request, on its connection."""
    _COMPONENTS[name] = (probe, required, remote)


def database_probe() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"vendor": connection.vendor}


def broker_probe() -> dict:
    """A real round trip to the broker (a channel; on Redis a PING), bounded by the socket timeouts."""
    from portal.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=PROBE_TIMEOUT_SECONDS)
        conn.default_channel  # noqa: B018 (opening a channel talks to the broker)
        if conn.transport.driver_type == "redis":
            conn.default_channel.client.ping()
        return {"transport": conn.transport.driver_name}


PROBE_TIMEOUT_SECONDS = 2.0
# Threads outlive a probe that hangs past its timeout (they end on the socket timeouts); a small pool
# bounds how many can pile up, and a probe that cannot even start in time reads as a timeout too.
_probes = ThreadPoolExecutor(max_workers=4, thread_name_prefix="healthz")


register_component("database", database_probe)
register_component("broker", broker_probe, remote=True)


def healthz(request):
    components, healthy = {}, True
    for name, (probe, required, remote) in _COMPONENTS.items():
        started = time.perf_counter()
        try:
            answer = _probes.submit(probe).result(timeout=PROBE_TIMEOUT_SECONDS) if remote else probe()
            details = dict(answer)
            status = details.pop("status", "ok")
        except ProbeTimeout:
            details, status = {"error": f"no answer within {PROBE_TIMEOUT_SECONDS:g} s"}, "down"
        except Exception as exc:  # any failure of a probe means that component is down
            details, status = {"error": type(exc).__name__}, "down"
        details["latency_ms"] = round((time.perf_counter() - started) * 1000, 1)
        components[name] = {"status": status, "required": required, **details}
        healthy = healthy and (status == "ok" or not required)
    return JsonResponse(
        {"status": "ok" if healthy else "down", "components": components}, status=200 if healthy else 503
    )
