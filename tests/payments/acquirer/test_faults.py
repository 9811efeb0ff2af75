"""Each fault the local acquirer can show, and how the gateway reports it."""

import time

import pytest

from payments.gateway import AcquirerUnavailable
from payments.stripe_gateway import StripeGateway
from tests.payments.acquirer.http import call


@pytest.fixture
def gateway(local_acquirer):
    return StripeGateway(livemode=False)


def create(gateway, merchant="mer_1"):
    return gateway.account_create(key=f"acct:{merchant}", merchant_id=merchant, business_type="company")


def test_added_latency(gateway, local_acquirer):
    local_acquirer.inject(latency_ms=150)
    started = time.monotonic()
    gateway.account_find(merchant_id="mer_1")
    assert time.monotonic() - started >= 0.15


def test_n_answers_of_500_then_the_same_key_succeeds(gateway, local_acquirer):
    local_acquirer.inject(fail={"prefix": "/v1/accounts", "count": 2, "status": 500, "post_only": True})
    gateway.account_find(merchant_id="mer_1")  # a GET is not failed
    for _ in range(2):
        with pytest.raises(AcquirerUnavailable) as unavailable:
            create(gateway)
        assert unavailable.value.status == 500 and unavailable.value.retryable
    account = create(gateway)
    assert local_acquirer.objects()["counts"]["account"] == 1 and account.startswith("acct_")


def test_a_500_while_executing_is_the_keys_answer_and_replayed(gateway, local_acquirer):
    local_acquirer.inject(fail={"prefix": "/v1/accounts", "count": 1, "saved": True})
    for _ in range(2):
        with pytest.raises(AcquirerUnavailable) as unavailable:
            create(gateway)
        assert unavailable.value.status == 500
    assert local_acquirer.requests()[-1]["replayed"] is True
    assert create(gateway, "mer_2")  # another key runs


def test_429_with_retry_after(gateway, local_acquirer):
    local_acquirer.inject(throttle={"prefix": "/v1/", "count": 1, "retry_after": 7})
    with pytest.raises(AcquirerUnavailable) as unavailable:
        create(gateway)
    assert (unavailable.value.status, unavailable.value.code, unavailable.value.retry_after) == (429, "rate_limit", 7)
    assert create(gateway)


def test_timeout_after_create_dropped_then_a_replay_returns_the_same_object(gateway, local_acquirer):
    local_acquirer.inject(timeout_after_create={"prefix": "/v1/accounts", "mode": "drop"})
    with pytest.raises(AcquirerUnavailable) as unavailable:
        create(gateway)
    assert unavailable.value.code == "network"
    assert local_acquirer.objects()["counts"]["account"] == 1  # it was created all the same
    account = create(gateway)
    assert local_acquirer.requests()[-1]["replayed"] and local_acquirer.objects()["counts"]["account"] == 1
    assert gateway.account_find(merchant_id="mer_1") == account


def test_timeout_after_create_held_past_the_clients_timeout(local_acquirer, settings):
    settings.ACQUIRER_TIMEOUT_SECONDS = 0.3
    gateway = StripeGateway(livemode=False)
    local_acquirer.inject(timeout_after_create={"prefix": "/v1/accounts", "mode": "hold", "hold_seconds": 1})
    started = time.monotonic()
    with pytest.raises(AcquirerUnavailable):
        create(gateway)
    assert time.monotonic() - started < 0.9
    assert create(gateway) and local_acquirer.objects()["counts"]["account"] == 1


def test_an_enforced_rate_limit(gateway, local_acquirer):
    local_acquirer.inject(rate_limit=5)
    outcomes = []
    for _ in range(8):
        try:
            gateway.account_find(merchant_id="mer_1")
            outcomes.append(200)
        except AcquirerUnavailable as exc:
            outcomes.append(exc.status)
    assert outcomes[:5] == [200] * 5 and set(outcomes[5:]) == {429}
    time.sleep(1.05)
    gateway.account_find(merchant_id="mer_1")


def test_faults_over_http_and_reset(local_acquirer, gateway):
    answer = call(
        local_acquirer, "POST", "/_local/faults", '{"latency_ms": 5, "fail": {"prefix": "/v1/x", "count": 3}}'
    )
    assert answer.json()["latency_ms"] == 5 and answer.json()["fail"][0]["count"] == 3
    create(gateway)
    assert call(local_acquirer, "GET", "/_local/objects").json()["counts"] == {"account": 1}
    assert call(local_acquirer, "GET", "/_local/requests").json()["data"][-1]["path"] == "/v1/accounts"
    assert call(local_acquirer, "POST", "/_local/reset").json() == {"reset": True}
    assert call(local_acquirer, "GET", "/_local/objects").json()["counts"] == {}
    assert call(local_acquirer, "GET", "/_local/faults").json()["latency_ms"] == 0


def test_duplicates_are_counted(local_acquirer, gateway):
    create(gateway)
    gateway.account_create(key="acct:mer_1:second", merchant_id="mer_1", business_type="company")
    assert local_acquirer.objects()["duplicates"]["accounts"] == 1


def test_the_management_command_serves_until_stopped(tmp_path):
    import signal
    import subprocess
    import sys

    import requests

    command = [sys.executable, "manage.py", "local_acquirer", "--port", "0", "--db", str(tmp_path / "a.sqlite3")]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline()
        url = line.split()[3]
        assert requests.get(f"{url}/_local/objects", timeout=5).json()["counts"] == {}
    finally:
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=10) == 0
