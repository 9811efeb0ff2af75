"""Idempotency-Key on every POST: replays, reuse with another body, a request in flight, a dead holder."""

import threading
import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from onboarding.models import Application, IdempotencyKey
from onboarding.services import drafts
from tests.factories import valid_draft
from tests.onboarding.api.conftest import PartnerApi, errors_by_attr

pytestmark = pytest.mark.django_db


def test_the_same_key_and_body_replays_the_first_answer(api):
    first = api.post("/applications", valid_draft(), key="retry-1")
    again = api.post("/applications", valid_draft(), key="retry-1")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["ETag"] == first["ETag"] and again["Location"] == first["Location"]
    assert again["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in first
    assert Application.objects.count() == 1


def test_an_error_is_replayed_too(api):
    bad = {"business": {"mcc": 12}}
    first = api.post("/applications", bad, key="retry-2")
    assert first.status_code == 400
    again = api.post("/applications", bad, key="retry-2")
    assert again.status_code == 400 and again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"


def test_the_same_key_with_another_body_is_refused(api):
    assert api.post("/applications", {"external_id": "a"}, key="retry-3").status_code == 201
    response = api.post("/applications", {"external_id": "b"}, key="retry-3")
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "idempotency_key_reused"
    assert Application.objects.count() == 1


def test_the_same_key_on_another_path_is_refused(api):
    app_id = api.post("/applications", {}, key="retry-4").json()["id"]
    response = api.post(f"/applications/{app_id}/withdraw", {}, key="retry-4")
    assert response.json()["errors"][0]["code"] == "idempotency_key_reused"


def test_keys_belong_to_their_partner_and_mode(api, api_live, api_b):
    for client in (api, api_live, api_b):
        assert client.post("/applications", {}, key="shared-key").status_code == 201
    assert Application.objects.count() == 3


def test_every_post_needs_a_key(api, partner_a):
    response = api.client.post(
        "/api/v1/applications", "{}", content_type="application/json",
        headers={"Authorization": f"Bearer {partner_a.test}"},
    )  # fmt: skip
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "idempotency_key_required"
    assert not Application.objects.exists()


def test_a_request_in_flight_gets_409(api, partner_a):
    body = {"external_id": "inflight"}
    api.post("/applications", body, key="inflight-key")
    IdempotencyKey.objects.filter(key="inflight-key").update(state="in_flight", locked_at=timezone.now())
    response = api.post("/applications", body, key="inflight-key")
    assert response.status_code == 409
    assert response.json()["errors"][0]["code"] == "idempotency_key_in_use"


def test_a_request_that_died_holding_its_key_is_taken_over(api, settings):
    IdempotencyKey.objects.all().delete()
    api.post("/applications", {"external_id": "dead"}, key="dead-key")
    Application.objects.all().update(external_id="")  # as if the first request had been rolled back
    stale = timezone.now() - timedelta(seconds=settings.PARTNER_API_IDEMPOTENCY_LOCK_SECONDS + 1)
    IdempotencyKey.objects.filter(key="dead-key").update(state="in_flight", locked_at=stale)
    response = api.post("/applications", {"external_id": "dead"}, key="dead-key")
    assert response.status_code == 201 and "Idempotent-Replayed" not in response


def test_keys_are_kept_a_day_then_free_again(api, settings):
    assert settings.PARTNER_API_IDEMPOTENCY_HOURS >= 24
    api.post("/applications", {}, key="old-key")
    IdempotencyKey.objects.filter(key="old-key").update(created_at=timezone.now() - timedelta(hours=23))
    assert api.post("/applications", {}, key="old-key")["Idempotent-Replayed"] == "true"
    IdempotencyKey.objects.filter(key="old-key").update(created_at=timezone.now() - timedelta(hours=25))
    response = api.post("/applications", {"external_id": "new"}, key="old-key")
    assert response.status_code == 201 and "Idempotent-Replayed" not in response


def test_a_server_error_is_not_kept_so_the_retry_runs(api, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(drafts, "application_create_draft", broken)
    import onboarding.api.applications as views

    monkeypatch.setattr(views, "application_create_draft", broken)
    api.client.raise_request_exception = False
    first = api.post("/applications", {}, key="flaky")
    assert first.status_code == 500 and first.json()["type"] == "server_error"
    monkeypatch.undo()
    again = api.post("/applications", {}, key="flaky")
    assert again.status_code == 201 and Application.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_duplicates_create_one_application(partner_a, postgres, monkeypatch):
    """Two requests with one key at the same moment: one creates, the other gets 409 while it runs."""
    from django.core.management import call_command

    import onboarding.api.applications as views

    call_command("createcachetable", verbosity=0)
    inside, release = threading.Event(), threading.Event()
    real = views.application_create_draft

    def slow_create(**kwargs):
        inside.set()
        assert release.wait(10)
        return real(**kwargs)

    monkeypatch.setattr(views, "application_create_draft", slow_create)
    key = str(uuid.uuid4())
    results = {}

    def first_request():
        try:
            results["first"] = PartnerApi(partner_a.test).post("/applications", {"external_id": "race"}, key=key)
        finally:
            connection.close()

    thread = threading.Thread(target=first_request)
    thread.start()
    assert inside.wait(10)
    second = PartnerApi(partner_a.test).post("/applications", {"external_id": "race"}, key=key)
    release.set()
    thread.join(10)
    assert second.status_code == 409 and errors_by_attr(second)[None]["code"] == "idempotency_key_in_use"
    assert results["first"].status_code == 201
    assert Application.objects.filter(external_id="race").count() == 1
    replay = PartnerApi(partner_a.test).post("/applications", {"external_id": "race"}, key=key)
    assert replay.status_code == 201 and replay.json()["id"] == results["first"].json()["id"]
