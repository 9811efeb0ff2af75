"""Every endpoint refuses a missing, malformed, unknown or revoked key (401, with a body that says why), and
answers 404 for another partner's ids and for ids of the other mode (a test key on live data)."""

import pytest

from onboarding.models import PartnerApiKey
from onboarding.services.actors import Actor
from onboarding.services.partners import partner_api_key_revoke
from tests.onboarding.api.conftest import PartnerApi, merchant_for, partner_draft, partner_endpoint

pytestmark = pytest.mark.django_db

ENDPOINTS = [
    ("get", "/applications/{app}"),
    ("patch", "/applications/{app}"),
    ("post", "/applications/{app}/submit"),
    ("post", "/applications/{app}/withdraw"),
    ("post", "/applications/{app}/information_request/answer"),
    ("get", "/applications/{app}/documents"),
    ("post", "/applications/{app}/documents"),
    ("get", "/applications/{app}/requirements"),
    ("get", "/applications/{app}/events"),
    ("get", "/merchants/{mer}"),
    ("get", "/merchants/{mer}/terminals"),
    ("post", "/applications/{app}/onboarding_links"),
    ("get", "/webhook_endpoints/{we}"),
    ("patch", "/webhook_endpoints/{we}"),
    ("delete", "/webhook_endpoints/{we}"),
    ("post", "/webhook_endpoints/{we}/ping"),
    ("get", "/webhook_endpoints/{we}/deliveries"),
]
COLLECTIONS = [
    ("get", "/applications"),
    ("post", "/applications"),
    ("get", "/merchants"),
    ("get", "/webhook_endpoints"),
    ("post", "/webhook_endpoints"),
    ("get", "/events"),
]
EVERY_ENDPOINT = ENDPOINTS + COLLECTIONS


def call(api: PartnerApi, method: str, path: str):
    if method == "get":
        return api.get(path)
    if method == "patch":
        return api.patch(path, {"business": {"dba": "Changed"}})
    if method == "delete":
        return api.delete(path)
    if path.endswith("/documents"):
        return api.upload(path, {"kind": "other"})
    return api.post(path, {})


@pytest.fixture
def ids(partner_a):
    """Partner A's test application, merchant and webhook endpoint, and a live one of each. (The endpoints'
    port on 127.0.0.1 refuses connections: a ping there fails at once.)"""
    test_app = partner_draft(partner_a.partner, livemode=False, business={"legal_name": "Test Co"})
    test_mer = merchant_for(partner_draft(partner_a.partner, livemode=False, business={"legal_name": "Test M"}))
    live_app = partner_draft(partner_a.partner, livemode=True, business={"legal_name": "Live Co"})
    live_mer = merchant_for(partner_draft(partner_a.partner, livemode=True, business={"legal_name": "Live M"}))
    test_we, _secret = partner_endpoint(partner_a.partner, "http://127.0.0.1:9/hooks")
    live_we, _secret = partner_endpoint(partner_a.partner, "https://127.0.0.1:9/hooks", livemode=True)
    return {
        "test": {"app": test_app.public_id, "mer": test_mer.public_id, "we": test_we.public_id},
        "live": {"app": live_app.public_id, "mer": live_mer.public_id, "we": live_we.public_id},
    }


def assert_401(response, code: str):
    assert response.status_code == 401
    body = response.json()
    assert body["type"] == "client_error"
    assert body["errors"][0]["code"] == code
    assert body["errors"][0]["detail"]
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response["Request-Id"].startswith("req_")


@pytest.mark.parametrize(("method", "path"), EVERY_ENDPOINT)
def test_no_key_is_401(ids, method, path):
    assert_401(call(PartnerApi(None), method, path.format(**ids["test"])), "not_authenticated")


@pytest.mark.parametrize(("method", "path"), EVERY_ENDPOINT)
def test_unknown_key_is_401(ids, method, path):
    assert_401(call(PartnerApi("sk_test_not-a-key-we-issued"), method, path.format(**ids["test"])), "invalid_api_key")


@pytest.mark.parametrize(("method", "path"), EVERY_ENDPOINT)
def test_revoked_key_is_401(ids, partner_a, method, path):
    key = PartnerApiKey.objects.get(partner=partner_a.partner, mode="test")
    partner_api_key_revoke(key=key, actor=Actor.system("tests"))
    assert_401(call(PartnerApi(partner_a.test), method, path.format(**ids["test"])), "invalid_api_key")


def test_malformed_authorization_is_401(ids, partner_a):
    api = PartnerApi(None)
    response = api.get("/applications", Authorization=f"Token {partner_a.test}")
    assert_401(response, "malformed_authorization")
    assert partner_a.test not in response.content.decode()


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
def test_test_key_on_live_ids_is_404(ids, api, method, path):
    response = call(api, method, path.format(**ids["live"]))
    assert response.status_code == 404
    assert response.json()["errors"][0]["code"] == "not_found"


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
def test_live_key_on_test_ids_is_404(ids, api_live, method, path):
    assert call(api_live, method, path.format(**ids["test"])).status_code == 404


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
def test_another_partners_ids_are_404(ids, api_b, method, path):
    assert call(api_b, method, path.format(**ids["test"])).status_code == 404


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
def test_own_ids_of_the_keys_mode_are_found(ids, api, method, path):
    # The same calls with the right key get past the scoping (whatever the service then says).
    assert call(api, method, path.format(**ids["test"])).status_code not in (401, 404)


def test_lists_hold_only_the_keys_partner_and_mode(ids, api, api_live, api_b):
    test_ids = {a["id"] for a in api.get("/applications").json()["results"]}
    live_ids = {a["id"] for a in api_live.get("/applications").json()["results"]}
    assert ids["test"]["app"] in test_ids and ids["live"]["app"] not in test_ids
    assert ids["live"]["app"] in live_ids and ids["test"]["app"] not in live_ids
    assert all(not a["livemode"] for a in api.get("/applications").json()["results"])
    assert api_b.get("/applications").json()["results"] == []
    assert {m["id"] for m in api.get("/merchants").json()["results"]} == {ids["test"]["mer"]}
    assert {m["id"] for m in api_live.get("/merchants").json()["results"]} == {ids["live"]["mer"]}
    assert api_b.get("/merchants").json()["results"] == []


def test_a_key_records_when_it_was_last_used(api, partner_a):
    api.get("/applications")
    assert PartnerApiKey.objects.get(partner=partner_a.partner, mode="test").last_used_at is not None
