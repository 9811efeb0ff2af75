"""Celery tasks of boarding: thin and idempotent (the services decide whether anything is left to do)."""

from celery import shared_task
from django.db import InterfaceError, OperationalError

from onboarding import work
from payments.boarding import BOARDING_WORK, boarding_advance

RELIABLE = {"acks_late": True, "reject_on_worker_lost": True}
TRANSIENT = (OperationalError, InterfaceError)


@shared_task(**RELIABLE, autoretry_for=TRANSIENT, retry_backoff=2, retry_backoff_max=60, max_retries=5)
def board_application(public_id: str) -> str:
    """Board one approved application with the acquirer (states approved and boarding)."""
    with work.failures_recorded(subject_type="onboarding.application", subject_id=public_id, kind=BOARDING_WORK):
        return boarding_advance(public_id=public_id)


@shared_task(**RELIABLE, autoretry_for=TRANSIENT, retry_backoff=2, retry_backoff_max=60, max_retries=5)
def activate_terminal(public_id: str) -> str:
    """Register one terminal's reader with the acquirer (state activating)."""
    from payments.activation import TERMINAL_WORK, terminal_activate

    with work.failures_recorded(subject_type="payments.terminal", subject_id=public_id, kind=TERMINAL_WORK):
        return terminal_activate(public_id=public_id)


@shared_task(**RELIABLE, autoretry_for=TRANSIENT, retry_backoff=2, retry_backoff_max=60, max_retries=5)
def process_acquirer_event(event_id: str) -> str:
    """Act on one webhook event from the acquirer (stored by the webhook view)."""
    from payments.webhooks import EVENT_WORK, acquirer_event_process

    with work.failures_recorded(subject_type="payments.acquirerevent", subject_id=event_id, kind=EVENT_WORK):
        return acquirer_event_process(event_id=int(event_id))


@shared_task(**RELIABLE, autoretry_for=TRANSIENT, retry_backoff=2, retry_backoff_max=60, max_retries=5)
def sync_merchant(public_id: str) -> str:
    """Tell the acquirer a merchant's suspension, reactivation or closure."""
    from payments.merchant_sync import SYNC_WORK, merchant_sync

    with work.failures_recorded(subject_type="onboarding.merchant", subject_id=public_id, kind=SYNC_WORK):
        return merchant_sync(public_id=public_id)
