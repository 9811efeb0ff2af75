"""The local acquirer: an HTTP server that speaks Stripe's wire protocol for the endpoints the gateway
uses, and refuses what Stripe refuses (see ``docs/local_acquirer.md``).

Each API call goes: enforced rate limit and injected 429s → the API key (live or test, else 401) → an
injected 500 (before execution) → the route → the SDK's allow-list → the Idempotency-Key (scoped by key
and Stripe-Account; the first answer is replayed for 24 hours with ``Idempotent-Replayed: true``, other
parameters are an ``idempotency_error``, a key still in flight a 409) → added latency → the handler, in
one transaction with its stored answer → an injected timeout, if one is set. Every call is logged.
"""

from __future__ import annotations

import json
import logging
import socket
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from payments.acquirer import schema
from payments.acquirer.control import control
from payments.acquirer.events import API_VERSION
from payments.acquirer.objects import SECRET_KEYS, Call
from payments.acquirer.routes import route
from payments.acquirer.wire import ApiError, form_decode, request_id

logger = logging.getLogger(__name__)
IDEMPOTENCY_LIFETIME = 24 * 3600.0
LOOPBACK = ("127.0.0.1", "::1", "::ffff:127.0.0.1")


def masked(value, key: str = ""):
    """Parameters as logged: identifiers reduced to their last four digits."""
    if isinstance(value, dict):
        return {k: masked(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [masked(v) for v in value]
    if key in SECRET_KEYS and isinstance(value, str):
        return f"••••{value[-4:]}"
    return value


class _Dropped(Exception):
    """The answer is stored; the connection is to be dropped without it."""


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body are written apart: no 40 ms delayed-ACK stall
    server_version = "local-acquirer"

    def log_message(self, format, *args):  # noqa: A002 (the base class's name)
        pass

    def do_GET(self):  # noqa: N802
        self._serve("GET")

    def do_POST(self):  # noqa: N802
        self._serve("POST")

    def do_DELETE(self):  # noqa: N802
        self._serve("DELETE")

    # ------------------------------------------------------------------ plumbing

    def _send(self, status: int, body: dict, headers: dict | None = None) -> None:
        data = json.dumps(body).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for name, value in (headers or {}).items():
                self.send_header(name, str(value))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def _serve(self, method: str) -> None:
        acquirer = self.server.acquirer
        url = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length).decode() if length else ""
        if url.path.startswith("/_local/"):
            if self.client_address[0] not in LOOPBACK:
                self._send(403, {"error": {"type": "invalid_request_error", "message": "Loopback only."}})
                return
            status, body = control(acquirer, method, url.path, url.query, raw)
            self._send(status, body)
            return
        rid = request_id()
        headers = {"Request-Id": rid, "Stripe-Version": API_VERSION}
        key = self.headers.get("Idempotency-Key", "")
        if key:
            headers["Idempotency-Key"] = key
        log = {
            "method": method,
            "path": url.path,
            "params": {},
            "idempotency_key": key,
            "stripe_account": self.headers.get("Stripe-Account", ""),
            "livemode": None,
            "replayed": False,
        }
        try:
            status, body, extra = self._api(acquirer, method, url, raw, key, rid, log)
        except _Dropped:
            acquirer.log_request(rid, log, status=0)
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        except ApiError as exc:
            status, body, extra = exc.status, exc.body(rid), exc.headers
        except Exception:  # a fault of the local acquirer itself: answered as Stripe answers its own
            logger.exception("local acquirer: %s %s failed", method, url.path)
            status, body, extra = 500, ApiError(500, "An unknown error occurred.", type="api_error").body(rid), {}
        headers.update(extra)
        acquirer.log_request(rid, log, status=status)
        hold = extra.pop("_hold", None)
        headers.pop("_hold", None)
        if hold:
            time.sleep(hold)
        self._send(status, body, headers)

    def _api(self, acquirer, method: str, url, raw: str, key: str, rid: str, log: dict):
        faults = acquirer.faults
        if faults.over_rate():
            raise ApiError(
                429,
                "Request rate limit exceeded. Learn more about rate limits here https://docs.stripe.com/rate-limits.",
                code="rate_limit",
            )
        throttle = faults.take("throttle", method, url.path)
        if throttle:
            raise ApiError(
                429,
                "Request rate limit exceeded.",
                code="rate_limit",
                headers={"Retry-After": throttle.get("retry_after", 1)},
            )
        api_key = (self.headers.get("Authorization") or "").removeprefix("Bearer ").strip()
        livemode = acquirer.mode_of(api_key)
        if livemode is None:
            shown = f"{api_key[:8]}{'*' * 4}{api_key[-4:]}" if api_key else "(none)"
            raise ApiError(401, f"Invalid API Key provided: {shown}")
        log["livemode"] = livemode
        failure = faults.take("fail", method, url.path, saved=False)
        if failure:
            raise ApiError(
                failure.get("status", 500), "An error occurred with our connection to Stripe.", type="api_error"
            )
        found = route(method, url.path)
        if found is None:
            raise ApiError(
                404,
                f"Unrecognized request URL ({method}: {url.path}). Please see https://docs.stripe.com"
                " or we can help at https://support.stripe.com/.",
            )
        params_class, handler, arguments = found
        params = form_decode(raw if method == "POST" else url.query or raw)
        log["params"] = masked(params)
        schema.validate(params, params_class)
        stripe_account = self.headers.get("Stripe-Account", "")
        call = Call(
            store=acquirer.store,
            livemode=livemode,
            config=acquirer,
            params=params,
            stripe_account=stripe_account,
            request=(rid, key),
        )
        scope = f"{api_key}|{stripe_account}"
        fingerprint = json.dumps([method, url.path, params], sort_keys=True)
        if key and method in ("POST", "DELETE"):
            replay = self._claim(acquirer, scope, key, fingerprint)
            if replay:
                log["replayed"] = True
                return replay[0], replay[1], {"Idempotent-Replayed": "true", "Original-Request": replay[2]}
        try:
            if faults.latency_ms:
                time.sleep(faults.latency_ms / 1000)
            with acquirer.store.transaction():
                status, body = self._execute(acquirer, call, handler, arguments, method, url.path, rid)
                if key and method in ("POST", "DELETE"):
                    acquirer.store.idempotent_answer(scope, key, status, {"body": body, "request": rid})
        except BaseException:
            if key:
                acquirer.store.idempotent_forget(scope, key)
            raise
        timeout = faults.take("timeout_after_create", method, url.path) if method == "POST" else None
        if timeout:
            if timeout.get("mode", "drop") == "drop":
                raise _Dropped()
            return status, body, {"_hold": float(timeout.get("hold_seconds", 30))}
        return status, body, {}

    @staticmethod
    def _execute(acquirer, call, handler, arguments, method, path, rid):
        """The handler's answer; an error raised while executing is an answer too (it is stored)."""
        try:
            if acquirer.faults.take("fail", method, path, saved=True):
                raise ApiError(500, "An unknown error occurred while processing the request.", type="api_error")
            return 200, handler(call, *arguments)
        except ApiError as exc:
            return exc.status, exc.body(rid)

    @staticmethod
    def _claim(acquirer, scope: str, key: str, fingerprint: str):
        store = acquirer.store
        with store.transaction():
            found = store.idempotent(scope, key, lifetime=IDEMPOTENCY_LIFETIME)
            if found is None:
                store.idempotent_claim(scope, key, fingerprint)
                return None
        if found["fingerprint"] != fingerprint:
            raise ApiError(
                400,
                f"Keys for idempotent requests can only be used with the same parameters they were "
                f"first used with. Try using a key other than '{key}' if you meant to execute a different "
                "request.",
                type="idempotency_error",
            )
        if found["status"] is None:
            raise ApiError(
                409,
                "There is currently another in-progress request using this Idempotent Key (that "
                "probably means you submitted twice, and the other request is still going through): "
                f"{key}. Please try again later.",
                type="idempotency_error",
                code="idempotency_key_in_use",
            )
        stored = json.loads(found["body"])
        return found["status"], stored["body"], stored["request"]


class Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, address, acquirer):
        self.acquirer = acquirer
        super().__init__(address, Handler)
