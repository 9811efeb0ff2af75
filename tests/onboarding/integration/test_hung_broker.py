"""A broker that accepts connections and never answers (a stopped process, a dead peer behind NAT) slows
nothing but the worker: submitting and /healthz return within seconds, the work stays owed, and the
sweeper delivers it once a real broker answers again."""

import socket
import threading
import time
from datetime import timedelta

import pytest
from django.test import Client

from onboarding import work
from onboarding.models import Application, OwedWork
from onboarding.services.actors import Actor
from onboarding.services.applications import application_submit
from onboarding.states import AppState
from tests.factories import draft_application
from tests.live import publishing_to, wait_for

pytestmark = [pytest.mark.live_worker, pytest.mark.django_db(transaction=True)]
DOES_NOT_HANG_SECONDS = 8  # a generous bound: the broker timeouts are two seconds


class SilentServer:
    """Accepts every connection and never reads or writes a byte."""

    def __init__(self) -> None:
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(16)
        self.port = self.listener.getsockname()[1]
        self.accepted: list[socket.socket] = []
        self.thread = threading.Thread(target=self._accept, daemon=True)

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            self.accepted.append(conn)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.listener.close()
        for conn in self.accepted:
            conn.close()


@pytest.mark.parametrize("scheme", ["redis://127.0.0.1:{port}/0", "amqp://guest:guest@127.0.0.1:{port}//"])
def test_a_broker_that_never_answers_blocks_neither_submit_nor_healthz(live_worker, scheme):
    application = draft_application()
    with SilentServer() as silent, publishing_to(scheme.format(port=silent.port)):
        started = time.monotonic()
        application_submit(application=application, actor=Actor.for_user(application.applicant))
        assert time.monotonic() - started < DOES_NOT_HANG_SECONDS
        assert silent.accepted, "the publish did try the silent broker"

        work.resume_publishing()  # /healthz probes the broker whatever the publisher remembers
        started = time.monotonic()
        response = Client().get("/healthz")
        assert time.monotonic() - started < DOES_NOT_HANG_SECONDS
        assert response.status_code == 503
        assert response.json()["components"]["broker"]["status"] == "down"
        assert response.json()["components"]["database"]["status"] == "ok"

    assert Application.objects.get(pk=application.pk).state == AppState.SUBMITTED
    owed = OwedWork.objects.get(subject_id=application.public_id, kind="kyc_pipeline", status="pending")
    # The real broker answers again: the sweeper publishes what is owed and the worker does it.
    assert work.sweep_owed_work(now=owed.due_at + timedelta(seconds=1)) == 2  # the checks and the email
    wait_for(lambda: Application.objects.get(pk=application.pk).state == AppState.IN_REVIEW, what="the swept work")
