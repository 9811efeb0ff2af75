"""POST /api/v1/applications/{id}/onboarding_links: a single-use URL that opens the partner's application for
its merchant; refusals field by field; scoped to the key's partner and mode; replayed, never acted twice,
and its URL never kept in plain text nor logged."""

import hashlib
import json
import logging
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from onboarding.models import Event, IdempotencyKey, OnboardingLink, PartnerApiKey
from onboarding.services.actors import Actor
from onboarding.services.partners import partner_api_key_revoke
from tests.onboarding.api.conftest import PartnerApi, errors_by_attr, partner_draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(partner_a):
    return partner_draft(partner_a.partner, business={"legal_name": "Golden Gate Tea House LLC"})


def links_path(application) -> str:
    return f"/applications/{application.public_id}/onboarding_links"


def token_of(url: str) -> str:
    return urlsplit(url).path.rstrip("/").rsplit("/", 1)[1]


def test_a_link_is_made_for_the_applicant_and_opens_once(api, draft, settings):
    before = timezone.now()
    response = api.post(links_path(draft), {"email": "Mei@Example.com"})
    assert response.status_code == 201
    body = response.json()
    assert body["object"] == "onboarding_link" and body["id"].startswith("obl_")
    assert body["application"] == draft.public_id and body["email"] == "Mei@Example.com"
    assert body["url"].startswith(settings.PORTAL_BASE_URL + "/onboard/")
    expires = parse_datetime(body["expires_at"])
    minutes = timedelta(minutes=settings.ONBOARDING_LINK_MINUTES)
    assert before + minutes - timedelta(seconds=1) <= expires <= timezone.now() + minutes
    link = OnboardingLink.objects.get(public_id=body["id"])
    assert link.application_id == draft.pk and link.used_at is None
    assert link.token_hash == hashlib.sha256(token_of(body["url"]).encode()).hexdigest()
    event = Event.objects.get(application=draft, action="onboarding_link_created")
    assert event.actor_type == Event.ActorType.PARTNER and event.actor_partner_id == draft.partner_id

    browser = Client()
    opened = browser.get(urlsplit(body["url"]).path)
    assert opened.status_code == 302 and token_of(body["url"]) not in opened["Location"]
    assert Client().get(urlsplit(body["url"]).path)["Location"].startswith("/onboard/expired")


def test_the_link_lasts_the_minutes_asked(api, draft):
    body = api.post(links_path(draft), {"email": "mei@example.com", "expires_in_minutes": 90}).json()
    lifetime = parse_datetime(body["expires_at"]) - parse_datetime(body["created"])
    assert timedelta(minutes=89) < lifetime <= timedelta(minutes=90)


def test_each_call_makes_a_new_link_and_earlier_ones_stay(api, draft):
    first = api.post(links_path(draft), {"email": "mei@example.com"}).json()
    second = api.post(links_path(draft), {"email": "mei@example.com"}).json()
    assert first["url"] != second["url"]
    assert OnboardingLink.objects.filter(application=draft, used_at__isnull=True).count() == 2


@pytest.mark.parametrize(
    ("body", "attr"),
    [
        ({}, "email"),
        ({"email": ""}, "email"),
        ({"email": "not an address"}, "email"),
        ({"email": 42}, "email"),
        ({"email": "a" * 140 + "@example.com"}, "email"),  # longer than an account's address may be
        ({"email": "mei@example.com", "expires_in_minutes": 0}, "expires_in_minutes"),
        ({"email": "mei@example.com", "expires_in_minutes": 1441}, "expires_in_minutes"),
        ({"email": "mei@example.com", "expires_in_minutes": "30"}, "expires_in_minutes"),
        ({"email": "mei@example.com", "expires_in_minutes": True}, "expires_in_minutes"),
        ({"email": "mei@example.com", "minutes": 30}, "minutes"),
    ],
)
def test_refusals_come_back_field_by_field_and_nothing_is_written(api, draft, body, attr):
    response = api.post(links_path(draft), body)
    assert response.status_code == 400
    assert response.json()["type"] == "validation_error"
    errors = errors_by_attr(response)
    assert attr in errors and errors[attr]["detail"]
    assert set(errors) <= {None, attr}
    assert not OnboardingLink.objects.exists()


def test_a_body_that_is_not_an_object_is_refused(api, draft):
    response = api.post(links_path(draft), ["mei@example.com"])
    assert response.status_code == 400 and not OnboardingLink.objects.exists()


def test_both_fields_wrong_are_both_named(api, draft):
    response = api.post(links_path(draft), {"email": "nope", "expires_in_minutes": -5})
    assert {"email", "expires_in_minutes"} <= set(errors_by_attr(response))


def test_an_application_the_merchant_can_no_longer_change_gets_no_link(api, draft):
    assert api.post(f"/applications/{draft.public_id}/withdraw", {}).status_code == 200
    response = api.post(links_path(draft), {"email": "mei@example.com"})
    assert response.status_code == 409
    assert response.json()["errors"][0]["code"] == "invalid_transition"
    assert not OnboardingLink.objects.exists()


def test_another_partners_application_or_the_other_modes_is_not_found(api, api_live, api_b, partner_a, draft):
    live = partner_draft(partner_a.partner, livemode=True)
    for client, application in ((api_b, draft), (api_live, draft), (api, live)):
        response = client.post(links_path(application), {"email": "mei@example.com"})
        assert response.status_code == 404 and response.json()["errors"][0]["code"] == "not_found"
    assert api.post("/applications/app_nope/onboarding_links", {"email": "mei@example.com"}).status_code == 404
    assert not OnboardingLink.objects.exists()


def test_no_key_or_a_revoked_key_is_401(partner_a, draft):
    assert PartnerApi(None).post(links_path(draft), {"email": "mei@example.com"}).status_code == 401
    key = PartnerApiKey.objects.get(partner=partner_a.partner, mode="test")
    partner_api_key_revoke(key=key, actor=Actor.system("tests"))
    response = PartnerApi(partner_a.test).post(links_path(draft), {"email": "mei@example.com"})
    assert response.status_code == 401 and response.json()["errors"][0]["code"] == "invalid_api_key"
    assert not OnboardingLink.objects.exists()


def test_a_retry_with_the_same_key_replays_the_link_and_makes_no_other(api, draft):
    first = api.post(links_path(draft), {"email": "mei@example.com"}, key="link-1")
    again = api.post(links_path(draft), {"email": "mei@example.com"}, key="link-1")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert OnboardingLink.objects.count() == 1
    other = api.post(links_path(draft), {"email": "wen@example.com"}, key="link-1")
    assert other.status_code == 400 and other.json()["errors"][0]["code"] == "idempotency_key_reused"


def test_the_stored_answer_keeps_the_url_only_encrypted(api, draft):
    url = api.post(links_path(draft), {"email": "mei@example.com"}, key="link-2").json()["url"]
    stored = IdempotencyKey.objects.get(key="link-2")
    assert token_of(url) not in json.dumps(stored.response_body) + json.dumps(stored.response_headers)
    assert stored.response_body["url"] != url


def test_no_log_line_holds_the_url(api, draft, caplog):
    with caplog.at_level(logging.DEBUG):
        url = api.post(links_path(draft), {"email": "mei@example.com"}).json()["url"]
        api.post(links_path(draft), {"email": "not an address"})
    assert token_of(url) not in caplog.text
    assert "mei@example.com" not in caplog.text
