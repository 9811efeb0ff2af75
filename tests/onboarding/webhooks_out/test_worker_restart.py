"""With a live worker (a real Celery process on the test database and the configured broker): deliveries
retried against a receiver that fails first, and nothing lost when the worker is killed mid-delivery,
either before it sent the request or after the receiver answered but before the answer was recorded."""

import pytest
from django.db import connection, transaction

from onboarding.models import OwedWork, WebhookDelivery
from onboarding.services.partner_events import WEBHOOK_WORK, application_snapshot, partner_event_emit
from onboarding.testhooks import ENVIRONMENT_VARIABLE
from onboarding.work import resume_publishing
from tests.conftest import need
from tests.live import RestartableWorker, purge_queue, wait_for, wait_sweeping
from tests.onboarding.webhooks_out.conftest import endpoint_for, partner_application

pytestmark = pytest.mark.live_worker
WORKER_ENV = {
    "WEBHOOK_RETRY_BASE_SECONDS": "0.5",
    "WEBHOOK_TIMEOUT_SECONDS": "2",
    "PENDING_WORK_GRACE_SECONDS": "1",
}


class World(RestartableWorker):
    hooks = None

    def diagnosis(self) -> str:
        work = list(OwedWork.objects.values_list("kind", "status", "attempts", "due_at", "last_error"))
        log = self.log_path.read_text()[-3000:] if self.log_path.exists() else ""
        return f"owed work: {work}\nworker log:\n{log}"

    def wait(self, predicate, what: str):
        return wait_sweeping(predicate, what=what, diagnosis=self.diagnosis)


@pytest.fixture
def world(transactional_db, role_groups, tmp_path, monkeypatch, settings):
    need(connection.vendor == "postgresql", "PostgreSQL (DATABASE_URL=postgres://…)")
    broker = settings.CELERY_BROKER_URL
    need(broker.startswith(("redis://", "amqp://", "pyamqp://")), "a broker (CELERY_BROKER_URL=redis://… or amqp://…)")
    settings.PENDING_WORK_GRACE_SECONDS = 1
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    monkeypatch.setenv(ENVIRONMENT_VARIABLE, str(hooks))
    for name, value in WORKER_ENV.items():
        monkeypatch.setenv(name, value)
    resume_publishing()
    queue = settings.CELERY_TASK_DEFAULT_QUEUE
    purge_queue(broker, queue)
    state = World(broker_url=broker, queue=queue, log_path=tmp_path / "worker.log")
    state.hooks = hooks
    state.start_worker()
    try:
        yield state
    finally:
        state.stop_worker()


def emit(partner) -> WebhookDelivery:
    """An application's event, written as the moves write theirs (in a transaction; published at commit)."""
    application = partner_application(partner)
    with transaction.atomic():
        event = partner_event_emit(type="application.approved", partner=partner, livemode=False,
                                   object=application_snapshot(application), application=application)  # fmt: skip
    return WebhookDelivery.objects.get(event=event)


def status(delivery) -> str:
    return WebhookDelivery.objects.filter(pk=delivery.pk).values_list("status", flat=True).get()


def test_the_worker_retries_until_the_receiver_answers(world, partner, receiver):
    receiver.script = [500, 500]
    endpoint_for(partner, receiver.url)
    delivery = emit(partner)
    world.wait(lambda: status(delivery) == WebhookDelivery.Status.SUCCEEDED, "the delivery to succeed")
    codes = list(delivery.attempts.order_by("number").values_list("response_status", flat=True))
    assert codes == [500, 500, 200]
    gaps = [b.at - a.at for a, b in zip(receiver.received, receiver.received[1:], strict=False)]
    assert gaps[0] >= 0.45 and gaps[1] >= 0.95, gaps  # 0.5 s, then 1 s (the back-off in the worker's settings)
    owed = OwedWork.objects.get(subject_id=delivery.public_id, kind=WEBHOOK_WORK)
    assert owed.status == OwedWork.Status.DONE


@pytest.mark.parametrize("point", ["webhook_claimed", "webhook_answered"])
def test_nothing_is_lost_when_the_worker_is_killed_mid_delivery(world, partner, receiver, point):
    endpoint_for(partner, receiver.url)
    (world.hooks / f"{point}.pause").touch()
    delivery = emit(partner)
    wait_for(lambda: (world.hooks / f"{point}.reached").exists(), what=f"the worker to reach {point}")
    world.kill_worker()
    (world.hooks / f"{point}.pause").unlink()
    sent_before = len(receiver.received)
    assert sent_before == (1 if point == "webhook_answered" else 0)
    assert status(delivery) == WebhookDelivery.Status.PENDING  # its answer, if any, was never recorded
    assert list(delivery.attempts.values_list("outcome", flat=True)) == ["in_flight"]

    world.start_worker()
    world.wait(lambda: status(delivery) == WebhookDelivery.Status.SUCCEEDED, "the delivery to succeed after restart")
    assert list(delivery.attempts.order_by("number").values_list("outcome", flat=True)) == ["in_flight", "succeeded"]
    ids = [event["id"] for event in receiver.events()]
    assert ids == [delivery.event.public_id] * (sent_before + 1)  # at least once, always the same event id
    assert OwedWork.objects.get(subject_id=delivery.public_id, kind=WEBHOOK_WORK).status == OwedWork.Status.DONE
