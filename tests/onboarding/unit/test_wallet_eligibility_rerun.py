"""Wallet eligibility is assessed for every wallet request, however the requests were last written: sent
again unchanged, with a wallet added, or replaced row by row."""

import pytest

from onboarding.kyc.pipeline import run_checks
from onboarding.models import CheckResult, WalletRequest
from onboarding.services.actors import Actor
from onboarding.services.drafts import application_update_draft
from tests.factories import draft_application

pytestmark = pytest.mark.django_db
PENDING = WalletRequest.Eligibility.PENDING
WALLETS = [{"wallet": "wechat_pay", "channel": "in_store"}, {"wallet": "alipay", "channel": "online"}]


def assessed(application) -> dict[tuple[str, str], str]:
    return {(r.wallet, r.channel): r.eligibility for r in WalletRequest.objects.filter(application=application)}


def evaluated_application():
    application = draft_application(wallets=WALLETS)
    run_checks(application)
    outcomes = assessed(application)
    assert PENDING not in outcomes.values()
    return application, outcomes


def send_wallets(application, wallets) -> None:
    application_update_draft(application=application, actor=Actor.for_user(application.applicant), wallets=wallets)


def test_sending_the_same_wallets_again_keeps_every_request_evaluated():
    application, outcomes = evaluated_application()
    rows = set(WalletRequest.objects.filter(application=application).values_list("pk", flat=True))
    send_wallets(application, list(reversed(WALLETS)))
    assert assessed(application) == outcomes  # kept as assessed, not reset to pending
    assert set(WalletRequest.objects.filter(application=application).values_list("pk", flat=True)) == rows
    results = CheckResult.objects.count()
    run_checks(application)
    assert assessed(application) == outcomes
    assert CheckResult.objects.count() == results  # nothing changed, so nothing ran again


def test_adding_a_wallet_ends_with_every_request_evaluated():
    application, outcomes = evaluated_application()
    send_wallets(application, [*WALLETS, {"wallet": "alipay", "channel": "in_store"}])
    assert assessed(application)[("alipay", "in_store")] == PENDING
    run_checks(application)
    after = assessed(application)
    assert set(after) == {*outcomes, ("alipay", "in_store")}
    assert PENDING not in after.values()
    assert {key: after[key] for key in outcomes} == outcomes


def test_dropping_a_wallet_keeps_the_others_as_assessed():
    application, outcomes = evaluated_application()
    send_wallets(application, WALLETS[:1])
    assert assessed(application) == {("wechat_pay", "in_store"): outcomes[("wechat_pay", "in_store")]}


def test_requests_replaced_with_the_same_wallets_are_evaluated_again():
    # Whoever replaces the rows (an import, an admin action), the check sees new rows and assesses them,
    # although the wallets asked for read exactly as before.
    application, outcomes = evaluated_application()
    WalletRequest.objects.filter(application=application).delete()
    for wallet in WALLETS:
        WalletRequest.objects.create(application=application, **wallet)
    assert set(assessed(application).values()) == {PENDING}
    results = run_checks(application)
    assert assessed(application) == outcomes
    assert results["wallet_eligibility"].details["wallets"]
