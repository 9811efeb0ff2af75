"""Request-Id, throttling per key in the shared cache, lost updates refused with ETag / If-Match."""

import logging

import pytest
from django.core.cache import cache

from onboarding.models import Application
from tests.factories import valid_draft
from tests.onboarding.api.conftest import PartnerApi

pytestmark = pytest.mark.django_db


def test_every_response_has_a_request_id_that_is_logged(api, caplog):
    with caplog.at_level(logging.INFO, logger="onboarding.api"):
        ok = api.get("/applications")
        missing = api.get("/applications/app_nope")
        anonymous = PartnerApi(None).get("/applications")
    ids = [r["Request-Id"] for r in (ok, missing, anonymous)]
    assert all(i.startswith("req_") for i in ids) and len(set(ids)) == 3
    logged = caplog.text
    assert all(f"request_id={i}" in logged for i in ids)
    assert "status=404" in logged and "status=401" in logged
    assert api.secret not in logged


def test_throttled_per_key_with_retry_after(api, api_b, settings):
    settings.PARTNER_API_REQUESTS_PER_MINUTE = 3
    assert [api.get("/applications").status_code for _ in range(3)] == [200, 200, 200]
    refused = api.get("/applications")
    assert refused.status_code == 429
    assert refused.json()["errors"][0]["code"] == "throttled"
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert api_b.get("/applications").status_code == 200  # another key has its own count


def test_the_count_lives_in_the_shared_cache(api, settings):
    settings.PARTNER_API_REQUESTS_PER_MINUTE = 2
    api.get("/applications")
    api.get("/applications")
    assert api.get("/applications").status_code == 429
    cache.clear()  # what every process counts in: emptied, the key may call again
    assert api.get("/applications").status_code == 200


def test_if_match_refuses_a_lost_update(api):
    created = api.post("/applications", valid_draft())
    app_id, etag = created.json()["id"], created["ETag"]
    assert api.get(f"/applications/{app_id}")["ETag"] == etag
    first = api.patch(f"/applications/{app_id}", {"business": {"dba": "First"}}, **{"If-Match": etag})
    assert first.status_code == 200 and first["ETag"] != etag
    stale = api.patch(f"/applications/{app_id}", {"business": {"dba": "Second"}}, **{"If-Match": etag})
    assert stale.status_code == 412
    assert stale.json()["errors"][0]["code"] == "precondition_failed"
    assert Application.objects.get(public_id=app_id).dba == "First"
    fresh = api.patch(f"/applications/{app_id}", {"business": {"dba": "Second"}}, **{"If-Match": first["ETag"]})
    assert fresh.status_code == 200


def test_if_match_on_actions(api):
    created = api.post("/applications", {})
    app_id = created.json()["id"]
    api.patch(f"/applications/{app_id}", {"business": {"dba": "Moved on"}})
    stale = api.post(f"/applications/{app_id}/withdraw", {}, **{"If-Match": created["ETag"]})
    assert stale.status_code == 412
    assert Application.objects.get(public_id=app_id).state == "draft"


def test_times_are_utc_iso_8601(api):
    body = api.post("/applications", {}).json()
    assert body["created"].endswith("Z") and "T" in body["created"]
