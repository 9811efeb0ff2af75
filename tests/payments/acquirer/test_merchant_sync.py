"""A suspension switches both wallets off on the acquirer, a reactivation back on; a closure removes the
readers and rejects the account. Against the local acquirer, through the real SDK."""

import pytest

from onboarding.models import MerchantWallet
from onboarding.services.actors import Actor
from onboarding.services.merchants import merchant_close, merchant_reactivate, merchant_suspend
from payments.calls import acquirer_id_of
from payments.merchant_sync import merchant_sync
from payments.stripe_gateway import gateway_for
from tests.factories import officer
from tests.payments.acquirer.test_boarding import sole_proprietor_boarded

pytestmark = pytest.mark.django_db


def preferences(merchant) -> dict[str, str]:
    statuses = gateway_for(livemode=merchant.livemode).wallets_retrieve(
        account=merchant.acquirer_account_id, configuration=acquirer_id_of(f"pmc:{merchant.public_id}")
    )
    return {wallet: status.preference for wallet, status in statuses.items()}


def wallet_statuses(merchant) -> set[str]:
    return set(MerchantWallet.objects.filter(merchant=merchant).values_list("status", flat=True))


def test_suspension_switches_the_wallets_off_and_reactivation_back_on(local_acquirer):
    merchant = sole_proprietor_boarded(local_acquirer).merchant
    merchant.refresh_from_db()
    on_before = preferences(merchant)
    senior = Actor.for_user(officer("Senior compliance officer"))
    merchant_suspend(merchant=merchant, actor=senior, reason="Re-screen hit under review.")
    assert merchant_sync(public_id=merchant.public_id) == "suspended"
    assert set(preferences(merchant).values()) == {"off"}
    assert wallet_statuses(merchant) == {MerchantWallet.Status.OFF}

    merchant.refresh_from_db()
    merchant_reactivate(merchant=merchant, actor=senior, reason="False positive.")
    assert merchant_sync(public_id=merchant.public_id) == "active"
    assert preferences(merchant) == on_before
    local_acquirer.verify()
    assert MerchantWallet.Status.ACTIVE in wallet_statuses(merchant)


def test_closure_removes_the_readers_and_rejects_the_account(local_acquirer):
    merchant = sole_proprietor_boarded(local_acquirer).merchant
    merchant.refresh_from_db()
    merchant_close(merchant=merchant, actor=Actor.for_user(officer()), reason="Confirmed match.")
    assert merchant_sync(public_id=merchant.public_id) == "closed"
    gateway = gateway_for(livemode=merchant.livemode)
    assert gateway.readers_list(account=merchant.acquirer_account_id) == []
    assert gateway.account_retrieve(account=merchant.acquirer_account_id).requirements.rejected
    assert set(preferences(merchant).values()) == {"off"}
