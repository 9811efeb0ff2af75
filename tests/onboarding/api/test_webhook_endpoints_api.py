"""/api/v1/webhook_endpoints: a partner's endpoints in its key's mode, created with a secret shown once,
changed, deleted, pinged (a real receiver on 127.0.0.1), and their delivery logs; refusals field by field;
another partner's or the other mode's endpoints are not found."""

import json

import pytest

from onboarding.models import IdempotencyKey, PartnerApiKey, WebhookDelivery, WebhookEndpoint
from onboarding.services.actors import Actor
from onboarding.services.applications import application_submit
from onboarding.services.partners import partner_api_key_revoke
from onboarding.webhooks_out.signature import HEADER, signature
from tests.onboarding.api.conftest import PartnerApi, errors_by_attr, partner_endpoint
from tests.onboarding.webhooks_out.conftest import partner_application

pytestmark = pytest.mark.django_db

NEW = {"url": "https://hooks.example.com/walletboard", "event_types": ["application.approved"]}
SHOWN = {"id", "object", "url", "description", "event_types", "enabled", "livemode", "created", "updated"}


def signed_by(secret: str, header: str, body: bytes) -> bool:
    parts = dict(item.split("=", 1) for item in header.split(","))
    return parts["v1"] == signature(secret, int(parts["t"]), body)


def test_create_shows_the_secret_once(api):
    created = api.post("/webhook_endpoints", {**NEW, "description": "CRM"})
    assert created.status_code == 201
    body = created.json()
    assert set(body) == SHOWN | {"secret"}
    assert body["id"].startswith("we_") and body["object"] == "webhook_endpoint"
    assert body["secret"].startswith("whsec_") and body["livemode"] is False and body["enabled"] is True
    assert body["event_types"] == ["application.approved"] and body["description"] == "CRM"
    assert created["Location"].endswith(f"/api/v1/webhook_endpoints/{body['id']}")
    assert WebhookEndpoint.objects.get(public_id=body["id"]).secret == body["secret"]

    path = f"/webhook_endpoints/{body['id']}"
    answers = [
        api.get(path),
        api.get("/webhook_endpoints"),
        api.patch(path, {"description": "Changed"}),
        api.delete(path),
    ]
    for answer in answers:
        assert answer.status_code == 200
        assert body["secret"] not in answer.content.decode()
    assert set(answers[0].json()) == SHOWN


def test_the_stored_answer_keeps_the_secret_only_encrypted_and_a_retry_replays_it(api):
    first = api.post("/webhook_endpoints", NEW, key="we-1")
    secret = first.json()["secret"]
    stored = IdempotencyKey.objects.get(key="we-1")
    assert secret not in json.dumps(stored.response_body)
    again = api.post("/webhook_endpoints", NEW, key="we-1")
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json() and again["Location"] == first["Location"]
    assert WebhookEndpoint.objects.count() == 1
    assert api.post("/webhook_endpoints", NEW).json()["secret"] != secret  # a new request, a new endpoint


def test_a_live_key_creates_a_live_endpoint(api_live):
    assert api_live.post("/webhook_endpoints", NEW).json()["livemode"] is True


@pytest.mark.parametrize(
    ("body", "attr"),
    [
        ({"event_types": ["*"]}, "url"),
        ({**NEW, "url": "ftp://hooks.example.com/a"}, "url"),
        ({**NEW, "url": "https://user:pw@hooks.example.com/a"}, "url"),
        ({**NEW, "url": 7}, "url"),
        ({"url": NEW["url"]}, "event_types"),
        ({**NEW, "event_types": []}, "event_types"),
        ({**NEW, "event_types": "application.approved"}, "event_types"),
        ({**NEW, "event_types": ["application.approved", "application.eaten"]}, "event_types[1]"),
        ({**NEW, "event_types": ["ping"]}, "event_types[0]"),
        ({**NEW, "description": "x" * 201}, "description"),
        ({**NEW, "enabled": False}, "enabled"),
        ({**NEW, "secret": "whsec_mine"}, "secret"),
    ],
)
def test_create_refuses_field_by_field_and_writes_nothing(api, body, attr):
    response = api.post("/webhook_endpoints", body)
    assert response.status_code == 400 and response.json()["type"] == "validation_error"
    errors = errors_by_attr(response)
    assert attr in errors and set(errors) <= {None, attr}
    assert not WebhookEndpoint.objects.exists()


def test_a_live_endpoint_must_use_https(api_live):
    response = api_live.post("/webhook_endpoints", {**NEW, "url": "http://hooks.example.com/a"})
    assert response.status_code == 400 and "url" in errors_by_attr(response)


