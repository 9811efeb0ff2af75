"""Rolling an endpoint's signing secret: the new secret is returned once and kept encrypted; until the
previous one expires every delivery carries both signatures (new first), which the partner's documented
``verify`` accepts with either secret; after the expiry only the new one signs. The admin's action shows
the new secret on one page, to those who may change endpoints."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from onboarding.errors import PermissionDenied, ValidationFailed
from onboarding.models import Event, WebhookDelivery, WebhookEndpoint
from onboarding.services.actors import Actor
from onboarding.services.applications import application_submit
from onboarding.services.partners import partner_create
from onboarding.services.webhook_deliveries import webhook_delivery_attempt
from onboarding.services.webhook_endpoints import (
    webhook_endpoint_delete,
    webhook_endpoint_ping,
    webhook_endpoint_roll_secret,
)
from onboarding.webhooks_out.signature import HEADER, signature
from tests.factories import officer
from tests.onboarding.webhooks_out.conftest import SYSTEM, endpoint_for, partner_application
from tests.onboarding.webhooks_out.test_signature import docs_verify
from tests.staff import staff_login

pytestmark = pytest.mark.django_db
CHANGELIST = "/admin/onboarding/webhookendpoint/"


def signatures_of(header: str) -> tuple[int, list[str]]:
    items = [item.split("=", 1) for item in header.split(",")]
    return int(dict(items)["t"]), [value for key, value in items if key == "v1"]


def ping_header(endpoint, receiver) -> tuple[str, bytes]:
    webhook_endpoint_ping(endpoint=endpoint, actor=SYSTEM)
    sent = receiver.received[-1]
    return sent.headers[HEADER], sent.body


def stored_column(endpoint, column: str) -> str | None:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM onboarding_webhookendpoint WHERE id = %s", [endpoint.pk])  # noqa: S608
        return cursor.fetchone()[0]


def test_a_roll_returns_a_new_secret_and_keeps_both_encrypted(partner):
    endpoint, old = endpoint_for(partner, "https://hooks.example/a")
    rolled, new = webhook_endpoint_roll_secret(endpoint=endpoint, actor=Actor.for_partner(partner))
    assert new.startswith("whsec_") and new != old
    assert rolled.secret == new and rolled.previous_secret == old
    expected = timezone.now() + timedelta(hours=24)
    assert abs((rolled.previous_secret_expires_at - expected).total_seconds()) < 60
    for column, value in (("secret", new), ("previous_secret", old)):
        assert value not in stored_column(endpoint, column)
    event = Event.objects.get(action="webhook_endpoint_secret_rolled", subject_id=endpoint.public_id)
    assert old not in str(event.details) and new not in str(event.details)


def test_while_both_are_valid_a_delivery_carries_both_signatures_new_first(partner, receiver):
    endpoint, old = endpoint_for(partner, receiver.url)
    _, new = webhook_endpoint_roll_secret(endpoint=endpoint, actor=SYSTEM, expires_in_hours=2)
    application = partner_application(partner)
    application_submit(application=application, actor=Actor.for_user(application.applicant))
    delivery = WebhookDelivery.objects.get(endpoint=endpoint, event__type="application.submitted")
    assert webhook_delivery_attempt(public_id=delivery.public_id) == "succeeded"

    sent = receiver.received[-1]
    timestamp, values = signatures_of(sent.headers[HEADER])
    assert re.fullmatch(r"t=\d+,v1=[0-9a-f]{64},v1=[0-9a-f]{64}", sent.headers[HEADER])
    assert values == [signature(new, timestamp, sent.body), signature(old, timestamp, sent.body)]
    verify = docs_verify()
    assert verify(old, sent.headers[HEADER], sent.body) and verify(new, sent.headers[HEADER], sent.body)


def test_after_the_expiry_only_the_new_secret_signs(partner, receiver):
    endpoint, old = endpoint_for(partner, receiver.url)
    rolled, new = webhook_endpoint_roll_secret(endpoint=endpoint, actor=SYSTEM, expires_in_hours=1)
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
        previous_secret_expires_at=timezone.now() - timedelta(seconds=1)
    )
    endpoint.refresh_from_db()
    header, body = ping_header(endpoint, receiver)
    assert len(signatures_of(header)[1]) == 1
    verify = docs_verify()
    assert verify(new, header, body) and not verify(old, header, body)


def test_a_roll_with_no_overlap_stops_the_old_secret_at_once(partner, receiver):
    endpoint, old = endpoint_for(partner, receiver.url)
    rolled, new = webhook_endpoint_roll_secret(endpoint=endpoint, actor=SYSTEM, expires_in_hours=0)
    assert rolled.previous_secret is None and rolled.previous_secret_expires_at is None
    header, body = ping_header(rolled, receiver)
    verify = docs_verify()
    assert verify(new, header, body) and not verify(old, header, body)


def test_rolling_again_stops_the_secret_from_the_earlier_roll(partner, receiver):
    endpoint, first = endpoint_for(partner, receiver.url)
    _, second = webhook_endpoint_roll_secret(endpoint=endpoint, actor=SYSTEM, expires_in_hours=48)
    rolled, third = webhook_endpoint_roll_secret(endpoint=endpoint, actor=SYSTEM, expires_in_hours=1)
    assert rolled.signing_secrets() == [third, second]
    header, body = ping_header(rolled, receiver)
    timestamp, values = signatures_of(header)
    assert values == [signature(third, timestamp, body), signature(second, timestamp, body)]
    assert not docs_verify()(first, header, body)


@pytest.mark.parametrize("hours", [-1, 169, 1.5, "24", None, True])
def test_the_overlap_is_a_whole_number_of_hours_up_to_a_week(partner, hours):
    endpoint, secret = endpoint_for(partner, "https://hooks.example/a")
    with pytest.raises(ValidationFailed) as refused:
        webhook_endpoint_roll_secret(endpoint=endpoint, actor=SYSTEM, expires_in_hours=hours)
    assert list(refused.value.fields) == ["expires_in_hours"]
    endpoint.refresh_from_db()
    assert endpoint.secret == secret and endpoint.previous_secret is None


def test_a_week_is_the_longest_overlap(partner):
    endpoint, _ = endpoint_for(partner, "https://hooks.example/a")
    rolled, _ = webhook_endpoint_roll_secret(endpoint=endpoint, actor=SYSTEM, expires_in_hours=168)
    assert rolled.previous_secret_expires_at - timezone.now() > timedelta(days=7) - timedelta(minutes=1)


def test_only_the_partner_itself_or_staff_with_the_permission_roll_a_secret(partner):
    endpoint, secret = endpoint_for(partner, "https://hooks.example/a")
    other = partner_create(actor=SYSTEM, name="Other ISO", kind="iso")
    with pytest.raises(PermissionDenied):
        webhook_endpoint_roll_secret(endpoint=endpoint, actor=Actor.for_partner(other))
    with pytest.raises(PermissionDenied):
        webhook_endpoint_roll_secret(endpoint=endpoint, actor=Actor.for_user(officer()))
    endpoint.refresh_from_db()
    assert endpoint.secret == secret


def test_a_deleted_endpoint_cannot_be_rolled(partner):
    endpoint, _ = endpoint_for(partner, "https://hooks.example/a")
    webhook_endpoint_delete(endpoint=endpoint, actor=SYSTEM)
    with pytest.raises(ValidationFailed):
        webhook_endpoint_roll_secret(endpoint=endpoint, actor=SYSTEM)


# --------------------------------------------------------------------------- the admin's action


def roll(client, endpoint_ids, **fields):
    return client.post(CHANGELIST, {"action": "roll_secret", "_selected_action": endpoint_ids, **fields})


def test_the_admin_rolls_a_secret_and_shows_the_new_one_once(administrator, partner):
    endpoint, old = endpoint_for(partner, "https://hooks.example/a")
    form = roll(administrator, [endpoint.pk])
    assert form.status_code == 200 and 'name="expires_in_hours"' in form.content.decode()
    endpoint.refresh_from_db()
    assert endpoint.secret == old  # asking is not rolling

    response = roll(administrator, [endpoint.pk], expires_in_hours="6")
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    endpoint.refresh_from_db()
    shown = re.search(r"whsec_[A-Za-z0-9_-]+", response.content.decode()).group(0)
    assert shown == endpoint.secret != old and endpoint.previous_secret == old
    assert "signed with both secrets" in response.content.decode()
    for page in (CHANGELIST, f"{CHANGELIST}{endpoint.pk}/change/"):
        text = administrator.get(page).content.decode()
        assert endpoint.secret not in text and old not in text


def test_the_admin_form_refuses_an_overlap_longer_than_a_week(administrator, partner):
    endpoint, old = endpoint_for(partner, "https://hooks.example/a")
    response = roll(administrator, [endpoint.pk], expires_in_hours="200")
    assert response.status_code == 200 and "whsec_" not in response.content.decode()
    assert "less than or equal to 168" in response.content.decode()
    endpoint.refresh_from_db()
    assert endpoint.secret == old


def test_the_admin_rolls_one_endpoint_at_a_time(administrator, partner):
    first, first_secret = endpoint_for(partner, "https://hooks.example/a")
    second, _ = endpoint_for(partner, "https://hooks.example/b")
    response = roll(administrator, [first.pk, second.pk], expires_in_hours="6")
    assert "Choose exactly one endpoint" in administrator.get(CHANGELIST).content.decode()
    assert "whsec_" not in response.content.decode()
    first.refresh_from_db()
    assert first.secret == first_secret


def test_staff_who_may_not_change_endpoints_cannot_roll(client, partner):
    endpoint, secret = endpoint_for(partner, "https://hooks.example/a")
    staff_login(client, officer())
    response = roll(client, [endpoint.pk], expires_in_hours="6")
    assert response.status_code == 403
    endpoint.refresh_from_db()
    assert endpoint.secret == secret
