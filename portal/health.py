"""``/healthz``: each component answers ok or not, with details; non-200 when a required one is down.

Components register here; the sanctions list age (informational) will join the database and broker.
"""

import time
from collections.abc import Callable

from django.db import connection
from django.http import JsonResponse

# name -> (probe returning a details dict or raising, required for a 200)
_COMPONENTS: dict[str, tuple[Callable[[], dict], bool]] = {}


def register_component(name: str, probe: Callable[[], dict], *, required: bool = True) -> None:
    _COMPONENTS[name] = (probe, required)


def database_probe() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"vendor": connection.vendor}


def broker_probe() -> dict:
    from portal.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
        return {"transport": conn.transport.driver_name}


register_component("database", database_probe)
register_component("broker", broker_probe)


def healthz(request):
    components, healthy = {}, True
    for name, (probe, required) in _COMPONENTS.items():
        started = time.perf_counter()
        try:
            details = probe()
            status = details.pop("status", "ok")
        except Exception as exc:  # any failure of a probe means that component is down
            details, status = {"error": type(exc).__name__}, "down"
        details["latency_ms"] = round((time.perf_counter() - started) * 1000, 1)
        components[name] = {"status": status, "required": required, **details}
        healthy = healthy and (status == "ok" or not required)
    return JsonResponse(
        {"status": "ok" if healthy else "down", "components": components}, status=200 if healthy else 503
    )
