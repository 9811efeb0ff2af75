"""The hourly purge of the partner API's short-lived records: what goes (old idempotency keys, events past
the catch-up window whose deliveries all finished, with those deliveries, attempts and owed work; links
a week after they expired; expired previous secrets) and what stays (younger rows, and any event with a
delivery still pending); in batches, a run carrying on where the last stopped."""

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from onboarding.errors import InvalidTransition
from onboarding.models import (
    Event,
    IdempotencyKey,
    OnboardingLink,
    OwedWork,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)
from onboarding.services.actors import Actor
from onboarding.services.onboarding_links import onboarding_link_create
from onboarding.services.partner_events import WEBHOOK_WORK, delivery_owe
from onboarding.services.partner_records_purge import partner_records_purge
from onboarding.services.webhook_deliveries import webhook_delivery_resend
from onboarding.services.webhook_endpoints import webhook_endpoint_roll_secret
from onboarding.tasks import purge_partner_records
from onboarding.work import owed_work_done
from tests.onboarding.webhooks_out.conftest import SYSTEM, endpoint_for, partner_application

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[3]
Status = WebhookDelivery.Status


def days_ago(days: float):
    return timezone.now() - timedelta(days=days)


def event_of(partner, *, age_days: float, endpoints=(), statuses=()) -> WebhookEvent:
    """An event made ``age_days`` ago, with one delivery per endpoint in the status given (each with an
    attempt, and owed work finished unless the delivery is pending)."""
    event = WebhookEvent.objects.create(
        partner=partner, type="application.submitted", livemode=False, object_id="app_x", data={"object": {}}
    )
    WebhookEvent.objects.filter(pk=event.pk).update(created_at=days_ago(age_days))
    for endpoint, status in zip(endpoints, statuses, strict=True):
        delivery = delivery_owe(event=event, endpoint=endpoint, publish=False)
        at = days_ago(age_days)
        WebhookAttempt.objects.create(
            delivery=delivery, number=1, started_at=at, finished_at=at, outcome="failed", response_status=500
        )
        if status != Status.PENDING:
            WebhookDelivery.objects.filter(pk=delivery.pk).update(status=status, next_attempt_at=None)
            owed_work_done(subject=delivery, kind=WEBHOOK_WORK)
    return event


def owed_for(deliveries) -> int:
    ids = [d.public_id for d in deliveries]
    return OwedWork.objects.filter(kind=WEBHOOK_WORK, subject_id__in=ids).count()


@pytest.fixture
def endpoints(partner):
    return [endpoint_for(partner, f"https://hooks.example/{n}")[0] for n in range(3)]


def test_events_past_the_window_whose_deliveries_all_finished_go_with_their_deliveries(partner, endpoints):
    finished = event_of(partner, age_days=31, endpoints=endpoints, statuses=[Status.SUCCEEDED, Status.FAILED,
                                                                             Status.CANCELLED])  # fmt: skip
    nobody = event_of(partner, age_days=45)
    deliveries = list(finished.deliveries.all())
    assert owed_for(deliveries) == 3

    counts = partner_records_purge()
    assert counts.webhook_events == 2 and counts.webhook_deliveries == 3
    assert not WebhookEvent.objects.filter(pk__in=[finished.pk, nobody.pk]).exists()
    assert not WebhookDelivery.objects.exists() and not WebhookAttempt.objects.exists()
    assert owed_for(deliveries) == 0


def test_an_event_with_a_pending_delivery_is_never_purged(partner, endpoints):
    waiting = event_of(partner, age_days=90, endpoints=endpoints[:2], statuses=[Status.SUCCEEDED, Status.PENDING])
    partner_records_purge()
    assert WebhookEvent.objects.filter(pk=waiting.pk).exists()
    assert waiting.deliveries.count() == 2 and WebhookAttempt.objects.count() == 2
    assert owed_for(waiting.deliveries.all()) == 2


def test_an_event_whose_delivery_still_owes_work_is_kept(partner, endpoints):
    event = event_of(partner, age_days=40, endpoints=endpoints[:1], statuses=[Status.PENDING])
    # Finished on its row, but its owed work is still pending (a worker has yet to record the end).
    WebhookDelivery.objects.filter(event=event).update(status=Status.FAILED)
    partner_records_purge()
    assert WebhookEvent.objects.filter(pk=event.pk).exists() and event.deliveries.count() == 1


def test_events_inside_the_catch_up_window_stay(partner, endpoints):
    recent = event_of(partner, age_days=settings.PARTNER_EVENTS_DAYS - 1, endpoints=endpoints[:1],
                      statuses=[Status.SUCCEEDED])  # fmt: skip
    assert partner_records_purge().webhook_events == 0
    assert WebhookEvent.objects.filter(pk=recent.pk).exists() and recent.deliveries.count() == 1


def test_a_delivery_sent_again_before_the_purge_keeps_its_event(partner, endpoints):
    event = event_of(partner, age_days=31, endpoints=endpoints[:1], statuses=[Status.FAILED])
    webhook_delivery_resend(delivery=event.deliveries.get(), actor=SYSTEM)
    partner_records_purge()
    assert WebhookEvent.objects.filter(pk=event.pk).exists()
    assert event.deliveries.get().status == Status.PENDING


def test_sending_again_a_delivery_the_purge_took_is_refused_clearly(partner, endpoints):
    event = event_of(partner, age_days=31, endpoints=endpoints[:1], statuses=[Status.FAILED])
    delivery = event.deliveries.get()
    partner_records_purge()
    with pytest.raises(InvalidTransition):
        webhook_delivery_resend(delivery=delivery, actor=SYSTEM)


