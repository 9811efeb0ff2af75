"""Delivering partner events: one attempt at a time, at least once, retried with exponential back-off
for ``WEBHOOK_RETRY_DAYS`` days.

An attempt happens in three steps, like every call out of the portal: (1) in a transaction, claim the
delivery with a short lease (a conditional update, so two workers never send it at once) and write the
attempt row; (2) with no transaction open, POST the signed event; (3) in a second transaction, record the
answer and either finish the delivery (a 2xx: its owed work is done in the same transaction) or set its
next attempt. A worker that dies between (1) and (3) leaves the attempt ``in_flight`` and the owed work
pending: the sweeper publishes it again once the lease has passed, and the event is sent again with
the same id (partners de-duplicate on it). Once the window has passed the owed work runs out and the
delivery is ``failed``, listed in the admin, where it can be sent again.

Nothing about a request's body or a receiver's answer is logged: only ids, status codes and durations.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from onboarding.errors import InvalidTransition, PermissionDenied
from onboarding.models import OwedWork, WebhookAttempt, WebhookDelivery
from onboarding.services.actors import Actor
from onboarding.services.events import event_record
from onboarding.services.partner_events import WEBHOOK_WORK
from onboarding.testhooks import pause_point
from onboarding.webhooks_out import http
from onboarding.webhooks_out.signature import HEADER, signature_header
from onboarding.webhooks_out.wire import event_body
from onboarding.work import owed_work_defer, owed_work_done, owed_work_pending, owed_work_record

logger = logging.getLogger(__name__)
RESEND_PERM = "onboarding.change_webhookdelivery"


def retry_delay(failures: int) -> timedelta:
    """The wait after the ``failures``-th failed attempt: base × 2^(failures − 1), capped."""
    base, cap = settings.WEBHOOK_RETRY_BASE_SECONDS, settings.WEBHOOK_RETRY_MAX_SECONDS
    return timedelta(seconds=min(base * 2 ** min(max(failures - 1, 0), 30), cap))


def retry_schedule(*, days: float | None = None) -> list[timedelta]:
    """When the attempts of a delivery that always fails are made, counted from its creation: the first
    at once, then with the back-off, and a last one when the window ends."""
    window = timedelta(days=settings.WEBHOOK_RETRY_DAYS if days is None else days)
    at, schedule, failures = timedelta(0), [timedelta(0)], 0
    while at < window:
        failures += 1
        at = min(at + retry_delay(failures), window)
        schedule.append(at)
    return schedule


def _window_end(delivery: WebhookDelivery):
    return delivery.retry_from + timedelta(days=settings.WEBHOOK_RETRY_DAYS)


def _lease() -> timedelta:
    return timedelta(seconds=2 * settings.WEBHOOK_TIMEOUT_SECONDS + 5)


def _claim(delivery: WebhookDelivery) -> WebhookAttempt | None:
    """Step 1: hold the delivery for one attempt and write the attempt row (or None: nothing to do now)."""
    now = timezone.now()
    with transaction.atomic():
        claimed = (
            WebhookDelivery.objects.filter(pk=delivery.pk, status=WebhookDelivery.Status.PENDING)
            # Due (a late duplicate of a task keeps to the back-off) and held by no other worker.
            .filter(next_attempt_at__lte=now)
            .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
            .update(lease_until=now + _lease(), attempt_count=F("attempt_count") + 1)
        )
        if not claimed:
            return None
        delivery.refresh_from_db()
        return WebhookAttempt.objects.create(delivery=delivery, number=delivery.attempt_count, started_at=now)


def _send(delivery: WebhookDelivery) -> http.Answer:
    """Step 2: the signed POST (no transaction is open)."""
    body = event_body(delivery.event)
    current, *older = delivery.endpoint.signing_secrets()
    headers = {HEADER: signature_header(current, body, older=older)}
    return http.post(delivery.endpoint.url, body, headers, timeout=settings.WEBHOOK_TIMEOUT_SECONDS)


def _record(delivery: WebhookDelivery, attempt: WebhookAttempt, answer: http.Answer) -> str:
    """Step 3: the answer, and what follows from it, in one transaction."""
    now = timezone.now()
    error = answer.error or ("" if answer.succeeded else f"answered HTTP {answer.status}")
    with transaction.atomic():
        WebhookAttempt.objects.filter(pk=attempt.pk).update(
            finished_at=now,
            outcome=WebhookAttempt.Outcome.SUCCEEDED if answer.succeeded else WebhookAttempt.Outcome.FAILED,
            response_status=answer.status,
            duration_ms=answer.duration_ms,
            error=error[:300],
        )
        common = {"lease_until": None, "last_status_code": answer.status, "last_error": error[:300]}
        if answer.succeeded:
            WebhookDelivery.objects.filter(pk=delivery.pk).update(
                status=WebhookDelivery.Status.SUCCEEDED, delivered_at=now, next_attempt_at=None, **common
            )
            owed_work_done(subject=delivery, kind=WEBHOOK_WORK)
            return WebhookDelivery.Status.SUCCEEDED
        # Counted in this window: a delivery sent again starts its back-off afresh.
        failures = (
            delivery.attempts.filter(started_at__gte=delivery.retry_from)
            .exclude(outcome=WebhookAttempt.Outcome.SUCCEEDED)
            .count()
        )
        end = _window_end(delivery)
        if now >= end:
            # The window is over: the owed work runs out at its deadline and the sweeper marks it failed.
            owed = owed_work_pending(subject=delivery, kind=WEBHOOK_WORK)
            next_at = owed.deadline_at if owed is not None and owed.deadline_at else now
        else:
            next_at = min(now + retry_delay(failures), end)
        WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=next_at, **common)
        owed_work_defer(subject=delivery, kind=WEBHOOK_WORK, due_at=next_at, error=error)
    return "retrying"


def webhook_delivery_attempt(*, public_id: str) -> str:
    """Make one attempt of a pending delivery (the worker's job); returns what became of it."""
    delivery = WebhookDelivery.objects.select_related("event", "endpoint").filter(public_id=public_id).first()
    if delivery is None:
        return "missing"
    if delivery.status != WebhookDelivery.Status.PENDING:
        return delivery.status
    attempt = _claim(delivery)
    if attempt is None:
        delivery.refresh_from_db()
        due = delivery.next_attempt_at is not None and delivery.next_attempt_at <= timezone.now()
        return "busy" if due and delivery.status == WebhookDelivery.Status.PENDING else "not_due"
    pause_point("webhook_claimed")
    answer = _send(delivery)
    pause_point("webhook_answered")
    outcome = _record(delivery, attempt, answer)
    logger.info(
        "webhook %s of %s to %s: attempt %d, %s in %d ms",
        delivery.public_id,
        delivery.event.public_id,
        delivery.endpoint.public_id,
        attempt.number,
        answer.status or answer.error,
        answer.duration_ms,
    )
    return outcome


def webhook_delivery_exhausted(delivery: WebhookDelivery, work: OwedWork) -> None:
    """The retry window passed without a 2xx answer: the delivery failed (it can be sent again)."""
    WebhookDelivery.objects.filter(pk=delivery.pk, status=WebhookDelivery.Status.PENDING).update(
        status=WebhookDelivery.Status.FAILED, next_attempt_at=None, lease_until=None
    )


def _ensure_may_resend(delivery: WebhookDelivery, actor: Actor) -> None:
    if actor.kind == "partner":
        if actor.partner is None or delivery.endpoint.partner_id != actor.partner.pk:
            raise PermissionDenied(_("No such delivery."))
        return
    if not actor.is_system:
        actor.require_perm(RESEND_PERM, "re-send webhooks")


def webhook_delivery_resend(*, delivery: WebhookDelivery, actor: Actor) -> WebhookDelivery:
    """Send a delivery again now, with a fresh retry window: a failed or delivered one is reopened, a
    pending one is brought forward. The endpoint must still exist and be enabled."""
    _ensure_may_resend(delivery, actor)
    now = timezone.now()
    with transaction.atomic():
        locked = WebhookDelivery.objects.select_for_update().select_related("endpoint").filter(pk=delivery.pk).first()
        if locked is None:  # purged with its event (past the catch-up window) while this was asked
            raise InvalidTransition(_("This delivery is no longer kept."))
        endpoint = locked.endpoint
        if endpoint.deleted_at is not None or not endpoint.enabled:
            raise InvalidTransition(_("The endpoint is deleted or switched off; switch it on to send to it."))
        if locked.status == WebhookDelivery.Status.PENDING and locked.lease_until and locked.lease_until > now:
            raise InvalidTransition(_("An attempt of this delivery is under way."))
        WebhookDelivery.objects.filter(pk=locked.pk).update(
            status=WebhookDelivery.Status.PENDING, retry_from=now, next_attempt_at=now, lease_until=None
        )
        # A fresh owed row: its deadline is the new window's.
        owed_work_done(subject=locked, kind=WEBHOOK_WORK)
        owed_work_record(subject=locked, kind=WEBHOOK_WORK, due_at=now)
        event_record(
            actor=actor,
            subject=locked,
            action="webhook_resent",
            details={"event": locked.event.public_id, "endpoint": endpoint.public_id, "was": locked.status},
        )
    delivery.refresh_from_db()
    return delivery


def webhook_deliveries_for_partner(*, partner, livemode: bool, endpoint=None, status: str | None = None):
    """A partner's delivery log, newest first (the scoping the API and the admin share)."""
    deliveries = WebhookDelivery.objects.filter(endpoint__partner=partner, endpoint__livemode=livemode)
    if endpoint is not None:
        deliveries = deliveries.filter(endpoint=endpoint)
    if status:
        deliveries = deliveries.filter(status=status)
    return deliveries.select_related("event", "endpoint").prefetch_related("attempts").order_by("-id")
