"""The business, owners and bank steps: saved through the draft service, every error next to its field,
nothing typed lost, and personal data never echoed back once saved."""

import pytest
from django.urls import reverse

from onboarding.models import Application, Party
from tests.factories import UserFactory, draft_application

pytestmark = pytest.mark.django_db


@pytest.fixture
def merchant(client):
    user = UserFactory()
    client.force_login(user)
    return user


@pytest.fixture
def application(merchant):
    return draft_application(user=merchant)


def url(application, step):
    return reverse("application-step", args=[application.public_id, step])


def business_data(**overrides):
    data = {"tax_id_type": "ein", "tax_id": "", "formation_state": "NY", "formation_date": "2018-09-03",
            "website": "https://pearlrivernoodles.example", "phone": "(212) 555-0199",
            "product_description": "Hand-pulled noodles.\nDine-in and takeaway.", "monthly_volume": "$32,000",
            "average_ticket": "24.50", "address_line1": "41 Mott Street", "address_line2": "",
            "address_city": "New York", "address_postal_code": "10013"}  # fmt: skip
    data.update(overrides)
    return data


def test_business_details_are_saved_in_cents_and_e164_and_the_tax_id_is_never_shown_again(client, application):
    page = client.get(url(application, "business")).content.decode()
    assert "462811507" not in page and "46-2811507" not in page and "•••• 1507" in page
    response = client.post(url(application, "business"), business_data())
    assert response.status_code == 302 and response["Location"] == url(application, "owners")
    application.refresh_from_db()
    assert application.monthly_volume_cents == 3_200_000 and application.average_ticket_cents == 2_450
    assert application.phone == "+12125550199" and application.tax_id == "462811507"  # kept: the field was empty
    assert application.product_description == "Hand-pulled noodles.\nDine-in and takeaway."


def test_a_business_error_is_next_to_its_field_and_keeps_what_was_typed(client, application):
    response = client.post(url(application, "business"), business_data(tax_id="12-3", phone="not a phone",
                                                                        website="https://new.example"))  # fmt: skip
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="id_tax_id_error"' in body and 'id="id_phone_error"' in body
    assert 'value="https://new.example"' in body and 'value="12-3"' in body  # typed, not yet saved: shown again
    assert 'aria-invalid="true"' in body and "Please correct the 2 errors below." in body
    assert Application.objects.get(pk=application.pk).website == "https://pearlrivernoodles.example"


def test_an_amount_that_is_not_dollars_is_refused_on_its_field(client, application):
    response = client.post(url(application, "business"), business_data(monthly_volume="lots"))
    assert response.status_code == 400 and 'id="id_monthly_volume_error"' in response.content.decode()


def people_data(application, changes=None):
    """The owners step's POST for the application's people as saved, with changes per form index."""
    data = {"parties-TOTAL_FORMS": "0", "parties-INITIAL_FORMS": "0"}
    parties = list(application.parties.all())
    for index, party in enumerate(parties):
        prefix = f"parties-{index}-"
        values = {"public_id": party.public_id, "kind": party.kind, "first_name": party.first_name,
                  "last_name": party.last_name, "ownership_percent": str(party.ownership_percent),
                  "title": party.title, "email": party.email, "phone": party.phone, "nationalities": "US",
                  "citizenships": "US", "id_number_type": "ssn",
                  "address_line1": party.address_line1, "address_city": party.address_city,
                  "address_state": party.address_state, "address_postal_code": party.address_postal_code,
                  "address_country": "US"}  # fmt: skip
        if party.is_control_person:
            values["is_control_person"] = "on"
        values.update((changes or {}).get(index, {}))
        data.update({prefix + key: value for key, value in values.items()})
    data["parties-TOTAL_FORMS"] = data["parties-INITIAL_FORMS"] = str(len(parties))
    return data


def test_saved_dates_of_birth_and_ssns_are_never_sent_back_and_stay_when_left_empty(client, application):
    page = client.get(url(application, "owners")).content.decode()
    for secret in ("1980-05-17", "212-54-3321", "212543321", "1975-11-30"):
        assert secret not in page
    assert "•••• 3321" in page
    response = client.post(url(application, "owners"), people_data(application))
    assert response.status_code == 302
    first = Party.objects.get(application=application, first_name="Wen")
    assert first.id_number == "212543321" and first.date_of_birth.isoformat() == "1980-05-17"


