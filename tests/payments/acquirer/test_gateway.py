"""Every gateway method through the real stripe SDK against the local acquirer, and what each one sent."""

import pytest

from payments.gateway import AcquirerRefused
from payments.stripe_gateway import CONTROLLER, StripeGateway, configuration_name
from tests.payments.acquirer.accounts import ADDRESS, BANK, board, profile, register, representative


@pytest.fixture
def gateway(local_acquirer):
    return StripeGateway(livemode=False)


def last(acquirer, method, path_prefix):
    return [r for r in acquirer.requests(path_prefix) if r["method"] == method][-1]


def test_account_create_sends_minimal_fixed_parameters_with_our_key(gateway, local_acquirer):
    account = gateway.account_create(key="acct:mer_1", merchant_id="mer_1", business_type="company")
    sent = last(local_acquirer, "POST", "/v1/accounts")
    assert account.startswith("acct_") and sent["idempotency_key"] == "acct:mer_1" and sent["livemode"] is False
    assert sent["params"] == {
        "country": "US",
        "business_type": "company",
        "metadata": {"merchant": "mer_1"},
        "controller": {
            "fees": {"payer": "application"},
            "losses": {"payments": "application"},
            "requirement_collection": "application",
            "stripe_dashboard": {"type": "none"},
        },
        "capabilities": {"card_payments": {"requested": "true"}, "transfers": {"requested": "true"}},
    }
    assert CONTROLLER["requirement_collection"] == "application"


def test_a_new_account_is_pending_with_what_stripe_requires_currently_due(gateway):
    account = gateway.account_create(key="acct:mer_1", merchant_id="mer_1", business_type="company")
    status = gateway.account_retrieve(account=account)
    assert status.capabilities == {"card_payments": "pending", "transfers": "pending"}
    assert not status.charges_enabled and status.requirements.disabled_reason == "requirements.past_due"
    for field in (
        "business_profile.mcc",
        "business_profile.url",
        "company.tax_id",
        "company.owners_provided",
        "external_account",
        "representative.phone",
        "tos_acceptance.ip",
    ):
        assert field in status.requirements.currently_due


def test_account_find_update_and_reject(gateway, local_acquirer):
    account = gateway.account_create(key="acct:mer_1", merchant_id="mer_1", business_type="company")
    assert gateway.account_find(merchant_id="mer_1") == account
    assert gateway.account_find(merchant_id="mer_2") is None
    gateway.account_update(key="profile:1", account=account, params=profile())
    sent = last(local_acquirer, "POST", f"/v1/accounts/{account}")
    assert sent["params"]["company"]["tax_id"] == "••••0000"  # the log never keeps an identifier
    assert sent["params"]["business_profile"]["mcc"] == "5812"
    gateway.account_reject(key="reject:1", account=account, reason="fraud")
    status = gateway.account_retrieve(account=account)
    assert status.requirements.rejected and status.requirements.disabled_reason == "rejected.fraud"
    assert set(status.capabilities.values()) == {"inactive"}


def test_persons_and_the_settlement_account(gateway, local_acquirer):
    account = gateway.account_create(key="acct:mer_1", merchant_id="mer_1", business_type="company")
    person = gateway.person_create(key="person:1", account=account, party_id="own_1")
    assert person.startswith("person_") and gateway.person_find(account=account, party_id="own_1") == person
    assert gateway.person_find(account=account, party_id="own_2") is None
    gateway.person_update(key="person-details:1", account=account, person=person, params=representative())
    sent = last(local_acquirer, "POST", f"/v1/accounts/{account}/persons/{person}")
    assert sent["params"]["relationship"]["representative"] == "true" and sent["params"]["id_number"] == "••••0000"
    bank = gateway.external_account_create(key="ext:1", account=account, bank_account=BANK, application_id="app_1")
    assert bank.startswith("ba_") and gateway.external_account_find(account=account, application_id="app_1") == bank
    sent = last(local_acquirer, "POST", f"/v1/accounts/{account}/external_accounts")
    assert sent["params"]["external_account"]["object"] == "bank_account"
    assert sent["params"]["default_for_currency"] == "true"
    due = gateway.account_retrieve(account=account).requirements.currently_due
    assert "external_account" not in due and not [f for f in due if f.startswith(("representative.", person))]


