"""Deleting what the partner API keeps only for a while, so its tables stay the size of their use.

- Idempotency keys older than ``IDEMPOTENCY_KEEP_HOURS`` (48 by default; the settings refuse less than a
  day or than the replay window ``PARTNER_API_IDEMPOTENCY_HOURS``, so a key is never purged while a retry
  could still be answered from it).
- Partner events older than the catch-up window (``PARTNER_EVENTS_DAYS``) whose deliveries are all
  finished (succeeded, failed or cancelled), with those deliveries, their attempts and their finished
  owed work. An event with a pending delivery is never deleted: the check is made again on the locked
  delivery rows in the deleting transaction, so a delivery sent again meanwhile keeps its event.
- Onboarding links ``ONBOARDING_LINK_KEEP_DAYS`` after they expired (their creation, use and claim are in
  the event log, which stays).
- A rolled secret's previous secret, once it has expired, is cleared (it signs nothing any more).

Each batch of ``PURGE_BATCH_SIZE`` rows is deleted in its own short transaction, never the whole backlog
in one; a run stops after ``max_batches`` of each kind and the next run carries on. Running twice at once
does no harm: a row deleted by one is simply not found by the other. These are records of the API's
plumbing, not the applications' evidence, whose retention is the event log's (``purge_events``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from onboarding.models import (
    IdempotencyKey,
    OnboardingLink,
    OwedWork,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)
from onboarding.services.partner_events import WEBHOOK_WORK

logger = logging.getLogger(__name__)
MAX_BATCHES = 200
DELIVERY_SUBJECT = WebhookDelivery._meta.label_lower


@dataclass(frozen=True)
class PurgeCounts:
    idempotency_keys: int
    webhook_events: int
    webhook_deliveries: int
    onboarding_links: int
    expired_secrets: int

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def _in_batches(next_ids: Callable[[], list[int]], delete: Callable[[list[int]], int], max_batches: int) -> int:
    deleted = 0
    for _batch in range(max_batches):
        ids = next_ids()
        if not ids:
            break
        with transaction.atomic():
            deleted += delete(ids)
    return deleted


def idempotency_keys_purge(*, now: datetime, batch_size: int, max_batches: int = MAX_BATCHES) -> int:
    cutoff = now - timedelta(hours=settings.IDEMPOTENCY_KEEP_HOURS)
    # A key a request took over again (locked_at) is as young as that request.
    old = IdempotencyKey.objects.filter(created_at__lt=cutoff, locked_at__lt=cutoff)
    return _in_batches(
        lambda: list(old.order_by("id").values_list("id", flat=True)[:batch_size]),
        lambda ids: old.filter(pk__in=ids).delete()[0],
        max_batches,
    )


def onboarding_links_purge(*, now: datetime, batch_size: int, max_batches: int = MAX_BATCHES) -> int:
    old = OnboardingLink.objects.filter(expires_at__lt=now - timedelta(days=settings.ONBOARDING_LINK_KEEP_DAYS))
    return _in_batches(
        lambda: list(old.order_by("id").values_list("id", flat=True)[:batch_size]),
        lambda ids: old.filter(pk__in=ids).delete()[0],
        max_batches,
    )


def _delete_finished_events(event_ids: list[int]) -> tuple[int, int]:
    """Inside a transaction: delete those of ``event_ids`` whose deliveries are all finished, judged on the
    delivery rows locked here (a re-send waits for this transaction, or this one sees it)."""
    deliveries = list(
        WebhookDelivery.objects.select_for_update()
        .filter(event_id__in=event_ids)
        .order_by("id")
        .values_list("id", "event_id", "status", "public_id")
    )
    keep = {event for _id, event, status, _public_id in deliveries if status == WebhookDelivery.Status.PENDING}
    owed_pending = set(
        OwedWork.objects.filter(
            subject_type=DELIVERY_SUBJECT,
            kind=WEBHOOK_WORK,
            status=OwedWork.Status.PENDING,
            subject_id__in=[public_id for *_rest, public_id in deliveries],
        ).values_list("subject_id", flat=True)
    )
    keep |= {event for _id, event, _status, public_id in deliveries if public_id in owed_pending}
    gone = [pk for pk, event, _status, _public_id in deliveries if event not in keep]
    gone_public = [public_id for _pk, event, _status, public_id in deliveries if event not in keep]
    WebhookAttempt.objects.filter(delivery_id__in=gone).delete()
    OwedWork.objects.filter(subject_type=DELIVERY_SUBJECT, kind=WEBHOOK_WORK, subject_id__in=gone_public).delete()
    deleted_deliveries = WebhookDelivery.objects.filter(pk__in=gone).delete()[0]
    deleted_events = WebhookEvent.objects.filter(pk__in=[e for e in event_ids if e not in keep]).delete()[0]
    return deleted_events, deleted_deliveries


def webhook_events_purge(*, now: datetime, batch_size: int, max_batches: int = MAX_BATCHES) -> tuple[int, int]:
    """(events, deliveries) deleted: events past the catch-up window with no delivery still pending."""
    cutoff = now - timedelta(days=settings.PARTNER_EVENTS_DAYS)
    candidates = WebhookEvent.objects.filter(created_at__lt=cutoff).exclude(
        deliveries__status=WebhookDelivery.Status.PENDING
    )
    events = deliveries = 0
    after = 0  # an event kept (a delivery became pending) is passed over, never read again in this run
    for _batch in range(max_batches):
        ids = list(candidates.filter(id__gt=after).order_by("id").values_list("id", flat=True)[:batch_size])
        if not ids:
            break
        after = ids[-1]
        with transaction.atomic():
            deleted_events, deleted_deliveries = _delete_finished_events(ids)
        events += deleted_events
        deliveries += deleted_deliveries
    return events, deliveries


def expired_secrets_clear(*, now: datetime) -> int:
    # The condition is checked again on each row as it is updated, so a roll made meanwhile is kept.
    return WebhookEndpoint.objects.filter(previous_secret_expires_at__lte=now).update(
        previous_secret=None, previous_secret_expires_at=None
    )


def partner_records_purge(
    *, now: datetime | None = None, batch_size: int | None = None, max_batches: int = MAX_BATCHES
) -> PurgeCounts:
    """The hourly purge (beat): everything above, each kind in its own batches."""
    now = now or timezone.now()
    size = batch_size or settings.PURGE_BATCH_SIZE
    events, deliveries = webhook_events_purge(now=now, batch_size=size, max_batches=max_batches)
    counts = PurgeCounts(
        idempotency_keys=idempotency_keys_purge(now=now, batch_size=size, max_batches=max_batches),
        webhook_events=events,
        webhook_deliveries=deliveries,
        onboarding_links=onboarding_links_purge(now=now, batch_size=size, max_batches=max_batches),
        expired_secrets=expired_secrets_clear(now=now),
    )
    if any(counts.as_dict().values()):
        logger.info("partner records purged: %s", counts.as_dict())
    return counts
