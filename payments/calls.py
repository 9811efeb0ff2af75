"""Each call to the acquirer exactly once, whatever crashes, retries or duplicate deliveries happen.

Three steps: (1) in a transaction, claim the call (its ``AcquirerObject`` row, keyed by our idempotency
key, records the attempt); (2) outside any transaction or lock, call the acquirer with that key; (3) in a
second transaction, record the acquirer's id. A row that already has its id answers at once. A call whose
outcome stayed unknown for longer than the acquirer keeps keys (``KEY_LIFETIME``) first looks the object
up by our metadata, since a replay of the key could no longer return it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone

from onboarding.models import Merchant
from onboarding.testhooks import pause_point
from payments.gateway import AcquirerError
from payments.models import AcquirerObject

# Stripe keeps idempotency keys about 24 hours; look up a little before that.
KEY_LIFETIME = timedelta(hours=23)


def _claim(*, key: str, kind: str, merchant: Merchant) -> tuple[AcquirerObject, bool]:
    """The call's row, its attempt recorded; and whether its outcome may be older than the key."""
    now = timezone.now()
    with transaction.atomic():
        record, _ = AcquirerObject.objects.get_or_create(
            key=key, defaults={"kind": kind, "merchant": merchant, "livemode": merchant.livemode}
        )
        if record.completed_at:
            return record, False
        AcquirerObject.objects.filter(pk=record.pk).update(
            attempts=F("attempts") + 1, last_attempt_at=now, first_attempt_at=Coalesce(F("first_attempt_at"), now)
        )
    stale = record.first_attempt_at is not None and record.first_attempt_at < now - KEY_LIFETIME
    return record, stale


def _failed(record: AcquirerObject, exc: AcquirerError) -> None:
    AcquirerObject.objects.filter(pk=record.pk).update(last_error=f"{exc.code}: {exc.message}"[:500])


def acquirer_create(
    *, key: str, kind: str, merchant: Merchant, create: Callable[[str], str], find: Callable[[], str | None]
) -> str:
    """The acquirer's id of the object ``key`` names, creating it once: ``create(key)`` makes it with
    that idempotency key, ``find()`` looks it up by our metadata after an old unknown outcome."""
    record, stale = _claim(key=key, kind=kind, merchant=merchant)
    if record.completed_at:
        return record.acquirer_id
    try:
        acquirer_id = (find() if stale else None) or create(key)
    except AcquirerError as exc:
        _failed(record, exc)
        raise
    pause_point(f"acquirer_created_{kind}")
    with transaction.atomic():
        AcquirerObject.objects.filter(pk=record.pk, completed_at__isnull=True).update(
            acquirer_id=acquirer_id, completed_at=timezone.now(), last_error=""
        )
    return acquirer_id


def acquirer_update(*, key: str, merchant: Merchant, send: Callable[[str], None]) -> bool:
    """Send an update once per key (the key names what it sends); False when it was already sent."""
    record, _stale = _claim(key=key, kind=AcquirerObject.Kind.UPDATE, merchant=merchant)
    if record.completed_at:
        return False
    try:
        send(key)  # an update is safe to repeat, even after the key has expired
    except AcquirerError as exc:
        _failed(record, exc)
        raise
    AcquirerObject.objects.filter(pk=record.pk, completed_at__isnull=True).update(
        completed_at=timezone.now(), last_error=""
    )
    return True


def acquirer_id_of(key: str) -> str | None:
    return AcquirerObject.objects.filter(key=key).values_list("acquirer_id", flat=True).first()
