"""Personal data and documents: seen only with the permission, for a reason, and every access recorded."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from onboarding.errors import DomainError, PermissionDenied
from onboarding.models import Event
from onboarding.services.actors import Actor
from onboarding.services.reveal import personal_data_reveal
from tests.factories import PDF, draft_application
from tests.staff import staff_login

pytestmark = pytest.mark.django_db


@pytest.fixture
def application(db):
    return draft_application()


def reveal_url(kind, ref, field):
    return reverse("officer:reveal", args=[kind, ref, field])


def test_a_senior_officer_sees_one_value_for_a_reason_and_the_access_is_recorded(client, application, senior):
    party = application.parties.get(first_name="Wen")
    staff_login(client, senior)
    url = reveal_url("party", party.public_id, "id_number")
    form = client.get(url)
    assert form.status_code == 200 and "212-54-3321" not in form.content.decode()
    assert "no-store" in form["Cache-Control"]
    response = client.post(url, {"reason": "Matching the SSN against the IRS letter."})
    html = response.content.decode()
    assert "212-54-3321" in html and 'data-reveal-seconds="30"' in html and "/static/js/reveal." in html
    assert "no-store" in response["Cache-Control"]
    event = Event.objects.get(action="personal_data_revealed")
    assert event.actor_user == senior and event.visibility == "internal"
    assert event.subject_id == party.public_id and event.application == application
    assert event.details == {"field": "party.id_number", "of": party.public_id,
                             "reason": "Matching the SSN against the IRS letter."}  # fmt: skip
    assert "212-54-3321" not in str(event.details)


@pytest.mark.parametrize(
    ("kind", "field", "value"),
    [
        ("application", "tax_id", "46-2811507"),
        ("party", "date_of_birth", "1980-05-17"),
        ("bankaccount", "account_number", "482910337765"),
    ],  # fmt: skip
)
def test_each_revealable_field(client, application, senior, kind, field, value):
    ref = application.parties.get(first_name="Wen").public_id if kind == "party" else application.public_id
    staff_login(client, senior)
    response = client.post(reveal_url(kind, ref, field), {"reason": "Verifying the record."})
    assert value in response.content.decode()
    assert Event.objects.get(action="personal_data_revealed").details["field"].endswith(field)


def test_a_reveal_needs_a_reason(client, application, senior):
    staff_login(client, senior)
    response = client.post(reveal_url("application", application.public_id, "tax_id"), {"reason": " "})
    assert "46-2811507" not in response.content.decode()
    with pytest.raises(DomainError):
        personal_data_reveal(actor=Actor.for_user(senior), obj=application, field="tax_id", reason="")
    assert not Event.objects.filter(action="personal_data_revealed").exists()


def test_only_listed_fields_are_revealed(client, application, senior):
    staff_login(client, senior)
    assert client.get(reveal_url("application", application.public_id, "legal_name")).status_code == 404
    assert client.get(reveal_url("merchant", application.public_id, "tax_id")).status_code == 404


@pytest.mark.parametrize("role", ["support", "compliance_officer"])
def test_support_and_officers_without_the_permission_are_refused(client, application, role, request):
    user = request.getfixturevalue(role)
    staff_login(client, user)
    response = client.post(reveal_url("application", application.public_id, "tax_id"), {"reason": "curious"})
    assert response.status_code == 403 and "46-2811507" not in response.content.decode()
    with pytest.raises(PermissionDenied):
        personal_data_reveal(actor=Actor.for_user(user), obj=application, field="tax_id", reason="curious")
    assert not Event.objects.filter(action="personal_data_revealed").exists()


def test_the_reveal_control_shows_only_to_holders_of_the_permission(application, senior, compliance_officer):
    template = Template('{% load reveal %}{% reveal_control application "tax_id" %}')
    request = RequestFactory().get("/admin/somewhere/")
    request.user = senior
    html = template.render(Context({"application": application, "request": request}))
    assert reveal_url("application", application.public_id, "tax_id") in html and "46-2811507" not in html
    request.user = compliance_officer
    assert template.render(Context({"application": application, "request": request})).strip() == ""


def test_an_officer_opens_a_document_inline_and_the_opening_is_recorded(client, application, compliance_officer):
    document = application.documents.get(kind="bank_letter")
    staff_login(client, compliance_officer)
    response = client.get(reverse("officer:document", args=[document.public_id]))
    assert response.status_code == 200 and response.content == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="{document.public_id}.pdf"'
    assert "no-store" in response["Cache-Control"] and response["X-Content-Type-Options"] == "nosniff"
    event = Event.objects.get(action="document_opened")
    assert event.actor_user == compliance_officer and event.subject_id == document.public_id
    assert event.visibility == "internal" and event.application == application


def test_support_cannot_open_documents(client, application, support):
    document = application.documents.get(kind="bank_letter")
    staff_login(client, support)
    response = client.get(reverse("officer:document", args=[document.public_id]))
    assert response.status_code == 403 and response.content != PDF
    assert not Event.objects.filter(action="document_opened").exists()


def test_people_who_are_not_staff_are_sent_to_sign_in(client, application):
    client.force_login(application.applicant)  # a merchant, not staff
    document = application.documents.get(kind="bank_letter")
    assert client.get(reverse("officer:document", args=[document.public_id])).status_code == 302
    assert client.get(reveal_url("application", application.public_id, "tax_id")).status_code == 302


def test_the_review_page_offers_reveal_beside_masked_values_to_senior_officers_only(client, application, senior):
    from onboarding.states import AppState
    from tests.factories import officer

    type(application).objects.filter(pk=application.pk).update(state=AppState.IN_REVIEW)
    page = f"/admin/onboarding/application/{application.pk}/change/"
    staff_login(client, senior)
    html = client.get(page).content.decode()
    party = application.parties.first()
    assert reveal_url("application", application.public_id, "tax_id") in html
    assert reveal_url("party", party.public_id, "id_number") in html
    staff_login(client, officer())
    assert "reveal-control" not in client.get(page).content.decode()