def test_an_error_on_the_second_person_is_shown_on_the_second_person(client, application):
    data = people_data(application, {1: {"date_of_birth": "2999-01-01", "last_name": "Delgado-Ruiz"}})
    response = client.post(url(application, "owners"), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="id_parties-1-date_of_birth_error"' in body and "in the past" in body
    assert 'value="Delgado-Ruiz"' in body
    assert Party.objects.filter(application=application, last_name="Delgado").exists()


def test_a_person_is_added_without_losing_anything_and_removed_on_save(client, application):
    data = people_data(application, {0: {"title": "Owner and chef"}})
    data["add_person"] = "1"
    response = client.post(url(application, "owners"), data)
    body = response.content.decode()
    assert response.status_code == 200 and 'name="parties-2-first_name"' in body and 'value="Owner and chef"' in body
    data = people_data(application, {1: {"DELETE": "on"}, 0: {"ownership_percent": "100"}})
    response = client.post(url(application, "owners"), data)
    assert response.status_code == 302
    assert list(application.parties.values_list("last_name", flat=True)) == ["Zhao"]


def test_a_phone_is_saved_in_e164_and_a_bad_one_is_refused_on_its_field(client, application):
    response = client.post(url(application, "owners"), people_data(application, {0: {"phone": "(212) 555-0199"}}))
    assert response.status_code == 302
    assert Party.objects.get(application=application, first_name="Wen").phone == "+12125550199"
    response = client.post(url(application, "owners"), people_data(application, {0: {"phone": "555"}}))
    assert response.status_code == 400 and 'id="id_parties-0-phone_error"' in response.content.decode()
    assert Party.objects.get(application=application, first_name="Wen").phone == "+12125550199"


def test_the_control_persons_phone_and_the_owners_emails_are_due_until_given(client, application):
    data = people_data(application, {0: {"phone": ""}, 1: {"email": ""}})
    assert client.post(url(application, "owners"), data).status_code == 302
    body = client.get(url(application, "review")).content.decode()
    assert "Wen Zhao: Phone" in body and "Rosa Delgado: Email" in body
    assert "Wen Zhao: Email" not in body


def test_two_control_people_are_refused_for_the_whole_list(client, application):
    data = people_data(application, {1: {"is_control_person": "on", "title": "Partner"}})
    response = client.post(url(application, "owners"), data)
    assert response.status_code == 400 and "exactly one control person" in response.content.decode()


def bank_data(**overrides):
    data = {"holder_name": "Pearl River Noodle Bar LLC", "routing_number": "021000021", "account_number": "",
            "account_number_again": "", "account_type": "checking"}  # fmt: skip
    data.update(overrides)
    return data


def test_the_account_number_is_typed_twice_and_never_shown_again(client, application):
    page = client.get(url(application, "bank")).content.decode()
    assert "482910337765" not in page and "•••• 7765" in page and 'data-aba="check"' in page
    response = client.post(
        url(application, "bank"), bank_data(account_number="123456789", account_number_again="12345")
    )
    assert response.status_code == 400 and 'id="id_account_number_again_error"' in response.content.decode()
    response = client.post(url(application, "bank"), bank_data(account_number="123456789",
                                                               account_number_again="123456789"))  # fmt: skip
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.bank_account.account_number == "123456789"


def test_a_bad_routing_number_is_the_services_error_on_its_field(client, application):
    response = client.post(url(application, "bank"), bank_data(routing_number="021000022"))
    assert response.status_code == 400
    assert 'id="id_routing_number_error"' in response.content.decode()


def test_finish_later_saves_and_goes_to_the_status_page(client, application):
    data = bank_data(holder_name="Pearl River Noodles")
    data["finish_later"] = "1"
    response = client.post(url(application, "bank"), data)
    assert response["Location"] == reverse("application-detail", args=[application.public_id])
    application.refresh_from_db()
    assert application.bank_account.holder_name == "Pearl River Noodles"


def test_after_submission_changing_the_settlement_account_needs_a_recent_sign_in(client, application):
    from django.utils import timezone

    Application.objects.filter(pk=application.pk).update(state="info_requested", submitted_at=timezone.now())
    response = client.post(url(application, "bank"), bank_data(account_number="123456789",
                                                               account_number_again="123456789"))  # fmt: skip
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_reauthenticate"))
    application.refresh_from_db()
    assert application.bank_account.account_number == "482910337765"  # nothing changed yet
