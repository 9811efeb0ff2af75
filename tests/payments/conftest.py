"""The local acquirer for payments tests: in-process on a free port with its own SQLite file, the gateway
pointed at it, verification quick, webhooks off unless a test asks for them."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from payments.acquirer import LocalAcquirer


@pytest.fixture
def local_acquirer_factory(settings, tmp_path):
    """Start a local acquirer with overrides (``webhook_url=…``, ``verification_seconds=…``); stopped after."""
    started = []
    settings.ACQUIRER_RATE_LIMIT_PER_SECOND = 0  # the server's own limit is what some tests exercise

    def start(**overrides):
        options = {
            "port": 0,
            "db_path": tmp_path / f"local-acquirer-{len(started)}.sqlite3",
            "webhook_url": "",
            "verification_seconds": 0.2,
            "webhook_backoff": (0.05, 0.1, 0.2),
            **overrides,
        }
        acquirer = LocalAcquirer(**options).start()
        started.append(acquirer)
        settings.ACQUIRER_API_BASE = acquirer.url
        return acquirer

    yield start
    for acquirer in started:
        acquirer.stop()


@pytest.fixture
def local_acquirer(local_acquirer_factory):
    return local_acquirer_factory()


class WebhookReceiver:
    """A webhook endpoint that records what it is sent and fails the first ``fail_first`` deliveries."""

    def __init__(self, fail_first: int = 0):
        self.received, self.fail_first, self.answered = [], fail_first, []
        self.arrived = threading.Condition()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers["Content-Length"])).decode()
                status = 500 if len(receiver.answered) < receiver.fail_first else 200
                receiver.answered.append(status)
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()
                with receiver.arrived:
                    if status == 200:
                        receiver.received.append((body, self.headers.get("Stripe-Signature", "")))
                    receiver.arrived.notify_all()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/webhooks/acquirer/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def wait_for(self, predicate, timeout: float = 5.0) -> list:
        with self.arrived:
            self.arrived.wait_for(lambda: predicate([json.loads(body) for body, _ in self.received]), timeout)
        return [json.loads(body) for body, _ in self.received]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def webhook_receiver():
    receivers = []

    def make(fail_first: int = 0) -> WebhookReceiver:
        receivers.append(WebhookReceiver(fail_first))
        return receivers[-1]

    yield make
    for receiver in receivers:
        receiver.close()
