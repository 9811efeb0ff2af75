"""Events signed as Stripe signs them, delivered to the webhook URL, retried after a failure."""

import time

import stripe
from django.conf import settings

from payments.stripe_gateway import StripeGateway
from tests.payments.acquirer.accounts import ADDRESS, board


def test_events_are_signed_so_that_construct_event_accepts_them(local_acquirer_factory, webhook_receiver):
    receiver = webhook_receiver()
    acquirer = local_acquirer_factory(webhook_url=receiver.url)
    gateway = StripeGateway(livemode=False)
    account, _ = board(gateway)
    acquirer.verify()
    received = receiver.wait_for(
        lambda events: any(
            e["type"] == "capability.updated" and e["data"]["object"]["status"] == "active" for e in events
        )
    )
    body, signature = receiver.received[0]
    event = stripe.Webhook.construct_event(body, signature, settings.STRIPE_TEST_WEBHOOK_SECRET, tolerance=300)
    assert event.id.startswith("evt_") and event.object == "event" and event.livemode is False
    types = {e["type"] for e in received}
    assert {
        "account.updated",
        "capability.updated",
        "person.created",
        "person.updated",
        "account.external_account.created",
    } <= types
    assert all(e["account"] == account and e["api_version"] and e["pending_webhooks"] == 1 for e in received)
    updated = [e for e in received if e["type"] == "account.updated"][-1]
    assert updated["data"]["object"]["charges_enabled"] is True
    assert "charges_enabled" in updated["data"]["previous_attributes"]
    try:
        stripe.Webhook.construct_event(body, signature, settings.STRIPE_WEBHOOK_SECRET, tolerance=300)
        raise AssertionError("the live secret must not verify a test-mode event")
    except stripe.SignatureVerificationError:
        pass


def test_a_failed_delivery_is_retried(local_acquirer_factory, webhook_receiver):
    receiver = webhook_receiver(fail_first=2)
    acquirer = local_acquirer_factory(webhook_url=receiver.url)
    gateway = StripeGateway(livemode=False)
    account = gateway.account_create(key="acct:mer_1", merchant_id="mer_1", business_type="company")
    gateway.person_create(key="person:1", account=account, party_id="own_1")
    received = receiver.wait_for(lambda events: any(e["type"] == "person.created" for e in events))
    assert [e["type"] for e in received][0] == "person.created"
    receiver.wait_for(lambda events: len(events) == len(acquirer.events()))
    time.sleep(0.1)  # the last attempt's row is written after its answer
    logs = acquirer.events()
    assert {e["delivery"] for e in logs} == {"delivered"}
    assert [a["status"] for e in logs for a in e["attempts"]].count(500) == 2
    assert [logs[0]["attempts"][0]["status"], logs[0]["attempts"][-1]["status"]] == [500, 200]


def test_an_endpoint_that_never_answers_ends_failed_after_a_few_tries(local_acquirer_factory):
    acquirer = local_acquirer_factory(webhook_url="http://127.0.0.1:9/nothing-listens-here")
    gateway = StripeGateway(livemode=False)
    account = gateway.account_create(key="acct:mer_1", merchant_id="mer_1", business_type="company")
    gateway.person_create(key="person:1", account=account, party_id="own_1")
    deadline = time.monotonic() + 5
    while acquirer.events()[-1]["delivery"] != "failed":
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert len(acquirer.events()[-1]["attempts"]) == 4 and acquirer.events()[-1]["attempts"][0]["error"]


def test_no_webhook_url_switches_delivery_off(local_acquirer):
    gateway = StripeGateway(livemode=False)
    account = gateway.account_create(key="acct:mer_1", merchant_id="mer_1", business_type="company")
    gateway.location_create(key="loc:1", account=account, store_id="s", display_name="S", address=ADDRESS)
    gateway.person_create(key="person:1", account=account, party_id="own_1")
    events = local_acquirer.events()
    assert events and {e["delivery"] for e in events} == {"off"} and not any(e["attempts"] for e in events)
    assert events[0]["event"]["pending_webhooks"] == 0


def test_any_account_change_is_announced_with_its_previous_attributes(local_acquirer):
    gateway = StripeGateway(livemode=False)
    account = gateway.account_create(key="acct:mer_1", merchant_id="mer_1", business_type="company")
    gateway.account_update(key="meta:1", account=account, params={"metadata": {"note": "x"}})
    gateway.account_update(key="meta:2", account=account, params={"metadata": {"note": "x"}})  # no change
    updates = [e["event"] for e in local_acquirer.events() if e["type"] == "account.updated"]
    assert len(updates) == 1 and updates[0]["data"]["previous_attributes"] == {"metadata": {"merchant": "mer_1"}}
    assert updates[0]["request"]["idempotency_key"] == "meta:1"
