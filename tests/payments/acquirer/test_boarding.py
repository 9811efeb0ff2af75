"""Boarding an approved application against the local acquirer: what our parameters leave due at a
faithful Stripe, and a complete sole proprietor boarded end to end."""

import pytest
from django.urls import reverse

from onboarding.models import Application, MerchantWallet
from onboarding.services.actors import Actor
from onboarding.services.merchants import merchant_create_for
from onboarding.states import AppState
from payments.activation import terminal_activate, terminal_register_device
from payments.boarding import REFUSED_FOR_CATEGORY, boarding_advance
from payments.models import AcquirerEvent, Terminal
from payments.states import TerminalState
from tests.factories import VALID_DRAFT, draft_application

pytestmark = pytest.mark.django_db


def approved(**overrides) -> Application:
    application = draft_application(**overrides)
    merchant = merchant_create_for(application=application, actor=Actor.system("tests"))
    Application.objects.filter(pk=application.pk).update(merchant=merchant, state=AppState.APPROVED)
    application.refresh_from_db()
    return application


def sole_proprietor_boarded(local_acquirer, mcc: str = "5812") -> Application:
    owner = {**VALID_DRAFT["parties"][0], "email": "wen@example.com", "ownership_percent": 100}
    business = {"entity_type": "sole_proprietorship", "legal_name": "Wen Zhao", "mcc": mcc}
    application = approved(business=business, parties=[owner])
    # Nothing due: verification runs (on a slow machine its short delay may already be over).
    if boarding_advance(public_id=application.public_id) == "waiting":
        local_acquirer.verify()
        assert boarding_advance(public_id=application.public_id) == AppState.BOARDED
    application.refresh_from_db()
    assert application.state == AppState.BOARDED
    return application


def test_every_parameter_boarding_sends_is_accepted(local_acquirer):
    application = approved()
    outcome = boarding_advance(public_id=application.public_id)
    refused = [(r["method"], r["path"], r["status"]) for r in local_acquirer.requests() if r["status"] >= 400]
    assert refused == []
    sent = [r for r in local_acquirer.requests() if r["method"] == "POST"]
    assert {r["idempotency_key"].split(":")[0] for r in sent} >= {"acct", "acct-profile", "person", "person-details",
                                                                  "acct-owners", "ext", "pmc", "loc"}  # fmt: skip
    assert outcome in ("waiting", AppState.BOARDED)  # nothing due: the acquirer verifies


def test_a_company_is_boarded_once_verified_with_its_representative_and_owners(local_acquirer):
    """The control person's phone and every identified person's e-mail are what Stripe asks of a company's
    representative and owners beyond their identity: with them nothing is left due."""
    application = approved()
    if boarding_advance(public_id=application.public_id) == "waiting":
        local_acquirer.verify()
        assert boarding_advance(public_id=application.public_id) == AppState.BOARDED
    application.refresh_from_db()
    assert application.state == AppState.BOARDED
    persons = [r["params"] for r in local_acquirer.requests() if r["method"] == "POST" and "/persons" in r["path"]]
    representative = next(p for p in persons if p.get("relationship", {}).get("representative") in (True, "true"))
    assert representative["phone"] == "+12125550148" and representative["email"] == "wen.zhao@pearlriver.example"
    assert local_acquirer.objects()["duplicates"] == dict.fromkeys(
        ("accounts", "configurations", "persons", "locations", "readers"), 0
    )


def test_a_company_without_its_representatives_phone_stays_in_review(local_acquirer):
    application = approved()
    # An application approved before the phone became required: what the acquirer still asks for shows.
    application.parties.filter(is_control_person=True).update(phone="")
    assert boarding_advance(public_id=application.public_id) == AppState.IN_REVIEW
    event = application.events.filter(action="acquirer_requirements").latest("id")
    due = event.details["requirements"]["currently_due"]
    assert due and all(item.endswith(".phone") for item in due)


def test_a_complete_sole_proprietor_is_boarded_once_verified(local_acquirer):
    application = sole_proprietor_boarded(local_acquirer)
    statuses = set(MerchantWallet.objects.filter(merchant=application.merchant).values_list("status", flat=True))
    assert statuses == {MerchantWallet.Status.ACTIVE}
    assert local_acquirer.objects()["duplicates"] == dict.fromkeys(
        ("accounts", "configurations", "persons", "locations", "readers"), 0
    )


def test_a_terminal_is_activated_with_a_code_its_mode_accepts(local_acquirer, settings):
    application = sole_proprietor_boarded(local_acquirer)
    terminal = Terminal.objects.get(merchant=application.merchant)
    assert terminal.state == TerminalState.AWAITING_DEVICE
    actor = Actor.for_user(application.applicant)
    live = application.merchant.livemode
    wrong, right = ("simulated-s700", settings.LOCAL_ACQUIRER_LIVE_READER_CODES[0]) if live else (
        "quartz-lotus-river", "simulated-s700")  # fmt: skip
    terminal_register_device(terminal=terminal, actor=actor, registration_code=wrong)
    assert terminal_activate(public_id=terminal.public_id) == TerminalState.FAILED
    terminal_register_device(terminal=Terminal.objects.get(pk=terminal.pk), actor=actor, registration_code=right)
    assert terminal_activate(public_id=terminal.public_id) == TerminalState.ACTIVE
    reader = Terminal.objects.get(pk=terminal.pk).acquirer_reader_id
    sent = [r for r in local_acquirer.requests("/v1/terminal/readers") if r["method"] == "POST"][-1]
    assert reader.startswith("tmr_") and sent["params"]["metadata"] == {"terminal": terminal.public_id}
    assert local_acquirer.objects()["duplicates"]["readers"] == 0


def test_the_portal_accepts_the_local_acquirers_webhooks(local_acquirer_factory, webhook_receiver, client):
    receiver = webhook_receiver()
    acquirer = local_acquirer_factory(webhook_url=receiver.url)
    application = approved()
    boarding_advance(public_id=application.public_id)
    received = receiver.wait_for(lambda events: any(e["type"] == "account.updated" for e in events))
    assert received and acquirer.events()
    for body, signature in receiver.received:
        answer = client.post(reverse("acquirer-webhook"), body, content_type="application/json",
                             HTTP_STRIPE_SIGNATURE=signature)  # fmt: skip
        assert answer.status_code == 200
    stored = AcquirerEvent.objects.filter(account=application.merchant.acquirer_account_id)
    assert stored.count() == len(receiver.received) and {"account.updated", "person.created"} <= set(
        stored.values_list("type", flat=True)
    )


def test_a_wallet_the_acquirer_refuses_for_the_category_is_recorded_refused(local_acquirer):
    application = sole_proprietor_boarded(local_acquirer, mcc="5993")  # the acquirer keeps alipay off for it
    wallets = dict(MerchantWallet.objects.filter(merchant=application.merchant).values_list("wallet", "status"))
    assert wallets == {"alipay": MerchantWallet.Status.REFUSED, "wechat_pay": MerchantWallet.Status.ACTIVE}
    refused = MerchantWallet.objects.get(merchant=application.merchant, wallet="alipay")
    assert refused.refused_reason == REFUSED_FOR_CATEGORY