def test_wallets_create_find_update_retrieve(gateway, local_acquirer):
    account = gateway.account_create(key="acct:mer_1", merchant_id="mer_1", business_type="company")
    configuration = gateway.wallets_create(
        key="pmc:mer_1", account=account, merchant_id="mer_1", preferences={"alipay": "on"}
    )
    sent = last(local_acquirer, "POST", "/v1/payment_method_configurations")
    assert sent["stripe_account"] == account and sent["params"] == {
        "name": configuration_name("mer_1"),
        "alipay": {"display_preference": {"preference": "on"}},
        "wechat_pay": {"display_preference": {"preference": "off"}},
    }
    assert gateway.wallets_find(account=account, merchant_id="mer_1") == configuration
    statuses = gateway.wallets_retrieve(account=account, configuration=configuration)
    assert statuses["alipay"].preference == "on" and not statuses["alipay"].available  # not verified yet
    gateway.wallets_update(
        key="pmc-update:1", account=account, configuration=configuration, preferences={"wechat_pay": "on"}
    )
    assert gateway.wallets_retrieve(account=account, configuration=configuration)["wechat_pay"].preference == "on"


def test_locations_and_readers(gateway, local_acquirer):
    account = gateway.account_create(key="acct:mer_1", merchant_id="mer_1", business_type="company")
    location = gateway.location_create(
        key="loc:1", account=account, store_id="sto_1", display_name="Union Square", address=ADDRESS
    )
    assert location.startswith("tml_") and gateway.location_find(account=account, store_id="sto_1") == location
    sent = last(local_acquirer, "POST", "/v1/terminal/locations")
    assert sent["stripe_account"] == account and sent["params"]["metadata"] == {"store": "sto_1"}
    reader = register(gateway, account=account, location=location, key="rdr:1", terminal="ter_1")
    status = gateway.reader_retrieve(account=account, reader=reader)
    assert (status.device_type, status.location, status.status, status.deleted) == (
        "bbpos_wisepos_e",
        location,
        "online",
        False,
    )
    assert gateway.reader_find(account=account, terminal_id="ter_1") == reader
    gateway.reader_deactivate(account=account, reader=reader)
    gateway.reader_deactivate(account=account, reader=reader)  # already gone: what we wanted
    assert gateway.reader_retrieve(account=account, reader=reader).deleted
    assert gateway.reader_find(account=account, terminal_id="ter_1") is None


def test_a_complete_account_is_verified_and_its_wallets_become_available(gateway, local_acquirer):
    account, configuration = board(gateway)
    waiting = gateway.account_retrieve(account=account)
    assert waiting.requirements.currently_due == [] and waiting.requirements.pending_verification
    assert waiting.capabilities["card_payments"] == "pending"
    local_acquirer.verify()
    status = gateway.account_retrieve(account=account)
    assert status.capabilities == {"card_payments": "active", "transfers": "active"} and status.charges_enabled
    wallets = gateway.wallets_retrieve(account=account, configuration=configuration)
    assert wallets["alipay"].available and wallets["wechat_pay"].available


def test_live_and_test_keys_set_livemode_and_do_not_see_each_other(gateway, local_acquirer):
    account = gateway.account_create(key="acct:mer_1", merchant_id="mer_1", business_type="company")
    live = StripeGateway(livemode=True)
    live_account = live.account_create(key="acct:mer_1", merchant_id="mer_1", business_type="company")
    assert live_account != account
    assert [r["livemode"] for r in local_acquirer.requests("/v1/accounts") if r["method"] == "POST"] == [False, True]
    with pytest.raises(AcquirerRefused) as refused:
        live.account_retrieve(account=account)
    assert refused.value.status == 404
