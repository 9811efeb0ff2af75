"""Endpoint services (the API and the admin call these): the secret is returned once and kept encrypted,
input is refused field by field, a partner acts only on its own endpoints; and catching up on events."""

from datetime import timedelta

import pytest
from django.db import connection

from onboarding.errors import PermissionDenied, ValidationFailed
from onboarding.models import WebhookEndpoint, WebhookEvent
from onboarding.services.actors import Actor
from onboarding.services.applications import application_submit
from onboarding.services.partner_events import partner_events_since
from onboarding.services.partners import partner_create
from onboarding.services.webhook_endpoints import (
    webhook_endpoint_create,
    webhook_endpoint_delete,
    webhook_endpoint_update,
    webhook_endpoints_for_partner,
)
from tests.factories import UserFactory
from tests.onboarding.webhooks_out.conftest import SYSTEM, endpoint_for, partner_application

pytestmark = pytest.mark.django_db


def test_the_secret_is_returned_once_and_kept_only_encrypted(partner):
    endpoint, secret = webhook_endpoint_create(
        partner=partner, actor=Actor.for_partner(partner), url="https://hooks.example/a",
        event_types=["application.approved"], livemode=True,
    )  # fmt: skip
    assert secret.startswith("whsec_") and len(secret) > 40
    with connection.cursor() as cursor:
        cursor.execute("SELECT secret FROM onboarding_webhookendpoint WHERE id = %s", [endpoint.pk])
        stored = cursor.fetchone()[0]
    assert secret not in stored
    assert WebhookEndpoint.objects.get(pk=endpoint.pk).secret == secret  # decrypted for signing
    assert endpoint.enabled and endpoint.event_types == ["application.approved"]


@pytest.mark.parametrize(
    ("url", "types", "livemode", "field"),
    [
        ("ftp://hooks.example/a", ["*"], False, "url"),
        ("javascript:alert(1)", ["*"], False, "url"),
        ("http://hooks.example/a", ["*"], True, "url"),  # live endpoints use https
        ("https://user:pw@hooks.example/a", ["*"], False, "url"),
        ("", ["*"], False, "url"),
        ("https://hooks.example/a", [], False, "event_types"),
        ("https://hooks.example/a", ["application.approved", "application.eaten"], False, "event_types[1]"),
        ("https://hooks.example/a", ["ping"], False, "event_types[0]"),
    ],
)
def test_bad_input_is_refused_field_by_field_and_nothing_is_written(partner, url, types, livemode, field):
    with pytest.raises(ValidationFailed) as refused:
        webhook_endpoint_create(partner=partner, actor=SYSTEM, url=url, event_types=types, livemode=livemode)
    assert list(refused.value.fields) == [field]
    assert not WebhookEndpoint.objects.exists()


def test_a_partner_manages_only_its_own_endpoints(partner):
    endpoint, _ = endpoint_for(partner, "https://hooks.example/a")
    other = partner_create(actor=SYSTEM, name="Other ISO", kind="iso")
    for action in (
        lambda actor: webhook_endpoint_update(endpoint=endpoint, actor=actor, enabled=False),
        lambda actor: webhook_endpoint_delete(endpoint=endpoint, actor=actor),
    ):
        with pytest.raises(PermissionDenied):
            action(Actor.for_partner(other))
        with pytest.raises(PermissionDenied):
            action(Actor.for_user(UserFactory()))  # a merchant, or staff without the permission
    endpoint.refresh_from_db()
    assert endpoint.enabled and endpoint.deleted_at is None


def test_update_and_delete(partner):
    endpoint, _ = endpoint_for(partner, "https://hooks.example/a")
    actor = Actor.for_partner(partner)
    webhook_endpoint_update(endpoint=endpoint, actor=actor, url="https://hooks.example/b",
                            event_types=["*", "application.boarded"], enabled=False)  # fmt: skip
    endpoint.refresh_from_db()
    assert (endpoint.url, endpoint.event_types, endpoint.enabled) == ("https://hooks.example/b", ["*"], False)
    assert list(webhook_endpoints_for_partner(partner=partner, livemode=False)) == [endpoint]
    webhook_endpoint_delete(endpoint=endpoint, actor=actor)
    assert not webhook_endpoints_for_partner(partner=partner).exists()
    with pytest.raises(ValidationFailed):
        webhook_endpoint_update(endpoint=endpoint, actor=actor, enabled=True)


