"""Delivering against a real receiver on 127.0.0.1: it fails first and then succeeds, each attempt's
answer is kept, the back-off follows the schedule, a slow or redirecting receiver is a failed attempt, a
delivery held by one worker is not sent by another, and at the end of the window the delivery fails
(listed, and can be sent again)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from onboarding import work
from onboarding.errors import InvalidTransition, PermissionDenied
from onboarding.models import Event, OwedWork, WebhookAttempt, WebhookDelivery
from onboarding.services.actors import Actor
from onboarding.services.applications import application_submit
from onboarding.services.partner_events import WEBHOOK_WORK
from onboarding.services.webhook_deliveries import (
    _claim,
    retry_delay,
    retry_schedule,
    webhook_delivery_attempt,
    webhook_delivery_resend,
)
from onboarding.services.webhook_endpoints import webhook_endpoint_ping
from onboarding.tasks import deliver_webhook
from tests.factories import UserFactory, officer
from tests.onboarding.webhooks_out.conftest import SYSTEM, endpoint_for, partner_application

pytestmark = pytest.mark.django_db


def submitted_delivery(partner, receiver, **endpoint) -> WebhookDelivery:
    endpoint_for(partner, receiver.url, event_types=["application.submitted"], **endpoint)
    application = partner_application(partner)
    application_submit(application=application, actor=Actor.for_user(application.applicant))
    return WebhookDelivery.objects.get(event__type="application.submitted")


def due_now(delivery) -> str:
    """The next attempt's time has come: one attempt, as the worker the sweeper publishes to makes it."""
    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    return webhook_delivery_attempt(public_id=delivery.public_id)


def owed(delivery) -> OwedWork:
    return OwedWork.objects.filter(subject_id=delivery.public_id, kind=WEBHOOK_WORK).order_by("-id").first()


def test_a_receiver_that_fails_twice_gets_the_event_on_the_third_attempt(partner, receiver):
    receiver.script = [500, 503]
    delivery = submitted_delivery(partner, receiver)
    assert owed(delivery).status == OwedWork.Status.PENDING

    before = timezone.now()
    assert webhook_delivery_attempt(public_id=delivery.public_id) == "retrying"
    first_due = owed(delivery).due_at
    assert timedelta(seconds=59) <= first_due - before <= timedelta(seconds=62)
    # A duplicate of the task, early: it keeps to the back-off and sends nothing.
    assert webhook_delivery_attempt(public_id=delivery.public_id) == "not_due"
    assert len(receiver.received) == 1
    assert due_now(delivery) == "retrying"
    assert owed(delivery).due_at - timezone.now() > timedelta(seconds=110)  # doubled: 2 minutes
    assert owed(delivery).last_error == "answered HTTP 503"
    assert due_now(delivery) == "succeeded"

    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.SUCCEEDED and delivery.delivered_at is not None
    assert owed(delivery).status == OwedWork.Status.DONE
    attempts = list(delivery.attempts.values_list("number", "outcome", "response_status"))
    assert attempts == [(1, "failed", 500), (2, "failed", 503), (3, "succeeded", 200)]
    assert all(a.duration_ms is not None and a.finished_at for a in delivery.attempts.all())
    ids = {event["id"] for event in receiver.events()}
    assert len(receiver.received) == 3 and ids == {delivery.event.public_id}  # the same event each time
    # Done is done: a late duplicate task sends nothing more.
    assert webhook_delivery_attempt(public_id=delivery.public_id) == "succeeded"
    assert len(receiver.received) == 3


def test_the_sweeper_and_worker_retry_on_the_schedule_until_the_receiver_recovers(partner, receiver, monkeypatch):
    """Beat and worker in this process: the sweeper publishes what is due, the 'broker' runs the task."""
    receiver.script = [500, 500, 500]

    def run(task, args, kwargs=None, **_):
        if task == "onboarding.tasks.deliver_webhook":
            # The sweeper runs at the due time, so the delivery is due (this clock has not moved on).
            WebhookDelivery.objects.filter(public_id=args[0]).update(next_attempt_at=timezone.now())
            deliver_webhook(*args)
        return True

    monkeypatch.setattr(work, "publish_task", run)
    delivery = submitted_delivery(partner, receiver)
    waits = []
    for _ in range(10):
        if WebhookDelivery.objects.get(pk=delivery.pk).status != WebhookDelivery.Status.PENDING:
            break
        work.sweep_owed_work(now=owed(delivery).due_at + timedelta(seconds=1))
        last = delivery.attempts.order_by("-number").first()
        if last.outcome == WebhookAttempt.Outcome.FAILED:
            waits.append(round((owed(delivery).due_at - last.finished_at).total_seconds()))
    assert waits == [60, 120, 240]
    assert WebhookDelivery.objects.get(pk=delivery.pk).status == WebhookDelivery.Status.SUCCEEDED
    assert [r.event["type"] for r in receiver.received] == ["application.submitted"] * 4


def test_the_back_off_doubles_to_its_cap_and_keeps_trying_for_three_days(settings):
    assert [retry_delay(n).total_seconds() for n in (1, 2, 3, 4)] == [60, 120, 240, 480]
    assert retry_delay(20) == timedelta(hours=6)
    schedule = retry_schedule()
    assert schedule[0] == timedelta(0) and schedule[-1] == timedelta(days=3)
    gaps = [b - a for a, b in zip(schedule, schedule[1:], strict=False)]
    assert all(gap <= timedelta(hours=6) for gap in gaps)
    assert gaps[:-1] == sorted(gaps[:-1])  # growing, until the last one that ends the window
    assert 15 <= len(schedule) <= 25
    settings.WEBHOOK_RETRY_DAYS = 5
    assert retry_schedule()[-1] == timedelta(days=5)


