"""The merchant's pages, /healthz and the demo data, through Django's test client."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from onboarding.demo import DEMO_PASSWORD, load_demo_data
from onboarding.models import Application, Merchant, Partner, PartnerApiKey
from tests.factories import UserFactory, draft_application

pytestmark = pytest.mark.django_db


def test_demo_data_loads_twice_without_duplicates():
    from django.contrib.auth import get_user_model

    load_demo_data()
    counts = [
        get_user_model().objects.count(),
        Application.objects.count(),
        Partner.objects.count(),
        PartnerApiKey.objects.count(),
        Merchant.objects.count(),
    ]
    call_command("load_demo_data", stdout=io.StringIO())
    assert [
        get_user_model().objects.count(),
        Application.objects.count(),
        Partner.objects.count(),
        PartnerApiKey.objects.count(),
        Merchant.objects.count(),
    ] == counts
    # Six users, the tea house's draft and the gift shop's application (in review: no list is loaded here).
    assert counts == [6, 2, 1, 1, 1]
    officer = get_user_model().objects.get(username="senior@example.com")
    assert officer.has_perm("onboarding.second_approve_application") and officer.is_staff


def test_the_demo_merchant_signs_in_and_sees_the_draft(client):
    load_demo_data()
    response = client.post(reverse("account_login"), {"login": "merchant@example.com", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    home = client.get(reverse("merchant-home"))
    assert b"Golden Gate Tea House" in home.content and b"Draft" in home.content
    draft = Application.objects.get(applicant__username="merchant@example.com")
    detail = client.get(reverse("application-detail", args=[draft.public_id]))
    body = detail.content.decode()
    assert "•••• 5283" in body and "94-3175283" not in body and "943175283" not in body
    assert "•••• 6789" in body and "000123456789" not in body


def test_pages_need_a_login_and_show_only_ones_own_applications(client):
    assert client.get(reverse("merchant-home")).status_code == 302
    application = draft_application()
    client.force_login(UserFactory())
    assert client.get(reverse("application-detail", args=[application.public_id])).status_code == 404
    assert application.public_id.encode() not in client.get(reverse("merchant-home")).content


def test_healthz_reports_database_and_broker(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["components"]["database"]["status"] == "ok"
    assert body["components"]["broker"]["status"] == "ok"


def test_healthz_is_not_200_when_the_broker_is_down(client):
    from tests.live import free_port, publishing_to

    with publishing_to(f"redis://127.0.0.1:{free_port()}/0"):  # nothing listens there
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["components"]["broker"]["status"] == "down"
    assert response.json()["components"]["database"]["status"] == "ok"


def test_the_merchants_history_reads_in_plain_words_without_repeats(client):
    from onboarding.kyc.pipeline import application_advance
    from onboarding.services.actors import Actor
    from onboarding.services.applications import application_submit

    application = draft_application()
    application_submit(application=application, actor=Actor.for_user(application.applicant))
    application_advance(public_id=application.public_id)
    client.force_login(application.applicant)
    body = client.get(reverse("application-detail", args=[application.public_id])).content.decode()
    for sentence in ("You started the application.", "You signed the merchant agreement.",
                     "We have received your application."):  # fmt: skip
        assert sentence in body
    history = body[body.index('class="timeline"') :]
    assert history.count("Your application is being reviewed.") == 1
    assert "sanction" not in history.split("</ol>")[0].lower() and "not_run" not in body
