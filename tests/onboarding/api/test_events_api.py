"""GET /api/v1/events: the catch-up of the last thirty days, oldest first, as the webhooks carry the events;
pages by the last event's id; filters by type and time; a partner's own events of its key's mode only."""

from datetime import timedelta

import pytest
from django.utils import timezone

from onboarding.models import PartnerApiKey, WebhookEvent
from onboarding.services.actors import Actor
from onboarding.services.applications import application_submit
from onboarding.services.partners import partner_api_key_revoke
from onboarding.services.webhook_endpoints import webhook_endpoint_ping
from onboarding.webhooks_out.wire import event_object
from tests.onboarding.api.conftest import PartnerApi, errors_by_attr, partner_endpoint
from tests.onboarding.webhooks_out.conftest import partner_application

pytestmark = pytest.mark.django_db
SUBMITTED = "application.submitted"


def submitted(partner, *, livemode: bool = False):
    application = partner_application(partner, livemode=livemode)
    application_submit(application=application, actor=Actor.for_user(application.applicant))
    return application


def follow(api: PartnerApi, url: str):
    return api.client.get(url, headers={"Authorization": f"Bearer {api.secret}"})


def test_events_are_listed_oldest_first_as_the_webhooks_send_them(api, partner_a):
    applications = [submitted(partner_a.partner) for _ in range(2)]
    response = api.get("/events", {"type": SUBMITTED})
    assert response.status_code == 200
    body = response.json()
    assert body["next"] is None and body["has_more"] is False
    assert [e["data"]["object"]["id"] for e in body["results"]] == [a.public_id for a in applications]
    stored = {e.public_id: e for e in WebhookEvent.objects.filter(type=SUBMITTED)}
    for event in body["results"]:
        assert event == event_object(stored[event["id"]])
        assert event["object"] == "event" and event["livemode"] is False and event["created"].endswith("Z")


def test_pages_follow_each_other_until_next_is_null(api, partner_a):
    for _ in range(3):
        submitted(partner_a.partner)
    everything = [e["id"] for e in api.get("/events", {"type": SUBMITTED}).json()["results"]]
    assert len(everything) == 3
    first = api.get("/events", {"type": SUBMITTED, "limit": 2}).json()
    assert [e["id"] for e in first["results"]] == everything[:2] and first["has_more"] is True
    assert "starting_after=" + everything[1] in first["next"] and "type=application.submitted" in first["next"]
    second = follow(api, first["next"]).json()
    assert [e["id"] for e in second["results"]] == everything[2:]
    assert second["next"] is None and second["has_more"] is False
    later = api.get("/events", {"type": SUBMITTED, "starting_after": everything[2]}).json()
    assert later["results"] == [] and later["next"] is None


def test_a_partner_reads_only_its_own_events_of_its_keys_mode(api, api_live, api_b, partner_a, partner_b):
    test_app = submitted(partner_a.partner)
    live_app = submitted(partner_a.partner, livemode=True)
    theirs = submitted(partner_b.partner)

    def objects(client) -> set[str]:
        return {e["data"]["object"]["id"] for e in client.get("/events", {"limit": 100}).json()["results"]}

    assert objects(api) == {test_app.public_id}
    assert objects(api_live) == {live_app.public_id}
    assert objects(api_b) == {theirs.public_id}
    assert all(e["livemode"] for e in api_live.get("/events").json()["results"])
    # Another partner's event id is no place in this partner's events: the page starts at the window.
    foreign = WebhookEvent.objects.filter(partner=partner_b.partner).first().public_id
    listed = api.get("/events", {"starting_after": foreign}).json()["results"]
    assert {e["data"]["object"]["id"] for e in listed} == {test_app.public_id}


def test_pings_are_not_listed(api, partner_a):
    endpoint, _secret = partner_endpoint(partner_a.partner, "http://127.0.0.1:9/hooks")
    webhook_endpoint_ping(endpoint=endpoint, actor=Actor.for_partner(partner_a.partner))
    assert WebhookEvent.objects.filter(type="ping").exists()
    assert api.get("/events").json()["results"] == []


def test_filters_by_type_and_time_and_keeps_to_thirty_days(api, partner_a):
    old, recent = submitted(partner_a.partner), submitted(partner_a.partner)
    WebhookEvent.objects.filter(application=old).update(created_at=timezone.now() - timedelta(days=31))
    WebhookEvent.objects.filter(application=recent).update(created_at=timezone.now() - timedelta(days=2))
    listed = api.get("/events", {"limit": 100}).json()["results"]
    assert {e["data"]["object"]["id"] for e in listed} == {recent.public_id}
    since = (timezone.now() - timedelta(days=1)).isoformat()
    assert api.get("/events", {"created_gte": since}).json()["results"] == []
    kinds = {e["type"] for e in listed}
    assert kinds >= {SUBMITTED}
    for kind in kinds:
        assert {e["type"] for e in api.get("/events", {"type": kind}).json()["results"]} == {kind}
    both = api.get("/events", {"type": sorted(kinds)}).json()["results"]
    assert len(both) == len(listed)


@pytest.mark.parametrize(
    ("params", "attr"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": 101}, "limit"),
        ({"limit": "many"}, "limit"),
        ({"type": "application.eaten"}, "type"),
        ({"type": "ping"}, "type"),
        ({"created_gte": "last week"}, "created_gte"),
        ({"starting_after": "evt_\x00"}, "starting_after"),
        ({"starting_after": "evt_" + "x" * 60}, "starting_after"),
    ],
)
def test_bad_parameters_are_named(api, params, attr):
    response = api.get("/events", params)
    assert response.status_code == 400 and response.json()["type"] == "validation_error"
    assert attr in errors_by_attr(response)


def test_no_key_or_a_revoked_key_is_401(partner_a):
    assert PartnerApi(None).get("/events").status_code == 401
    key = PartnerApiKey.objects.get(partner=partner_a.partner, mode="test")
    partner_api_key_revoke(key=key, actor=Actor.system("tests"))
    response = PartnerApi(partner_a.test).get("/events")
    assert response.status_code == 401 and response.json()["errors"][0]["code"] == "invalid_api_key"
