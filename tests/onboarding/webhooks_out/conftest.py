"""A real HTTP receiver on 127.0.0.1 (``http.server`` in a thread) that answers from a script (a list of
status codes, then 200), records what it was sent, and can hold an answer back (a slow receiver); and
partners with applications that came from them, placed in the mode asked."""

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.test import Client

from onboarding.models import Application
from onboarding.roles import ADMINISTRATOR
from onboarding.services.actors import Actor
from onboarding.services.partners import partner_create
from onboarding.services.webhook_endpoints import webhook_endpoint_create
from tests.factories import draft_application, officer
from tests.staff import staff_login, totp_enrol


@dataclass
class Received:
    path: str
    headers: dict
    body: bytes
    at: float

    @property
    def event(self) -> dict:
        return json.loads(self.body)


@dataclass
class Receiver:
    url: str
    script: list = field(default_factory=list)  # status codes to answer first, in order
    delay_seconds: float = 0.0
    received: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def answer(self) -> int:
        with self.lock:
            return self.script.pop(0) if self.script else 200

    def events(self) -> list[dict]:
        return [r.event for r in self.received]


@pytest.fixture
def receiver():
    holder: dict = {}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (http.server's name)
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            target = holder["receiver"]
            target.received.append(Received(self.path, dict(self.headers), body, time.monotonic()))
            if target.delay_seconds:
                time.sleep(target.delay_seconds)
            status = target.answer()
            self.send_response(status)
            if 300 <= status < 400:
                self.send_header("Location", "/elsewhere")
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    holder["receiver"] = Receiver(url=f"http://127.0.0.1:{server.server_address[1]}/hooks")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield holder["receiver"]
    finally:
        server.shutdown()
        server.server_close()


SYSTEM = Actor.system("tests")


@pytest.fixture
def partner(db):
    return partner_create(actor=SYSTEM, name="Harbour ISO", kind="iso")


@pytest.fixture
def administrator(role_groups):
    """A client signed in as an administrator (who manages partners' endpoints)."""
    user = officer(ADMINISTRATOR)
    totp_enrol(user)
    client = Client()
    staff_login(client, user)
    return client


def endpoint_for(partner, url: str, *, livemode: bool = False, event_types=("*",)):
    """An endpoint and its secret."""
    return webhook_endpoint_create(
        partner=partner, actor=SYSTEM, url=url, event_types=list(event_types), livemode=livemode
    )


def partner_application(partner, *, livemode: bool = False, **overrides) -> Application:
    """A complete, signed draft that came from ``partner`` (as the API will create them)."""
    application = draft_application(livemode=livemode, **overrides)
    Application.objects.filter(pk=application.pk).update(partner=partner, channel="api")
    application.refresh_from_db()
    return application