def test_change_only_what_is_sent(api, partner_a):
    endpoint, _secret = partner_endpoint(partner_a.partner, "https://hooks.example.com/a", event_types=["*"])
    path = f"/webhook_endpoints/{endpoint.public_id}"
    changed = api.patch(path, {"url": "https://hooks.example.com/b", "enabled": False})
    assert changed.status_code == 200
    assert changed.json()["url"] == "https://hooks.example.com/b" and changed.json()["enabled"] is False
    assert changed.json()["event_types"] == ["*"]
    assert api.patch(path, {"event_types": ["application.declined"]}).json()["enabled"] is False
    endpoint.refresh_from_db()
    assert (endpoint.url, endpoint.enabled, endpoint.event_types) == (
        "https://hooks.example.com/b", False, ["application.declined"]
    )  # fmt: skip


@pytest.mark.parametrize(
    ("body", "attr"),
    [
        ({"url": "not a url"}, "url"),
        ({"enabled": "yes"}, "enabled"),
        ({"event_types": []}, "event_types"),
        ({"event_types": ["nope"]}, "event_types[0]"),
        ({"description": "x" * 201}, "description"),
        ({"livemode": True}, "livemode"),
        ({"secret": "whsec_mine"}, "secret"),
    ],
)
def test_change_refuses_field_by_field_and_changes_nothing(api, partner_a, body, attr):
    endpoint, _secret = partner_endpoint(partner_a.partner, "https://hooks.example.com/a")
    response = api.patch(f"/webhook_endpoints/{endpoint.public_id}", {"description": "Changed?", **body})
    assert response.status_code == 400
    assert attr in errors_by_attr(response)
    endpoint.refresh_from_db()
    assert (endpoint.url, endpoint.enabled, endpoint.description) == ("https://hooks.example.com/a", True, "")


def test_switching_off_cancels_what_was_owed(api, partner_a):
    endpoint, _secret = partner_endpoint(partner_a.partner, "https://hooks.example.com/a")
    application = partner_application(partner_a.partner)
    application_submit(application=application, actor=Actor.for_user(application.applicant))
    assert WebhookDelivery.objects.filter(endpoint=endpoint, status="pending").exists()
    api.patch(f"/webhook_endpoints/{endpoint.public_id}", {"enabled": False})
    assert set(WebhookDelivery.objects.filter(endpoint=endpoint).values_list("status", flat=True)) == {"cancelled"}


def test_a_deleted_endpoint_is_gone_from_the_api(api, partner_a):
    endpoint, _secret = partner_endpoint(partner_a.partner, "https://hooks.example.com/a")
    path = f"/webhook_endpoints/{endpoint.public_id}"
    deleted = api.delete(path)
    assert deleted.status_code == 200
    assert deleted.json() == {"id": endpoint.public_id, "object": "webhook_endpoint", "deleted": True}
    for response in (api.get(path), api.patch(path, {"enabled": True}), api.delete(path), api.post(f"{path}/ping")):
        assert response.status_code == 404
    assert api.get("/webhook_endpoints").json()["results"] == []
    endpoint.refresh_from_db()
    assert endpoint.deleted_at is not None and not endpoint.enabled


def test_lists_hold_only_the_keys_partner_and_mode(api, api_live, api_b, partner_a, partner_b):
    mine, _ = partner_endpoint(partner_a.partner, "https://hooks.example.com/test")
    live, _ = partner_endpoint(partner_a.partner, "https://hooks.example.com/live", livemode=True)
    theirs, _ = partner_endpoint(partner_b.partner, "https://hooks.example.com/theirs")
    listed = api.get("/webhook_endpoints").json()
    assert [e["id"] for e in listed["results"]] == [mine.public_id] and listed["next"] is None
    assert [e["id"] for e in api_live.get("/webhook_endpoints").json()["results"]] == [live.public_id]
    assert [e["id"] for e in api_b.get("/webhook_endpoints").json()["results"]] == [theirs.public_id]


def test_the_list_is_paginated(api, partner_a):
    for n in range(3):
        partner_endpoint(partner_a.partner, f"https://hooks.example.com/{n}")
    first = api.get("/webhook_endpoints", {"limit": 2}).json()
    assert len(first["results"]) == 2 and first["next"]
    second = api.client.get(first["next"], headers={"Authorization": f"Bearer {api.secret}"}).json()
    assert len(second["results"]) == 1 and second["next"] is None
    assert len({e["id"] for e in first["results"] + second["results"]}) == 3


def test_another_partners_endpoint_or_the_other_modes_is_not_found(api, api_live, api_b, partner_a):
    endpoint, _secret = partner_endpoint(partner_a.partner, "https://hooks.example.com/a")
    path = f"/webhook_endpoints/{endpoint.public_id}"
    for client in (api_b, api_live):
        answers = [
            client.get(path),
            client.patch(path, {"enabled": False}),
            client.delete(path),
            client.post(f"{path}/ping"),
            client.get(f"{path}/deliveries"),
        ]
        assert [a.status_code for a in answers] == [404] * 5
        assert all(a.json()["errors"][0]["code"] == "not_found" for a in answers)
        assert all(endpoint.url not in a.content.decode() for a in answers)
    endpoint.refresh_from_db()
    assert endpoint.enabled and endpoint.deleted_at is None and not endpoint.deliveries.exists()
    assert api.get("/webhook_endpoints/we_nope").status_code == 404


