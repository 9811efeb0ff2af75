"""Inbound acquirer webhooks: verified on the raw body, stored once, answered at once, processed as owed work."""

import hashlib
import hmac
import json
import time

import pytest
from django.urls import reverse

from onboarding.models import OwedWork
from payments.models import AcquirerEvent
from payments.webhooks import acquirer_event_process

pytestmark = pytest.mark.django_db
LIVE_SECRET, TEST_SECRET = "whsec_live_for_tests", "whsec_test_for_tests"


@pytest.fixture(autouse=True)
def secrets(settings):
    settings.STRIPE_WEBHOOK_SECRET, settings.STRIPE_TEST_WEBHOOK_SECRET = LIVE_SECRET, TEST_SECRET


def event(event_id="evt_1", kind="account.updated", livemode=False, **extra) -> bytes:
    body = {
        "id": event_id, "object": "event", "type": kind, "livemode": livemode, "created": int(time.time()),
        "account": "acct_1", "data": {"object": {"id": "acct_1", "object": "account"}}, **extra,
    }  # fmt: skip
    return json.dumps(body).encode()


def signed(payload: bytes, secret: str, at: int | None = None) -> str:
    at = at or int(time.time())
    digest = hmac.new(secret.encode(), f"{at}.".encode() + payload, hashlib.sha256).hexdigest()
    return f"t={at},v1={digest}"


def deliver(client, payload: bytes, signature: str):
    return client.post(
        reverse("acquirer-webhook"), payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=signature
    )


def test_a_signed_event_is_stored_once_and_owes_its_processing(client):
    payload = event()
    assert deliver(client, payload, signed(payload, TEST_SECRET)).status_code == 200
    assert deliver(client, payload, signed(payload, TEST_SECRET)).status_code == 200  # a redelivery
    stored = AcquirerEvent.objects.get()
    assert stored.event_id == "evt_1" and stored.livemode is False and stored.account == "acct_1"
    assert OwedWork.objects.filter(kind="acquirer_event", subject_id=str(stored.pk), status="pending").count() == 1


@pytest.mark.parametrize(
    "signature",
    [
        pytest.param(lambda p: signed(p + b" ", TEST_SECRET), id="tampered body"),
        pytest.param(lambda p: signed(p, "whsec_someone_else"), id="another secret"),
        pytest.param(lambda p: signed(p, TEST_SECRET, at=int(time.time()) - 301), id="stale"),
        pytest.param(lambda p: signed(p, LIVE_SECRET), id="test event signed with the live secret"),
        pytest.param(lambda p: "", id="no signature"),
    ],
)
def test_a_bad_or_stale_signature_is_a_400_and_stores_nothing(client, signature):
    payload = event()
    response = deliver(client, payload, signature(payload))
    assert response.status_code == 400 and "signature" in response.json()["error"]
    assert not AcquirerEvent.objects.exists() and not OwedWork.objects.filter(kind="acquirer_event").exists()


def test_an_unknown_type_is_stored_and_marked_ignored(client):
    payload = event(kind="payout.paid", livemode=True)
    assert deliver(client, payload, signed(payload, LIVE_SECRET)).status_code == 200
    stored = AcquirerEvent.objects.get()
    assert acquirer_event_process(event_id=stored.pk) == "ignored"
    stored.refresh_from_db()
    assert stored.ignored and stored.processed_at
    assert OwedWork.objects.get(kind="acquirer_event").status == "done"


def test_an_account_event_for_no_merchant_of_ours_is_processed_and_not_ignored(client):
    payload = event(event_id="evt_2")
    deliver(client, payload, signed(payload, TEST_SECRET))
    stored = AcquirerEvent.objects.get()
    assert acquirer_event_process(event_id=stored.pk) == "not our account"
    stored.refresh_from_db()
    assert not stored.ignored and stored.processed_at