def test_catching_up_reads_the_partners_own_events_of_its_mode_after_a_cursor(partner):
    for _ in range(3):
        application = partner_application(partner)
        application_submit(application=application, actor=Actor.for_user(application.applicant))
    live = partner_application(partner, livemode=True)
    application_submit(application=live, actor=Actor.for_user(live.applicant))
    other = partner_create(actor=SYSTEM, name="Other ISO", kind="iso")
    theirs = partner_application(other)
    application_submit(application=theirs, actor=Actor.for_user(theirs.applicant))

    page = partner_events_since(partner=partner, livemode=False, types_in=["application.submitted"], limit=2)
    assert len(page.events) == 2 and page.has_more
    rest = partner_events_since(partner=partner, livemode=False, cursor=page.events[-1].public_id,
                                types_in=["application.submitted"])  # fmt: skip
    assert len(rest.events) == 1 and not rest.has_more
    mine = {e.public_id for e in partner_events_since(partner=partner, livemode=False).events}
    assert all(e.partner == partner and not e.livemode for e in WebhookEvent.objects.filter(public_id__in=mine))
    assert live.public_id in {e.object_id for e in partner_events_since(partner=partner, livemode=True).events}
    # Another partner's cursor reads nothing of theirs: it is as if unknown.
    foreign = WebhookEvent.objects.filter(partner=other).first().public_id
    assert {e.partner_id for e in partner_events_since(partner=partner, livemode=False, cursor=foreign).events} == {
        partner.pk
    }


def test_catching_up_reaches_back_thirty_days(partner, settings):
    application = partner_application(partner)
    application_submit(application=application, actor=Actor.for_user(application.applicant))
    from django.utils import timezone

    old = WebhookEvent.objects.filter(type="application.submitted")
    old.update(created_at=timezone.now() - timedelta(days=31))
    listed = {e.type for e in partner_events_since(partner=partner, livemode=False).events}
    assert "application.submitted" not in listed
    old.update(created_at=timezone.now() - timedelta(days=29))
    since = timezone.now() - timedelta(days=30)
    assert "application.submitted" in {e.type for e in partner_events_since(partner=partner, livemode=False,
                                                                            since=since).events}  # fmt: skip


def test_a_partner_reads_the_refusals_in_its_language(partner):
    from django.utils import translation

    with translation.override("zh-hans"), pytest.raises(ValidationFailed) as refused:
        webhook_endpoint_create(partner=partner, actor=SYSTEM, url="http://hooks.example/a", event_types=["x"],
                                livemode=True)  # fmt: skip
    assert refused.value.fields == {
        "url": ["正式模式的接收地址必须使用 https://。"],
        "event_types[0]": ["未知的事件类型。"],
    }


def test_the_delivery_log_of_a_partner_holds_only_its_own_in_the_mode_asked(partner):
    from onboarding.services.webhook_deliveries import webhook_deliveries_for_partner

    mine, _ = endpoint_for(partner, "https://hooks.example/test")
    endpoint_for(partner, "https://hooks.example/live", livemode=True)
    other = partner_create(actor=SYSTEM, name="Other ISO", kind="iso")
    endpoint_for(other, "https://hooks.example/other")
    for owner, livemode in ((partner, False), (partner, True), (other, False)):
        application = partner_application(owner, livemode=livemode)
        application_submit(application=application, actor=Actor.for_user(application.applicant))
    log = webhook_deliveries_for_partner(partner=partner, livemode=False)
    assert log.exists() and {d.endpoint_id for d in log} == {mine.pk}
    assert not webhook_deliveries_for_partner(partner=partner, livemode=False, status="succeeded").exists()