def test_the_purge_works_in_batches_and_the_next_run_carries_on(partner, endpoints):
    for _ in range(5):
        event_of(partner, age_days=31, endpoints=endpoints[:1], statuses=[Status.SUCCEEDED])
    kept = event_of(partner, age_days=31, endpoints=endpoints[1:2], statuses=[Status.PENDING])
    first = partner_records_purge(batch_size=2, max_batches=2)
    assert first.webhook_events == 4 and WebhookEvent.objects.count() == 2
    assert partner_records_purge(batch_size=2).webhook_events == 1
    assert list(WebhookEvent.objects.values_list("pk", flat=True)) == [kept.pk]


def key(partner, name: str, *, age_hours: float) -> IdempotencyKey:
    at = timezone.now() - timedelta(hours=age_hours)
    row = IdempotencyKey.objects.create(partner=partner, livemode=False, key=name, request_hash="0" * 64,
                                        state="done", response_status=201, locked_at=at)  # fmt: skip
    IdempotencyKey.objects.filter(pk=row.pk).update(created_at=at)
    return row


def test_idempotency_keys_go_after_their_keep_time_and_not_before(partner):
    keep = settings.IDEMPOTENCY_KEEP_HOURS
    assert keep == 48 and settings.PARTNER_API_IDEMPOTENCY_HOURS == 24  # kept a day after replays end
    key(partner, "old", age_hours=keep + 1)
    key(partner, "older", age_hours=keep * 3)
    key(partner, "almost", age_hours=keep - 1)
    key(partner, "replayable", age_hours=1)
    assert partner_records_purge(batch_size=1).idempotency_keys == 2
    assert set(IdempotencyKey.objects.values_list("key", flat=True)) == {"almost", "replayable"}


def test_a_key_taken_over_by_a_recent_request_is_kept(partner):
    row = key(partner, "taken-over", age_hours=settings.IDEMPOTENCY_KEEP_HOURS + 5)
    IdempotencyKey.objects.filter(pk=row.pk).update(state="in_flight", locked_at=timezone.now())
    partner_records_purge()
    assert IdempotencyKey.objects.filter(pk=row.pk).exists()


def link_expired(partner, *, days: float) -> OnboardingLink:
    application = partner_application(partner)
    link, _url = onboarding_link_create(application=application, email="mei@example.com",
                                        actor=Actor.for_partner(partner))  # fmt: skip
    OnboardingLink.objects.filter(pk=link.pk).update(created_at=days_ago(days + 1), expires_at=days_ago(days))
    return link


def test_onboarding_links_go_a_week_after_they_expired_and_their_events_stay(partner):
    assert settings.ONBOARDING_LINK_KEEP_DAYS == 7
    gone = link_expired(partner, days=8)
    used = link_expired(partner, days=30)
    OnboardingLink.objects.filter(pk=used.pk).update(used_at=days_ago(30.5))
    recently = link_expired(partner, days=6)
    open_link = link_expired(partner, days=-0.01)  # still open for a few minutes
    assert partner_records_purge().onboarding_links == 2
    assert set(OnboardingLink.objects.values_list("pk", flat=True)) == {recently.pk, open_link.pk}
    assert Event.objects.filter(action="onboarding_link_created", details__link=gone.public_id).exists()


def test_an_expired_previous_secret_is_cleared_and_a_valid_one_kept(partner):
    expired, _ = endpoint_for(partner, "https://hooks.example/expired")
    valid, _ = endpoint_for(partner, "https://hooks.example/valid")
    for endpoint in (expired, valid):
        webhook_endpoint_roll_secret(endpoint=endpoint, actor=SYSTEM, expires_in_hours=2)
    WebhookEndpoint.objects.filter(pk=expired.pk).update(previous_secret_expires_at=days_ago(0.01))
    assert partner_records_purge().expired_secrets == 1
    expired.refresh_from_db()
    valid.refresh_from_db()
    assert expired.previous_secret is None and expired.previous_secret_expires_at is None
    assert valid.previous_secret and len(valid.signing_secrets()) == 2


def test_beat_runs_the_purge_hourly(partner, endpoints):
    entry = next(e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == purge_partner_records.name)
    assert entry["schedule"] == timedelta(hours=1)
    event_of(partner, age_days=31, endpoints=endpoints[:1], statuses=[Status.SUCCEEDED])
    assert purge_partner_records()["webhook_events"] == 1


@pytest.mark.parametrize(
    ("env", "refused"),
    [
        ({"IDEMPOTENCY_KEEP_HOURS": "12"}, "IDEMPOTENCY_KEEP_HOURS"),
        ({"IDEMPOTENCY_KEEP_HOURS": "30", "PARTNER_API_IDEMPOTENCY_HOURS": "36"}, "IDEMPOTENCY_KEEP_HOURS"),
        ({"ONBOARDING_LINK_KEEP_DAYS": "0"}, "ONBOARDING_LINK_KEEP_DAYS"),
        ({"PURGE_BATCH_SIZE": "0"}, "PURGE_BATCH_SIZE"),
    ],
)
def test_the_settings_refuse_keep_times_shorter_than_the_replay_window(tmp_path, env, refused):
    result = subprocess.run(
        [sys.executable, "-c", "import portal.settings"],
        cwd=ROOT,
        env={**os.environ, **env, "PORTAL_VAR_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0 and "ImproperlyConfigured" in result.stderr and refused in result.stderr
