"""The admin's endpoints and delivery log: the secret is on the page after creating an endpoint and on no
page after it; the delivery log shows each attempt's answer; a ping reports its answer."""

import re

import pytest

from onboarding.models import WebhookDelivery, WebhookEndpoint
from onboarding.services.actors import Actor
from onboarding.services.applications import application_submit
from onboarding.services.webhook_deliveries import webhook_delivery_attempt
from tests.onboarding.webhooks_out.conftest import endpoint_for, partner_application

pytestmark = pytest.mark.django_db


def test_the_secret_is_shown_once_on_creating_an_endpoint(administrator, partner):
    response = administrator.post(
        "/admin/onboarding/webhookendpoint/add/",
        {
            "partner": partner.pk,
            "livemode": "on",
            "url": "https://hooks.example/live",
            "event_types": ["application.approved", "application.declined"],
            "description": "ERP",
        },  # fmt: skip
    )
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    endpoint = WebhookEndpoint.objects.get()
    shown = re.search(r"whsec_[A-Za-z0-9_-]+", response.content.decode()).group(0)
    assert shown == endpoint.secret and endpoint.livemode
    assert endpoint.event_types == ["application.approved", "application.declined"]
    for page in ("/admin/onboarding/webhookendpoint/", f"/admin/onboarding/webhookendpoint/{endpoint.pk}/change/"):
        assert endpoint.secret not in administrator.get(page).content.decode()


def test_the_admin_form_refuses_what_the_service_refuses(administrator, partner):
    response = administrator.post(
        "/admin/onboarding/webhookendpoint/add/",
        {"partner": partner.pk, "livemode": "on", "url": "http://hooks.example/plain", "event_types": ["*"]},
    )
    assert response.status_code == 200
    assert "A live endpoint must use https://." in response.content.decode()
    assert not WebhookEndpoint.objects.exists()


def test_the_delivery_log_shows_each_attempt_and_a_ping_reports_its_answer(administrator, partner, receiver):
    endpoint, _ = endpoint_for(partner, receiver.url)
    receiver.script = [503]
    application = partner_application(partner)
    application_submit(application=application, actor=Actor.for_user(application.applicant))
    delivery = WebhookDelivery.objects.get(event__type="application.submitted")
    webhook_delivery_attempt(public_id=delivery.public_id)
    page = administrator.get(f"/admin/onboarding/webhookdelivery/{delivery.pk}/change/").content.decode()
    assert "503" in page and "answered HTTP 503" in page

    response = administrator.post(
        "/admin/onboarding/webhookendpoint/", {"action": "ping", "_selected_action": [endpoint.pk]}, follow=True
    )
    assert "ping answered 200" in response.content.decode()
