"""The wallet eligibility table, over real MCCs, states, wallets, channels and acquirers."""

import json

import pytest
from django.core.management import call_command

from onboarding.kyc import eligibility, mcc
from onboarding.models import EligibilityRuleSet, Merchant, ReviewCase, WalletRequest
from onboarding.services import kyc_rules
from onboarding.services.actors import Actor
from tests.factories import draft_application

pytestmark = pytest.mark.django_db

E, R, X = "eligible", "review", "ineligible"
CASES = [
    # mcc, state, wallet, channel, acquirer, outcome, words in the reason
    ("5812", "NY", "wechat_pay", "in_store", "stripe", E, "No rule"),
    ("5812", "NY", "alipay", "online", "stripe", E, "No rule"),
    ("5812", "NY", "alipay", "in_store", "stripe", X, "not a Stripe Terminal"),
    ("7011", "CA", "wechat_pay", "in_store", "stripe", E, "No rule"),
    ("3501", "CA", "wechat_pay", "in_store", "stripe", E, "No rule"),  # a hotel chain code
    ("8220", "MA", "wechat_pay", "in_store", "stripe", E, "No rule"),
    ("5533", "TX", "wechat_pay", "in_store", "stripe", R, "ten permitted in-store categories"),  # auto parts
    ("5533", "TX", "wechat_pay", "online", "stripe", E, "No rule"),
    ("6211", "NY", "wechat_pay", "online", "stripe", X, "forbids"),
    ("6211", "NY", "wechat_pay", "in_store", "stripe", X, "forbids"),
    ("6300", "IL", "wechat_pay", "online", "stripe", X, "forbids"),
    ("6051", "IL", "wechat_pay", "online", "stripe", X, "forbids"),
    ("4829", "IL", "wechat_pay", "online", "stripe", X, "forbids"),
    ("7995", "NV", "wechat_pay", "online", "stripe", X, "gambling"),
    ("7995", "NV", "alipay", "online", "stripe", E, "No rule"),  # no source excludes it for Alipay on Stripe
    ("7995", "NV", "alipay", "online", "clover", X, "Clover"),
    ("5812", "FL", "alipay", "online", "clover", X, "Florida"),
    ("5812", "FL", "alipay", "in_store", "clover", X, "Florida"),
    ("5812", "FL", "alipay", "online", "stripe", E, "No rule"),  # the Clover state rule binds Clover only
    ("5812", "WV", "wechat_pay", "in_store", "clover", E, "No rule"),
    ("9311", "CA", "alipay", "online", "clover", X, "government services"),
    ("6011", "CA", "alipay", "online", "clover", X, "cash services"),
    ("5812", "OR", "alipay", "in_store", "clover", X, "Oregon"),
    ("0001", "NY", "alipay", "online", "stripe", R, "not an assigned"),
]


@pytest.mark.parametrize("code, state, wallet, channel, acquirer, outcome, words", CASES)
def test_wallet_eligibility(code, state, wallet, channel, acquirer, outcome, words):
    result = eligibility.wallet_eligibility(mcc=code, state=state, wallet=wallet, channel=channel, acquirer=acquirer)
    assert result.outcome == outcome
    assert words in result.reason
    assert result.rule_version == eligibility.rule_set_current().version
    if outcome != E and code != "0001":
        assert result.sources and all(s.startswith(("Tenpay", "Clover", "Stripe")) for s in result.sources)


def test_every_mcc_the_data_names_is_a_real_one_and_named_in_plain_words():
    data = eligibility.load_data()
    for group in data["mcc_groups"].values():
        codes = group.get("mccs") or [c for cs in group["categories"].values() for c in cs]
        assert mcc.expand(codes)
    assert mcc.mcc_name("5812") == "Eating places and restaurants"
    assert len(mcc.all_mccs()) > 900


@pytest.mark.parametrize("code", sorted(mcc.all_mccs()))
def test_every_real_mcc_gets_an_answer_for_every_wallet(code):
    for wallet, channel in [("wechat_pay", "in_store"), ("wechat_pay", "online"), ("alipay", "online")]:
        result = eligibility.wallet_eligibility(mcc=code, state="NY", wallet=wallet, channel=channel, acquirer="stripe")
        assert result.outcome in (E, R, X) and result.reasons


def test_the_migration_seeded_version_1_from_the_data_file():
    first = EligibilityRuleSet.objects.get(version=1)
    assert first.digest == eligibility.rows_digest(eligibility.rows_from_data(eligibility.load_data()))


def active_merchant(**overrides):
    application = draft_application(**overrides)
    merchant = Merchant.objects.create(legal_name=application.legal_name, tax_id_type="ein",
                                       tax_id_index=f"idx-{application.pk}", state="active",
                                       current_application=application)  # fmt: skip
    return merchant


def test_a_changed_table_opens_one_review_case_per_affected_merchant_idempotently(tmp_path, monkeypatch):
    eligibility.rule_set_current()
    affected = active_merchant()  # 5812 in NY, WeChat Pay in store
    active_merchant(wallets=[{"wallet": "alipay", "channel": "online"}])  # not affected by the change
    data = eligibility.load_data()
    data["rules"].append({"wallet": "wechat_pay", "channel": "in_store", "acquirer": "", "mccs": ["5812"],
                          "mcc_match": "in", "states": ["NY"], "outcome": "review", "reason": "Test restriction",
                          "source": "wechat_proper_use"})  # fmt: skip
    changed = tmp_path / "eligibility_rules.json"
    changed.write_text(json.dumps(data))
    monkeypatch.setattr(eligibility, "DATA_FILE", changed)

    call_command("apply_eligibility_changes", "--note", "test change")
    assert EligibilityRuleSet.objects.order_by("-version").first().version == 2
    cases = ReviewCase.objects.filter(reason_code="eligibility_changed")
    assert [c.merchant_id for c in cases] == [affected.pk]
    assert cases[0].details["wallets"][0]["to"] == "review"

    call_command("apply_eligibility_changes")  # same table, same merchants: nothing new
    assert EligibilityRuleSet.objects.count() == 2
    assert ReviewCase.objects.filter(reason_code="eligibility_changed").count() == 1
    assert "updates" not in ReviewCase.objects.get().details


def test_the_check_stores_eligibility_on_each_wallet_request():
    from onboarding.kyc.pipeline import run_checks

    application = draft_application(wallets=[{"wallet": "alipay", "channel": "in_store"},
                                             {"wallet": "wechat_pay", "channel": "in_store"}])  # fmt: skip
    result = run_checks(application)["wallet_eligibility"]
    assert result.outcome == "review"
    stored = {
        w.wallet: (w.eligibility, w.eligibility_reason) for w in WalletRequest.objects.filter(application=application)
    }
    assert stored["alipay"][0] == X and "Stripe Terminal" in stored["alipay"][1]
    assert stored["wechat_pay"][0] == E


def test_every_requested_wallet_ineligible_fails_the_check():
    from onboarding.kyc.pipeline import run_checks

    application = draft_application(business={"mcc": "6211"},
                                    wallets=[{"wallet": "wechat_pay", "channel": "online"}])  # fmt: skip
    assert run_checks(application)["wallet_eligibility"].outcome == "fail"


def test_the_sync_service_keeps_an_unchanged_table():
    rule_set, created = kyc_rules.eligibility_rules_sync(actor=Actor.system("tests"))
    assert not created and rule_set.version == 1
