"""Boarding end to end with a live worker: the local acquirer in this process, its webhooks delivered to
the portal's live server, the worker (a real Celery process on the test database and the configured
broker) pointed at both through its environment."""

import pytest
from django.db import connection

from onboarding.models import Application, OwedWork
from onboarding.services.actors import Actor
from onboarding.services.merchants import merchant_create_for
from onboarding.states import AppState
from onboarding.testhooks import ENVIRONMENT_VARIABLE
from onboarding.work import owed_work_record
from payments.activation import terminal_register_device
from payments.boarding import BOARDING_WORK
from payments.models import Terminal
from payments.states import TerminalState
from tests.conftest import need
from tests.factories import draft_application
from tests.live import RestartableWorker, purge_queue, wait_sweeping

WORKER_ENV = {
    # Quick retries, a client timeout the "timeout after create" fault can exceed, and owed work due at once.
    "ACQUIRER_RETRY_BASE_SECONDS": "0.2",
    "ACQUIRER_RETRY_MAX_SECONDS": "2",
    "ACQUIRER_TIMEOUT_SECONDS": "2",
    "ACQUIRER_RATE_LIMIT_PER_SECOND": "0",
    "PENDING_WORK_GRACE_SECONDS": "1",
}


class Boarding(RestartableWorker):
    """The world of one fault test: the acquirer, the hooks folder and the worker (restartable)."""

    def __init__(self, acquirer, hooks, broker, queue, log_path):
        super().__init__(broker_url=broker, queue=queue, log_path=log_path)
        self.acquirer, self.hooks, self.broker = acquirer, hooks, broker

    def approved(self, **overrides) -> Application:
        """A test-mode application placed in ``approved`` with its merchant, owing its boarding (as the
        approval services leave it): a company with two owners, the first its control person."""
        application = draft_application(livemode=False, **overrides)
        merchant = merchant_create_for(application=application, actor=Actor.system("tests"))
        Application.objects.filter(pk=application.pk).update(state=AppState.APPROVED, merchant=merchant)
        application.refresh_from_db()
        owed_work_record(subject=application, kind=BOARDING_WORK)
        return application

    def wait(self, predicate, what: str, timeout: float = 90):
        """Wait for ``predicate``, doing what beat does meanwhile: publishing the owed work that is due."""
        return wait_sweeping(predicate, what=what, timeout=timeout, diagnosis=self.diagnosis)

    def diagnosis(self) -> str:
        """What the worker, the owed work and the acquirer say, for a test that timed out."""
        work = OwedWork.objects.values_list("kind", "subject_id", "status", "attempts", "last_error")
        calls = [(r["method"], r["path"], r["status"]) for r in self.acquirer.requests()][-30:]
        log = self.log_path.read_text()[-4000:] if self.log_path.exists() else ""
        states = list(Application.objects.values_list("public_id", "state"))
        return f"applications: {states}\nowed work: {list(work)}\nacquirer calls: {calls}\nworker log:\n{log}"

    def board(self, application: Application) -> Application:
        self.wait(lambda: _state(application) == AppState.BOARDED, "the application to be boarded")
        return Application.objects.get(pk=application.pk)

    def activate(self, application: Application, code: str = "simulated-wpe") -> list[Terminal]:
        terminals = Terminal.objects.filter(request__store__application=application)
        self.wait(lambda: all(t.state == TerminalState.AWAITING_DEVICE for t in terminals.all()) and terminals.exists(),
                  "the terminals to wait for their devices")  # fmt: skip
        actor = Actor.for_user(application.applicant)
        for terminal in terminals.all():
            terminal_register_device(terminal=terminal, actor=actor, registration_code=code)
        self.wait(lambda: all(t.state == TerminalState.ACTIVE for t in terminals.all()), "the terminals to be live")
        return list(terminals.all())

    def assert_exactly_once(self, application: Application) -> dict:
        """One account, configuration, location per store and reader per terminal on the acquirer."""
        objects = self.acquirer.objects()
        assert sum(objects["duplicates"].values()) == 0, objects
        stores = application.stores.count()
        terminals = Terminal.objects.filter(request__store__application=application).count()
        counts = objects["counts"]
        assert (counts.get("account"), counts.get("payment_method_configuration")) == (1, 1), counts
        assert (counts.get("terminal.location"), counts.get("terminal.reader")) == (stores, terminals), counts
        return counts


def _state(application: Application) -> str:
    return Application.objects.filter(pk=application.pk).values_list("state", flat=True).get()


@pytest.fixture
def boarding(transactional_db, role_groups, live_server, local_acquirer_factory, tmp_path, monkeypatch, settings):
    need(connection.vendor == "postgresql", "PostgreSQL (DATABASE_URL=postgres://…)")
    broker = settings.CELERY_BROKER_URL
    need(broker.startswith(("redis://", "amqp://", "pyamqp://")), "a broker (CELERY_BROKER_URL=redis://… or amqp://…)")
    settings.PENDING_WORK_GRACE_SECONDS = 1
    acquirer = local_acquirer_factory(webhook_url=f"{live_server.url}/webhooks/acquirer/", verification_seconds=0.5)
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    monkeypatch.setenv(ENVIRONMENT_VARIABLE, str(hooks))
    monkeypatch.setenv("ACQUIRER_API_BASE", acquirer.url)
    for name, value in WORKER_ENV.items():
        monkeypatch.setenv(name, value)
    queue = settings.CELERY_TASK_DEFAULT_QUEUE
    purge_queue(broker, queue)
    world = Boarding(acquirer, hooks, broker, queue, tmp_path / "worker.log")
    world.start_worker()
    try:
        yield world
    finally:
        world.stop_worker()
