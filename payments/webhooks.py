"""Inbound webhooks from the acquirer at ``/webhooks/acquirer/``.

The signature is verified on the raw body (``stripe.Webhook.construct_event``, 300-second tolerance) with
the secret of the event's mode; a bad or stale signature is a 400 and stores nothing. Each event is stored
once by its id (a unique constraint: a redelivery is a no-op), answered 200 at once, and processed as owed
work. Events arrive in any order, so processing re-reads the object from the acquirer: the latest state
wins, whatever the event said. Types we do not act on are stored and marked ignored.

What is stored is the event's envelope and the object's identity and status fields only: an account or
person object carries personal data (dates of birth, addresses), which never lands in this table.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import stripe
from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from onboarding.models import Application, Merchant
from onboarding.states import AppState
from onboarding.work import owed_work_done, owed_work_record
from payments.gateway import AcquirerUnavailable
from payments.models import AcquirerEvent, Terminal
from payments.retry import retry_later

logger = logging.getLogger(__name__)
EVENT_WORK = "acquirer_event"
ENVELOPE = ("id", "object", "type", "account", "created", "livemode", "api_version", "pending_webhooks")
OBJECT_FIELDS = ("id", "object", "account", "status", "requirements", "capabilities", "charges_enabled",
                 "payouts_enabled", "details_submitted", "location", "device_type", "deleted", "action")  # fmt: skip
TOLERANCE_SECONDS = 300
ACCOUNT_TYPES = ("account.updated", "capability.updated", "person.updated", "account.external_account.")
READER_TYPES = ("terminal.reader.",)


def _verified(payload: bytes, signature: str):
    """The event, if one of our secrets signed it (the live or the test one), with its mode checked."""
    for secret, livemode in ((settings.STRIPE_WEBHOOK_SECRET, True), (settings.STRIPE_TEST_WEBHOOK_SECRET, False)):
        if not secret:
            continue
        try:
            event = stripe.Webhook.construct_event(payload, signature, secret, tolerance=TOLERANCE_SECONDS).to_dict()
        except (stripe.SignatureVerificationError, ValueError):
            continue
        if bool(event.get("livemode")) == livemode:
            return event
    return None


@csrf_exempt
@require_POST
def acquirer_webhook(request):
    event = _verified(request.body, request.headers.get("Stripe-Signature", ""))
    if event is None:
        return JsonResponse({"error": "The signature does not match or is too old."}, status=400)
    try:
        with transaction.atomic():
            stored = AcquirerEvent.objects.create(
                event_id=event["id"],
                type=event.get("type", ""),
                livemode=bool(event.get("livemode")),
                account=event.get("account") or "",
                created=datetime.fromtimestamp(int(event.get("created") or 0), tz=UTC),
                payload=_kept(event),
            )
            owed_work_record(subject=stored, kind=EVENT_WORK)
    except IntegrityError:  # delivered before: already stored
        pass
    return HttpResponse(status=200)


def _kept(event: dict) -> dict:
    obj = (event.get("data") or {}).get("object") or {}
    kept = {name: event[name] for name in ENVELOPE if name in event}
    return {**kept, "data": {"object": {name: obj[name] for name in OBJECT_FIELDS if name in obj}}}


def _account_of(event: AcquirerEvent) -> str:
    obj = (event.payload.get("data") or {}).get("object") or {}
    return event.account or (obj.get("id") if obj.get("object") == "account" else "") or obj.get("account") or ""


def acquirer_event_process(*, event_id: int) -> str:
    """Act on one stored event; returns what was done."""
    from payments.account_watch import merchant_account_refresh
    from payments.boarding import boarding_advance

    event = AcquirerEvent.objects.get(pk=event_id)
    outcome = "ignored"
    if event.type.startswith(ACCOUNT_TYPES):
        merchant = Merchant.objects.filter(acquirer_account_id=_account_of(event)).first()
        boarding = Application.objects.filter(merchant=merchant, state=AppState.BOARDING).first() if merchant else None
        # Re-read from the acquirer: what the event carried may already be out of date.
        if boarding is not None:
            outcome = boarding_advance(public_id=boarding.public_id)
        elif merchant is not None:
            try:
                outcome = merchant_account_refresh(merchant=merchant)
            except AcquirerUnavailable as exc:
                retry_later(subject=event, kind=EVENT_WORK, exc=exc)
                return "retrying"
        else:
            outcome = "not our account"
    elif event.type.startswith(READER_TYPES):
        reader = ((event.payload.get("data") or {}).get("object") or {}).get("id", "")
        known = Terminal.objects.filter(acquirer_reader_id=reader).exists()
        outcome = "reader known" if known else "reader not ours"
    with transaction.atomic():
        AcquirerEvent.objects.filter(pk=event.pk).update(processed_at=timezone.now(), ignored=outcome == "ignored")
        owed_work_done(subject=event, kind=EVENT_WORK)
    return outcome
