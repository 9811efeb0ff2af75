"""Requests per API key and minute, counted in the shared cache: every web process adds to one count.

A fixed window keyed by the minute: ``cache.add`` opens it and ``cache.incr`` counts atomically on Redis
(the database cache counts under its row), so the limit holds however many processes serve the API."""

import time

from django.conf import settings
from django.core.cache import cache
from rest_framework.throttling import BaseThrottle

WINDOW_SECONDS = 60


class PartnerKeyThrottle(BaseThrottle):
    def allow_request(self, request, view) -> bool:
        principal = request.user
        api_key = getattr(principal, "api_key", None)
        if api_key is None:
            return True  # unauthenticated requests are refused by the permission check
        now = time.time()
        window = int(now // WINDOW_SECONDS)
        key = f"partner-api-throttle:{api_key.public_id}:{window}"
        cache.add(key, 0, timeout=WINDOW_SECONDS * 2)
        try:
            count = cache.incr(key)
        except ValueError:  # the window's counter was evicted between add and incr
            cache.add(key, 1, timeout=WINDOW_SECONDS * 2)
            count = 1
        self._retry_after = (window + 1) * WINDOW_SECONDS - now
        return count <= settings.PARTNER_API_REQUESTS_PER_MINUTE

    def wait(self) -> float:
        return max(1.0, self._retry_after)
