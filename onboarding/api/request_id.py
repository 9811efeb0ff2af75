"""A ``Request-Id`` on every API response, and one log line per API request that carries it.

A partner quoting the id lets support find the request's log line; the line names the partner's key by its
public id and never holds a body, a query string or a header value (they may carry personal data)."""

import logging
import secrets
import time

logger = logging.getLogger("onboarding.api")

API_PREFIX = "/api/"


def new_request_id() -> str:
    return "req_" + secrets.token_hex(12)


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        request.request_id = new_request_id()
        started = time.monotonic()
        response = self.get_response(request)
        response["Request-Id"] = request.request_id
        api_key = getattr(request, "partner_api_key", None)
        logger.info(
            "api request_id=%s method=%s path=%s status=%s key=%s ms=%.0f",
            request.request_id,
            request.method,
            request.path,
            response.status_code,
            api_key.public_id if api_key is not None else "-",
            (time.monotonic() - started) * 1000,
        )
        return response
