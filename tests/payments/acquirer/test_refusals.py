"""The local acquirer refuses what Stripe refuses, with Stripe's error shapes."""

import pytest
from django.conf import settings

from payments.gateway import AcquirerRefused
from payments.stripe_gateway import StripeGateway
from tests.payments.acquirer.accounts import ADDRESS, register
from tests.payments.acquirer.http import call


@pytest.fixture
def gateway(local_acquirer):
    return StripeGateway(livemode=False)


@pytest.fixture
def account(gateway):
    return gateway.account_create(key="acct:mer_1", merchant_id="mer_1", business_type="company")


def error_of(answer):
    assert answer.headers["Request-Id"].startswith("req_")
    return answer.json()["error"]


def test_an_unknown_parameter_is_refused_naming_its_path(local_acquirer, account):
    answer = call(local_acquirer, "POST", f"/v1/accounts/{account}", {"business_profile[foo]": "1"})
    error = error_of(answer)
    assert answer.status_code == 400 and error["type"] == "invalid_request_error"
    assert (error["code"], error["param"]) == ("parameter_unknown", "business_profile[foo]")


def test_there_is_no_alipay_payments_capability(gateway, local_acquirer, account):
    with pytest.raises(AcquirerRefused) as refused:
        gateway.account_update(
            key="caps:1", account=account, params={"capabilities": {"alipay_payments": {"requested": True}}}
        )
    assert refused.value.status == 400 and refused.value.code == "parameter_unknown"
    assert local_acquirer.requests()[-1]["status"] == 400


def test_wrong_types_and_closed_values_are_refused(local_acquirer, account):
    answer = call(local_acquirer, "POST", f"/v1/accounts/{account}", {"tos_acceptance[date]": "yesterday"})
    assert error_of(answer)["code"] == "parameter_invalid_integer"
    answer = call(
        local_acquirer,
        "POST",
        f"/v1/accounts/{account}/external_accounts",
        {
            "external_account[object]": "cheque",
            "external_account[account_number]": "1",
            "external_account[country]": "US",
        },
    )
    assert answer.status_code == 400 and error_of(answer)["param"].startswith("external_account")


@pytest.mark.parametrize("key", ["sk_test_not_ours", "", "pk_test_x"])
def test_only_our_live_and_test_keys_are_accepted(local_acquirer, key):
    answer = call(local_acquirer, "GET", "/v1/accounts", key=key)
    assert answer.status_code == 401 and error_of(answer)["type"] == "invalid_request_error"
    assert settings.STRIPE_TEST_API_KEY not in answer.text


def test_a_wrong_key_reaches_the_gateway_as_a_refusal(local_acquirer, settings):
    settings.STRIPE_TEST_API_KEY = "sk_test_someone_else"
    with pytest.raises(AcquirerRefused) as refused:
        StripeGateway(livemode=False).account_find(merchant_id="mer_1")
    assert refused.value.status == 401


def test_objects_of_another_account_are_missing(gateway, account):
    other = gateway.account_create(key="acct:mer_2", merchant_id="mer_2", business_type="company")
    configuration = gateway.wallets_create(key="pmc:1", account=account, merchant_id="mer_1", preferences={})
    location = gateway.location_create(key="loc:1", account=account, store_id="s", display_name="S", address=ADDRESS)
    reader = gateway.reader_register(
        key="rdr:1", account=account, location=location, registration_code="simulated-wpe", label="T", terminal_id="t"
    )
    person = gateway.person_create(key="person:1", account=account, party_id="p")
    for attempt in (
        lambda: gateway.wallets_retrieve(account=other, configuration=configuration),
        lambda: gateway.reader_retrieve(account=other, reader=reader),
        lambda: gateway.person_update(key="pu", account=other, person=person, params={"first_name": "X"}),
        lambda: register(gateway, account=other, location=location, key="rdr:2"),
    ):
        with pytest.raises(AcquirerRefused) as refused:
            attempt()
        assert (refused.value.status, refused.value.code) == (404, "resource_missing")


def test_a_connected_accounts_objects_are_missing_without_its_header(local_acquirer, gateway, account):
    configuration = gateway.wallets_create(key="pmc:1", account=account, merchant_id="mer_1", preferences={})
    answer = call(local_acquirer, "GET", f"/v1/payment_method_configurations/{configuration}")
    assert answer.status_code == 404 and error_of(answer)["code"] == "resource_missing"
    answer = call(local_acquirer, "GET", "/v1/terminal/readers", account="acct_nobody")
    assert answer.status_code == 403 and error_of(answer)["code"] == "account_invalid"


@pytest.mark.parametrize("field", ["line1", "city", "state", "postal_code", "country"])
def test_a_location_needs_its_whole_address(gateway, local_acquirer, account, field):
    address = {k: v for k, v in ADDRESS.items() if k != field}
    with pytest.raises(AcquirerRefused) as refused:
        gateway.location_create(key=f"loc:{field}", account=account, store_id="s", display_name="S", address=address)
    assert refused.value.code == "parameter_missing"
    assert local_acquirer.requests("/v1/terminal/locations")[-1]["status"] == 400


def test_registration_codes(gateway, account, local_acquirer):
    location = gateway.location_create(key="loc:1", account=account, store_id="s", display_name="S", address=ADDRESS)

    def register(code, key, gw=gateway, on=account, where=location):
        return gw.reader_register(
            key=key, account=on, location=where, registration_code=code, label="T", terminal_id=key
        )

    with pytest.raises(AcquirerRefused) as refused:
        register("quartz-lotus-river", "rdr:live-code-in-test")  # a live code is not a test code
    assert refused.value.code == "terminal_reader_invalid_registration_code"
    s700 = register("simulated-s700", "rdr:s700")
    again = register("simulated-s700", "rdr:s700-again")  # simulated codes are reusable
    assert s700 != again and gateway.reader_retrieve(account=account, reader=s700).device_type == "stripe_s700"

    live = StripeGateway(livemode=True)
    live_account = live.account_create(key="acct:live", merchant_id="mer_live", business_type="company")
    live_location = live.location_create(
        key="loc:live", account=live_account, store_id="s", display_name="S", address=ADDRESS
    )
    # The gateway itself refuses a simulated code in live mode; so does the server.
    with pytest.raises(AcquirerRefused):
        register("simulated-wpe", "rdr:live-sim", gw=live, on=live_account, where=live_location)
    answer = call(
        local_acquirer,
        "POST",
        "/v1/terminal/readers",
        {"registration_code": "simulated-wpe", "location": live_location},
        key=settings.STRIPE_API_KEY,
        account=live_account,
    )
    assert answer.status_code == 400 and error_of(answer)["param"] == "registration_code"
    code = settings.LOCAL_ACQUIRER_LIVE_READER_CODES[0]
    reader = register(code, "rdr:live-1", gw=live, on=live_account, where=live_location)
    with pytest.raises(AcquirerRefused):  # held by an undeleted reader
        register(code, "rdr:live-2", gw=live, on=live_account, where=live_location)
    live.reader_deactivate(account=live_account, reader=reader)
    assert register(code, "rdr:live-3", gw=live, on=live_account, where=live_location) != reader


def test_an_unrecognised_url_is_a_404(local_acquirer):
    answer = call(local_acquirer, "POST", "/v1/accounts/acct_1/capabilities/alipay_payments", {})
    assert answer.status_code == 404 and "Unrecognized request URL" in error_of(answer)["message"]
