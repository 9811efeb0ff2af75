"""Asynchronous verification and the magic values (``docs/local_acquirer.md``)."""

import json
import time

import pytest

from payments.gateway import AcquirerRefused
from payments.stripe_gateway import StripeGateway
from tests.payments.acquirer.accounts import board
from tests.payments.acquirer.http import call


@pytest.fixture
def gateway(local_acquirer):
    return StripeGateway(livemode=False)


def test_the_background_clock_verifies_after_the_delay(gateway):
    account, _ = board(gateway)
    assert gateway.account_retrieve(account=account).requirements.disabled_reason == (
        "requirements.pending_verification"
    )
    deadline = time.monotonic() + 5
    while gateway.account_retrieve(account=account).capabilities["card_payments"] != "active":
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert gateway.account_retrieve(account=account).charges_enabled


def test_the_verify_control_endpoint_verifies_at_once(local_acquirer_factory):
    acquirer = local_acquirer_factory(verification_seconds=3600)
    gateway = StripeGateway(livemode=False)
    account, _ = board(gateway)
    time.sleep(0.2)
    assert gateway.account_retrieve(account=account).capabilities["card_payments"] == "pending"
    answer = call(acquirer, "POST", "/_local/verify", json.dumps({"account": account}))
    assert answer.json() == {"verified": [account]}
    assert gateway.account_retrieve(account=account).capabilities["card_payments"] == "active"


def test_a_tax_id_that_does_not_match_stays_currently_due_with_its_error(gateway, local_acquirer):
    account, _ = board(gateway, tax_id="111111111")
    local_acquirer.verify()
    status = gateway.account_retrieve(account=account)
    assert status.requirements.currently_due == ["company.tax_id"] and not status.charges_enabled
    assert status.requirements.errors == [
        {
            "code": "verification_failed_tax_id_match",
            "requirement": "company.tax_id",
            "reason": status.requirements.errors[0]["reason"],
        }
    ]
    assert status.requirements.needs_someone and not status.requirements.rejected
    gateway.account_update(key="tax:2", account=account, params={"company": {"tax_id": "000000000"}})
    fixed = gateway.account_retrieve(account=account)
    assert fixed.requirements.currently_due == [] and fixed.requirements.errors == []
    local_acquirer.verify()
    assert gateway.account_retrieve(account=account).charges_enabled


def test_a_rejected_tax_id_rejects_the_account(gateway, local_acquirer):
    account, configuration = board(gateway, tax_id="222222222")
    local_acquirer.verify()
    status = gateway.account_retrieve(account=account)
    assert status.requirements.disabled_reason == "rejected.other" and status.requirements.rejected
    assert set(status.capabilities.values()) == {"inactive"} and not status.charges_enabled
    assert not any(w.available for w in gateway.wallets_retrieve(account=account, configuration=configuration).values())
    with pytest.raises(AcquirerRefused):
        gateway.account_update(key="after-reject", account=account, params={"email": "x@example.com"})


@pytest.mark.parametrize(("mcc", "refused"), [("5993", "alipay"), ("5944", "wechat_pay")])
def test_an_mcc_can_keep_one_wallet_unavailable(gateway, local_acquirer, mcc, refused):
    account, configuration = board(gateway, mcc=mcc)
    local_acquirer.verify()
    wallets = gateway.wallets_retrieve(account=account, configuration=configuration)
    assert gateway.account_retrieve(account=account).charges_enabled
    assert not wallets[refused].available and wallets[refused].preference == "on"
    other = "wechat_pay" if refused == "alipay" else "alipay"
    assert wallets[other].available


def test_the_magic_mccs_are_not_refused_by_our_own_eligibility_rules():
    import json
    from pathlib import Path

    from payments.acquirer.verification import WALLET_REFUSED_BY_MCC

    rules = json.loads(Path("onboarding/kyc/data/eligibility_rules.json").read_text())
    refused = set()
    for rule in rules["rules"]:
        if rule["outcome"] == "ineligible" and isinstance(rule["mccs"], str) and rule["mcc_match"] == "in":
            refused |= set(rules["mcc_groups"][rule["mccs"][1:]]["mccs"])
    assert not set(WALLET_REFUSED_BY_MCC) & refused


def test_a_wallet_switched_off_is_not_available(gateway, local_acquirer):
    account, configuration = board(gateway, wallets=("wechat_pay",))
    local_acquirer.verify()
    wallets = gateway.wallets_retrieve(account=account, configuration=configuration)
    assert (wallets["alipay"].preference, wallets["alipay"].available) == ("off", False)
    assert wallets["wechat_pay"].available


def test_reject_sets_the_reason(gateway, local_acquirer):
    account, _ = board(gateway)
    local_acquirer.verify()
    gateway.account_reject(key="reject:1", account=account, reason="terms_of_service")
    status = gateway.account_retrieve(account=account)
    assert status.requirements.disabled_reason == "rejected.terms_of_service" and not status.charges_enabled


def test_a_later_review_restricts_rejects_or_restores_a_verified_account(gateway, local_acquirer):
    account, _ = board(gateway)
    local_acquirer.verify()
    answer = call(local_acquirer, "POST", "/_local/review",
                  json.dumps({"account": account, "outcome": "restrict", "requirement": "company.tax_id"}))  # fmt: skip
    assert answer.status_code == 200
    status = gateway.account_retrieve(account=account)
    assert status.requirements.past_due == ["company.tax_id"] and not status.charges_enabled
    assert status.capabilities["card_payments"] == "inactive" and status.requirements.needs_someone
    call(local_acquirer, "POST", "/_local/review", json.dumps({"account": account, "outcome": "restore"}))
    assert gateway.account_retrieve(account=account).charges_enabled
    call(local_acquirer, "POST", "/_local/review", json.dumps({"account": account, "outcome": "reject"}))
    assert gateway.account_retrieve(account=account).requirements.disabled_reason == "rejected.fraud"
    refused = call(local_acquirer, "POST", "/_local/review", json.dumps({"account": account, "outcome": "pause"}))
    assert refused.status_code == 400 and "restrict, reject or restore" in refused.json()["error"]["message"]
    types = [event["type"] for event in local_acquirer.events() if event["account"] == account]
    assert types.count("account.updated") >= 4
