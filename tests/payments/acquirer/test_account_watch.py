"""A live merchant's account changing at the acquirer after boarding: the acquirer's own signed webhook,
through our endpoint, re-reads the account; the wallets and the officers' view follow."""

import hashlib
import hmac
import json
import time

import pytest
from django.conf import settings
from django.urls import reverse

from onboarding.models import Event, MerchantWallet
from onboarding.services.actors import Actor
from onboarding.services.merchants import merchant_suspend
from payments.boarding import REFUSED_WITH_ACCOUNT
from payments.models import AcquirerEvent
from payments.webhooks import acquirer_event_process
from tests.factories import officer
from tests.payments.acquirer.test_boarding import sole_proprietor_boarded

pytestmark = pytest.mark.django_db


def deliver_latest(client, local_acquirer, account: str) -> list[str]:
    """Post the acquirer's account events since the last call, signed as it signs them; process each."""
    outcomes = []
    seen = set(AcquirerEvent.objects.values_list("event_id", flat=True))
    for item in local_acquirer.events():
        body = item["event"]
        if item["account"] != account or body["id"] in seen:
            continue
        payload = json.dumps(body).encode()
        secret = settings.STRIPE_WEBHOOK_SECRET if body["livemode"] else settings.STRIPE_TEST_WEBHOOK_SECRET
        at = int(time.time())
        signature = hmac.new(secret.encode(), f"{at}.".encode() + payload, hashlib.sha256).hexdigest()
        response = client.post(reverse("acquirer-webhook"), payload, content_type="application/json",
                               HTTP_STRIPE_SIGNATURE=f"t={at},v1={signature}")  # fmt: skip
        assert response.status_code == 200
        outcomes.append(acquirer_event_process(event_id=AcquirerEvent.objects.get(event_id=body["id"]).pk))
    return outcomes


def statuses(merchant) -> dict[str, str]:
    return dict(MerchantWallet.objects.filter(merchant=merchant).values_list("wallet", "status"))


def standing(application) -> Event | None:
    return Event.objects.filter(application=application, action="acquirer_requirements").order_by("-id").first()


@pytest.fixture
def live(local_acquirer, client):
    application = sole_proprietor_boarded(local_acquirer)
    merchant = application.merchant
    merchant.refresh_from_db()
    deliver_latest(client, local_acquirer, merchant.acquirer_account_id)  # boarding's own events
    return application, merchant


def test_a_later_restriction_pauses_the_wallets_and_shows_what_is_due_until_restored(live, local_acquirer, client):
    application, merchant = live
    account = merchant.acquirer_account_id
    local_acquirer.review(account=account, outcome="restrict", requirement="individual.verification.document")
    outcomes = deliver_latest(client, local_acquirer, account)
    assert outcomes and set(outcomes) == {"restricted"}
    assert set(statuses(merchant).values()) == {MerchantWallet.Status.PENDING}
    event = standing(application)
    assert event.details["charges_enabled"] is False
    assert event.details["requirements"]["disabled_reason"] == "requirements.past_due"
    assert "individual.verification.document" in event.details["requirements"]["past_due"]
    recorded = Event.objects.filter(application=application, action="acquirer_requirements").count()
    # The same news delivered again (another event for the same change) is recorded once.
    acquirer_event_process(event_id=AcquirerEvent.objects.filter(type="account.updated").latest("id").pk)
    assert Event.objects.filter(application=application, action="acquirer_requirements").count() == recorded

    local_acquirer.review(account=account, outcome="restore")
    assert set(deliver_latest(client, local_acquirer, account)) == {"in good standing"}
    assert set(statuses(merchant).values()) == {MerchantWallet.Status.ACTIVE}
    assert standing(application).details["requirements"]["disabled_reason"] in ("", None)


def test_a_later_rejection_refuses_the_wallets_with_the_account(live, local_acquirer, client):
    application, merchant = live
    local_acquirer.review(account=merchant.acquirer_account_id, outcome="reject")
    assert "restricted" in deliver_latest(client, local_acquirer, merchant.acquirer_account_id)
    rows = MerchantWallet.objects.filter(merchant=merchant)
    assert {(row.status, row.refused_reason) for row in rows} == {(MerchantWallet.Status.REFUSED, REFUSED_WITH_ACCOUNT)}
    assert standing(application).details["requirements"]["disabled_reason"] == "rejected.fraud"


def test_a_suspended_merchants_wallets_stay_off_whatever_the_acquirer_says(live, local_acquirer, client):
    application, merchant = live
    merchant_suspend(merchant=merchant, actor=Actor.for_user(officer("Senior compliance officer")), reason="Hit.")
    MerchantWallet.objects.filter(merchant=merchant).update(status=MerchantWallet.Status.OFF)
    local_acquirer.review(account=merchant.acquirer_account_id, outcome="restrict")
    assert set(deliver_latest(client, local_acquirer, merchant.acquirer_account_id)) == {"not live"}
    assert set(statuses(merchant).values()) == {MerchantWallet.Status.OFF}


def test_an_unavailable_acquirer_leaves_the_event_owed_for_a_retry(live, local_acquirer, client):
    application, merchant = live
    local_acquirer.review(account=merchant.acquirer_account_id, outcome="restrict")
    local_acquirer.inject(fail=[{"prefix": "/v1/accounts/", "count": 100, "status": 500}])
    assert set(deliver_latest(client, local_acquirer, merchant.acquirer_account_id)) == {"retrying"}
    assert AcquirerEvent.objects.filter(processed_at__isnull=True).exists()
    local_acquirer.clear_faults()
    pending = AcquirerEvent.objects.filter(processed_at__isnull=True)
    assert {acquirer_event_process(event_id=event.pk) for event in pending} == {"restricted"}
    assert set(statuses(merchant).values()) == {MerchantWallet.Status.PENDING}
