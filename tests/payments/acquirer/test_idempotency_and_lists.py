"""Idempotency-Key as Stripe keeps it, and Stripe's list envelope with its pagination."""

import threading

import pytest

from payments.gateway import AcquirerRefused, AcquirerUnavailable
from payments.stripe_gateway import StripeGateway
from tests.payments.acquirer.http import call


@pytest.fixture
def gateway(local_acquirer):
    return StripeGateway(livemode=False)


def test_the_same_key_replays_the_first_answer_and_makes_one_object(gateway, local_acquirer):
    first = gateway.account_create(key="acct:mer_1", merchant_id="mer_1", business_type="company")
    second = gateway.account_create(key="acct:mer_1", merchant_id="mer_1", business_type="company")
    assert first == second
    assert (
        local_acquirer.objects()["counts"]["account"] == 1 and local_acquirer.objects()["duplicates"]["accounts"] == 0
    )
    assert [r["replayed"] for r in local_acquirer.requests("/v1/accounts")] == [False, True]
    body = {"country": "US", "business_type": "company", "metadata[merchant]": "x"}
    replay, again = (call(local_acquirer, "POST", "/v1/accounts", body, idempotency_key="raw:1") for _ in range(2))
    assert again.headers["Idempotent-Replayed"] == "true" and again.json() == replay.json()
    assert "Idempotent-Replayed" not in replay.headers


def test_an_error_from_execution_is_replayed_too(local_acquirer):
    first = call(local_acquirer, "POST", "/v1/accounts/acct_missing", {"email": "a@b.c"}, idempotency_key="k")
    again = call(local_acquirer, "POST", "/v1/accounts/acct_missing", {"email": "a@b.c"}, idempotency_key="k")
    assert first.status_code == again.status_code == 404 and again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"


def test_the_same_key_with_other_parameters_or_another_path_is_an_idempotency_error(gateway, local_acquirer):
    gateway.account_create(key="acct:mer_1", merchant_id="mer_1", business_type="company")
    with pytest.raises(AcquirerRefused) as refused:
        gateway.account_create(key="acct:mer_1", merchant_id="mer_1", business_type="individual")
    assert refused.value.status == 400 and "same parameters" in refused.value.message
    answer = call(local_acquirer, "POST", "/v1/terminal/locations", {}, idempotency_key="acct:mer_1")
    assert answer.status_code == 400  # a key is scoped by API key and account, not by path
    assert (
        call(
            local_acquirer,
            "POST",
            "/v1/accounts",
            {"country": "US", "business_type": "company", "metadata[merchant]": "mer_1"},
            idempotency_key="acct:mer_1",
            account="acct_x",
        ).status_code
        == 200
    )


def test_a_concurrent_duplicate_meets_the_key_in_flight(gateway, local_acquirer):
    local_acquirer.inject(latency_ms=400)
    outcomes = []

    def create():
        try:
            outcomes.append(gateway.account_create(key="acct:mer_1", merchant_id="mer_1", business_type="company"))
        except AcquirerUnavailable as exc:
            outcomes.append(exc)

    threads = [threading.Thread(target=create) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    conflict = [o for o in outcomes if isinstance(o, AcquirerUnavailable)]
    assert len(conflict) == 1 and conflict[0].status == 409 and conflict[0].code == "idempotency_key_in_use"
    assert local_acquirer.objects()["counts"]["account"] == 1
    local_acquirer.clear_faults()
    assert gateway.account_create(key="acct:mer_1", merchant_id="mer_1", business_type="company") in outcomes


def test_lists_page_newest_first_with_limit_and_starting_after(gateway, local_acquirer):
    made = [gateway.account_create(key=f"acct:{n}", merchant_id=f"mer_{n}", business_type="company") for n in range(5)]
    page = call(local_acquirer, "GET", "/v1/accounts", params={"limit": 2}).json()
    assert page["object"] == "list" and page["url"] == "/v1/accounts" and page["has_more"] is True
    assert [a["id"] for a in page["data"]] == made[:-3:-1]
    rest = call(local_acquirer, "GET", "/v1/accounts", params={"limit": 10, "starting_after": made[3]}).json()
    assert [a["id"] for a in rest["data"]] == made[2::-1] and rest["has_more"] is False
    assert call(local_acquirer, "GET", "/v1/accounts", params={"limit": 101}).status_code == 400
    # the gateway's own lookup pages through: the oldest account is found behind the first page
    page_size = call(local_acquirer, "GET", "/v1/accounts", params={"limit": 100}).json()
    assert len(page_size["data"]) == 5
    assert gateway.account_find(merchant_id="mer_0") == made[0]


def test_the_gateways_lookup_follows_has_more(gateway, local_acquirer, monkeypatch):
    account = gateway.account_create(key="acct:mer_1", merchant_id="mer_1", business_type="company")
    for n in range(3):
        gateway.person_create(key=f"person:{n}", account=account, party_id=f"own_{n}")
    original = gateway._call

    def small_pages(method, *args, params=None, **kwargs):
        if params and "limit" in params:
            params = {**params, "limit": 1}
        return original(method, *args, params=params, **kwargs)

    monkeypatch.setattr(gateway, "_call", small_pages)
    assert gateway.person_find(account=account, party_id="own_0")
    afters = [
        r["params"].get("starting_after")
        for r in local_acquirer.requests(f"/v1/accounts/{account}/persons")
        if r["method"] == "GET"
    ]
    assert afters[0] is None and all(afters[1:]) and len(afters) == 3


def test_32_client_threads_at_once(gateway, local_acquirer):
    from concurrent.futures import ThreadPoolExecutor

    def work(n):
        merchant = f"mer_{n % 16}"  # two threads per merchant, one key each: replays or 409s, never two accounts
        try:
            account = gateway.account_create(key=f"acct:{merchant}", merchant_id=merchant, business_type="company")
            gateway.person_create(key=f"person:{n}", account=account, party_id=f"own_{n}")
            return "ok"
        except AcquirerUnavailable as exc:
            return exc.status

    with ThreadPoolExecutor(max_workers=32) as pool:
        outcomes = list(pool.map(work, range(64)))
    assert set(outcomes) <= {"ok", 409} and outcomes.count("ok") >= 32
    summary = local_acquirer.objects()
    assert summary["counts"]["account"] == 16 and summary["duplicates"]["accounts"] == 0
    assert not [r for r in local_acquirer.requests() if r["status"] >= 500]
