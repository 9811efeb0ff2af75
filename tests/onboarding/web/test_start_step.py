"""The first step: what you sell and where, and eligibility before effort."""

import pytest
from django.urls import reverse

from onboarding.models import Application
from tests.factories import UserFactory, draft_application

pytestmark = pytest.mark.django_db
NEW = "/applications/new/"


@pytest.fixture
def merchant(client):
    user = UserFactory()
    client.force_login(user)
    return user


def start_data(**overrides):
    data = {
        "legal_name": "Golden Gate Tea House LLC",
        "dba": "Golden Gate Tea House",
        "entity_type": "multi_member_llc",
        "mcc": "5812 — Eating Places and Restaurants",
        "address_state": "CA",
        "wallets": ["wechat_pay:in_store"],
    }
    data.update(overrides)
    return data


def test_anonymous_users_are_sent_to_log_in(client):
    response = client.get(NEW)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_first_step_starts_a_draft_and_goes_on_to_the_business_details(client, merchant):
    assert client.get(NEW).status_code == 200
    response = client.post(NEW, start_data())
    application = Application.objects.get(applicant=merchant)
    assert response.status_code == 302
    assert response["Location"] == reverse("application-step", args=[application.public_id, "business"])
    assert application.mcc == "5812" and application.address_state == "CA" and application.state == "draft"
    assert [(w.wallet, w.channel) for w in application.wallet_requests.all()] == [("wechat_pay", "in_store")]


def test_eligibility_is_told_before_anything_else_and_a_forbidden_category_is_named(client, merchant):
    panel = client.get(reverse("eligibility-panel"), {"mcc": "7995", "address_state": "CA",
                                                      "wallets": ["wechat_pay:in_store"]})  # fmt: skip
    body = panel.content.decode()
    assert "Not available" in body and "none of the wallets you chose can be offered" in body
    response = client.post(NEW, start_data(mcc="7995"))
    application = Application.objects.get(applicant=merchant)
    assert response["Location"].endswith(f"/applications/{application.public_id}/start/?blocked=1")
    page = client.get(response["Location"]).content.decode()
    assert "none of the wallets you chose can be offered" in page


def test_an_error_is_shown_next_to_its_field_and_nothing_typed_is_lost(client, merchant):
    application = draft_application(user=merchant)
    url = reverse("application-step", args=[application.public_id, "start"])
    response = client.post(url, start_data(mcc="12", legal_name="Typed Name LLC"))
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="id_mcc_error"' in body and "4 digits" in body
    assert 'value="Typed Name LLC"' in body  # what was typed is still there
    assert Application.objects.get(pk=application.pk).legal_name == "Pearl River Noodle Bar LLC"


def test_another_merchants_application_and_unknown_steps_are_not_found(client, merchant):
    other = draft_application()
    assert client.get(reverse("application-step", args=[other.public_id, "start"])).status_code == 404
    mine = draft_application(user=merchant)
    assert client.get(f"/applications/{mine.public_id}/nonsense/").status_code == 404