def test_no_key_or_a_revoked_key_is_401(partner_a):
    endpoint, _secret = partner_endpoint(partner_a.partner, "https://hooks.example.com/a")
    anonymous = PartnerApi(None)
    assert anonymous.get("/webhook_endpoints").status_code == 401
    assert anonymous.post("/webhook_endpoints", NEW).status_code == 401
    key = PartnerApiKey.objects.get(partner=partner_a.partner, mode="test")
    partner_api_key_revoke(key=key, actor=Actor.system("tests"))
    revoked = PartnerApi(partner_a.test)
    for response in (revoked.get(f"/webhook_endpoints/{endpoint.public_id}"), revoked.post("/webhook_endpoints", NEW)):
        assert response.status_code == 401 and response.json()["errors"][0]["code"] == "invalid_api_key"
    assert WebhookEndpoint.objects.count() == 1


def test_a_ping_reaches_the_receiver_signed_and_is_logged(api, receiver):
    created = api.post("/webhook_endpoints", {"url": receiver.url, "event_types": ["*"]}).json()
    pinged = api.post(f"/webhook_endpoints/{created['id']}/ping")
    assert pinged.status_code == 200
    delivery = pinged.json()
    assert delivery["object"] == "webhook_delivery" and delivery["event_type"] == "ping"
    assert delivery["endpoint"] == created["id"] and delivery["status"] == "succeeded"
    assert delivery["last_status_code"] == 200 and delivery["attempt_count"] == 1
    assert [(a["number"], a["outcome"], a["status_code"]) for a in delivery["attempts"]] == [(1, "succeeded", 200)]

    [request] = receiver.received
    assert request.event["type"] == "ping" and request.event["id"] == delivery["event"]
    assert request.event["data"]["object"]["id"] == created["id"]
    assert signed_by(created["secret"], request.headers[HEADER], request.body)

    log = api.get(f"/webhook_endpoints/{created['id']}/deliveries").json()
    assert [d["id"] for d in log["results"]] == [delivery["id"]]
    assert log["results"][0]["attempts"][0]["status_code"] == 200


def test_a_ping_the_receiver_refuses_says_so(api, partner_a, receiver):
    endpoint, _secret = partner_endpoint(partner_a.partner, receiver.url)
    receiver.script = [500]
    delivery = api.post(f"/webhook_endpoints/{endpoint.public_id}/ping").json()
    assert delivery["status"] == "failed" and delivery["next_attempt_at"] is None
    [attempt] = delivery["attempts"]
    assert attempt["status_code"] == 500 and attempt["outcome"] == "failed" and "500" in attempt["error"]


def test_a_retried_ping_is_sent_once(api, partner_a, receiver):
    endpoint, _secret = partner_endpoint(partner_a.partner, receiver.url)
    path = f"/webhook_endpoints/{endpoint.public_id}/ping"
    first = api.post(path, key="ping-1")
    again = api.post(path, key="ping-1")
    assert again["Idempotent-Replayed"] == "true" and again.json() == first.json()
    assert len(receiver.received) == 1 and endpoint.deliveries.count() == 1


def test_the_delivery_log_holds_the_endpoints_events_with_their_attempts(api, api_b, partner_a, partner_b):
    endpoint, _secret = partner_endpoint(partner_a.partner, "http://127.0.0.1:9/hooks")
    other, _secret = partner_endpoint(partner_a.partner, "http://127.0.0.1:9/other")
    partner_endpoint(partner_b.partner, "http://127.0.0.1:9/theirs")
    for owner in (partner_a.partner, partner_b.partner):
        application = partner_application(owner)
        application_submit(application=application, actor=Actor.for_user(application.applicant))
    owed = WebhookDelivery.objects.filter(endpoint=endpoint)
    assert owed.exists()

    log = api.get(f"/webhook_endpoints/{endpoint.public_id}/deliveries").json()["results"]
    assert {d["id"] for d in log} == set(owed.values_list("public_id", flat=True))
    assert all(d["endpoint"] == endpoint.public_id and d["status"] == "pending" and d["attempts"] == [] for d in log)
    assert "application.submitted" in {d["event_type"] for d in log}
    assert not {d["id"] for d in log} & set(other.deliveries.values_list("public_id", flat=True))

    api.post(f"/webhook_endpoints/{endpoint.public_id}/ping")  # refused at once: nothing listens there
    failed = api.get(f"/webhook_endpoints/{endpoint.public_id}/deliveries", {"status": "failed"}).json()["results"]
    assert [d["event_type"] for d in failed] == ["ping"]
    assert failed[0]["attempts"][0]["status_code"] is None and failed[0]["attempts"][0]["error"]

    bad = api.get(f"/webhook_endpoints/{endpoint.public_id}/deliveries", {"status": "lost"})
    assert bad.status_code == 400 and "status" in errors_by_attr(bad)