def test_after_the_window_the_delivery_fails_and_can_be_sent_again(partner, receiver, settings):
    receiver.script = [500]
    delivery = submitted_delivery(partner, receiver)
    # The delivery was first tried three days ago: this attempt is the last one.
    WebhookDelivery.objects.filter(pk=delivery.pk).update(retry_from=timezone.now() - timedelta(days=3))
    assert webhook_delivery_attempt(public_id=delivery.public_id) == "retrying"
    row = owed(delivery)
    assert row.due_at == row.deadline_at  # no more attempts: it waits for its deadline
    OwedWork.objects.filter(pk=row.pk).update(deadline_at=timezone.now(), due_at=timezone.now())
    work.sweep_owed_work()
    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.FAILED
    assert owed(delivery).status == OwedWork.Status.NEEDS_ATTENTION
    assert Event.objects.filter(action="owed_work_exhausted", details__subject=delivery.public_id).exists()

    with pytest.raises(PermissionDenied):
        webhook_delivery_resend(delivery=delivery, actor=Actor.for_user(UserFactory()))
    webhook_delivery_resend(delivery=delivery, actor=Actor.for_user(admin_user()))
    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.PENDING
    assert owed(delivery).status == OwedWork.Status.PENDING
    assert owed(delivery).deadline_at > timezone.now() + timedelta(days=3)
    receiver.script = [500]
    before = timezone.now()
    assert webhook_delivery_attempt(public_id=delivery.public_id) == "retrying"
    assert owed(delivery).due_at - before < timedelta(seconds=62)  # the back-off starts afresh
    assert due_now(delivery) == "succeeded"
    assert Event.objects.filter(action="webhook_resent", subject_id=delivery.public_id).exists()


def admin_user():
    from onboarding.roles import ADMINISTRATOR

    return officer(ADMINISTRATOR)


def test_a_slow_receiver_times_out_and_a_redirect_is_not_followed(partner, receiver, settings):
    settings.WEBHOOK_TIMEOUT_SECONDS = 0.3
    receiver.delay_seconds = 1.0
    delivery = submitted_delivery(partner, receiver)
    assert webhook_delivery_attempt(public_id=delivery.public_id) == "retrying"
    attempt = delivery.attempts.get()
    assert attempt.response_status is None and attempt.error == "no answer within 0.3 s"
    assert attempt.duration_ms < 1000

    receiver.delay_seconds, receiver.script = 0, [302]
    assert due_now(delivery) == "retrying"
    assert delivery.attempts.get(number=2).response_status == 302
    assert [r.path for r in receiver.received] == ["/hooks", "/hooks"]  # /elsewhere never asked


def test_a_receiver_that_is_not_there_is_a_failed_attempt(partner):
    endpoint_for(partner, "http://127.0.0.1:9/unreachable")
    application = partner_application(partner)
    application_submit(application=application, actor=Actor.for_user(application.applicant))
    delivery = WebhookDelivery.objects.get(event__type="application.submitted")
    assert webhook_delivery_attempt(public_id=delivery.public_id) == "retrying"
    assert delivery.attempts.get().error.startswith("connection failed")


def test_a_delivery_held_by_one_worker_is_not_sent_by_another(partner, receiver):
    delivery = submitted_delivery(partner, receiver)
    held = _claim(delivery)
    assert held is not None and held.outcome == WebhookAttempt.Outcome.IN_FLIGHT
    assert webhook_delivery_attempt(public_id=delivery.public_id) == "busy"
    assert receiver.received == []
    # The lease runs out (the first worker died): the next attempt goes ahead, the first stays unanswered.
    WebhookDelivery.objects.filter(pk=delivery.pk).update(lease_until=timezone.now() - timedelta(seconds=1))
    assert webhook_delivery_attempt(public_id=delivery.public_id) == "succeeded"
    assert list(delivery.attempts.values_list("number", "outcome")) == [(1, "in_flight"), (2, "succeeded")]


def test_a_ping_is_tried_once_and_reports_its_answer(partner, receiver):
    endpoint, _ = endpoint_for(partner, receiver.url)
    receiver.script = [418]
    delivery = webhook_endpoint_ping(endpoint=endpoint, actor=SYSTEM)
    assert delivery.status == WebhookDelivery.Status.FAILED and delivery.last_status_code == 418
    assert receiver.events()[0]["type"] == "ping"
    assert receiver.events()[0]["data"]["object"]["id"] == endpoint.public_id
    assert not OwedWork.objects.filter(kind=WEBHOOK_WORK).exists()  # nothing retries it
    assert webhook_endpoint_ping(endpoint=endpoint, actor=SYSTEM).status == WebhookDelivery.Status.SUCCEEDED


def test_a_pending_delivery_under_way_is_not_resent(partner, receiver):
    delivery = submitted_delivery(partner, receiver)
    _claim(delivery)
    with pytest.raises(InvalidTransition):
        webhook_delivery_resend(delivery=delivery, actor=Actor.for_user(admin_user()))
