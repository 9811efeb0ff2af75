"""Submission: completeness, the merchant it creates, the work it queues, and the neutral timeline."""

import pytest
from django.db import IntegrityError

from onboarding.errors import ValidationFailed
from onboarding.models import Application, Event, Merchant
from onboarding.selectors import shared_events
from onboarding.services.actors import Actor
from onboarding.services.applications import application_decline, application_submit
from onboarding.services.drafts import application_create_draft
from onboarding.services.merchants import merchant_activate
from onboarding.states import AppState, MerchantState
from onboarding.work import owed_work_pending
from tests.factories import VALID_DRAFT, UserFactory, application_in_state, draft_application, officer

pytestmark = pytest.mark.django_db


def test_an_incomplete_draft_is_refused_field_by_field():
    user = UserFactory()
    application = application_create_draft(actor=Actor.for_user(user), business={"legal_name": "Half Done LLC"})
    with pytest.raises(ValidationFailed) as caught:
        application_submit(application=application, actor=Actor.for_user(user))
    fields = caught.value.fields
    assert fields["business.tax_id"] == ["This field is required."]
    assert "parties" in fields and "bank_account.routing_number" in fields and "agreement" in fields
    assert Application.objects.get(pk=application.pk).state == AppState.DRAFT


def test_submission_creates_the_merchant_and_owes_work(django_capture_on_commit_callbacks):
    application = draft_application()
    with django_capture_on_commit_callbacks() as callbacks:
        application_submit(
            application=application, actor=Actor.for_user(application.applicant), ip_address="198.51.100.4"
        )
    application.refresh_from_db()
    assert application.state == AppState.SUBMITTED
    assert str(application.submitted_ip) == "198.51.100.4"
    assert owed_work_pending(subject=application, kind="kyc_pipeline") is not None
    merchant = application.merchant
    assert merchant.state == MerchantState.ONBOARDING and merchant.public_id.startswith("mer_")
    assert merchant.users.filter(pk=application.applicant.pk).exists()
    assert merchant.tax_id_index == application.tax_id_index
    assert sorted(merchant.wallets.values_list("wallet", flat=True)) == ["alipay", "wechat_pay"]
    assert len(callbacks) == 2  # the checks and the "received" email are published after commit


def test_a_sole_proprietor_with_an_ssn_can_submit():
    data = {
        "business": {
            "entity_type": "sole_proprietorship",
            "tax_id_type": "ssn",
            "tax_id": "212-54-3321",
            "legal_name": "Wen Zhao",
            "dba": "Zhao Tea",
        },
        "parties": [
            {
                "first_name": "Wen",
                "last_name": "Zhao",
                "date_of_birth": "1980-05-17",
                "ownership_percent": 100,
                "is_control_person": True,
                "title": "Owner",
                "email": "wen@zhaotea.example",
                "id_number_type": "ssn",
                "id_number": "212-54-3321",
                "address_line1": "1 Main St",
                "address_city": "New York",
                "address_state": "NY",
                "address_postal_code": "10013",
            }
        ],
    }
    application = draft_application(**data)
    application_submit(application=application, actor=Actor.for_user(application.applicant))
    assert Application.objects.get(pk=application.pk).state == AppState.SUBMITTED


def test_second_live_merchant_with_the_same_tax_id_is_refused_by_the_database():
    live = MerchantState.ACTIVE
    first = Merchant.objects.create(legal_name="A", tax_id_type="ein", tax_id_index="same", state=live)
    Merchant.objects.create(legal_name="B", tax_id_type="ein", tax_id_index="same")  # onboarding: allowed
    second = Merchant.objects.create(legal_name="C", tax_id_type="ein", tax_id_index="same")
    with pytest.raises(Exception, match="Another live merchant"):
        merchant_activate(merchant=second, actor=Actor.system("t"))
    assert Merchant.objects.get(pk=second.pk).state == MerchantState.ONBOARDING
    Merchant.objects.filter(pk=first.pk).update(state=MerchantState.CLOSED)
    merchant_activate(merchant=second, actor=Actor.system("t"))
    with pytest.raises(IntegrityError):
        Merchant.objects.create(legal_name="D", tax_id_type="ein", tax_id_index="same", state=MerchantState.SUSPENDED)


def test_a_sanctions_decline_reads_like_any_other_decline():
    application = application_in_state(AppState.IN_REVIEW, has_been_in_review=True)
    application_decline(
        application=application,
        actor=Actor.for_user(officer()),
        reason_code="sanctions_match",
        note="Confirmed SDN match on owner",
    )
    shared = list(shared_events(application=application))
    assert shared[-1].public_text == "We are unable to approve your application at this time."
    for event in shared:
        assert "sanction" not in str(event.details).lower() and "sanction" not in event.reason_code
    internal = Event.objects.filter(application=application, visibility="internal", action="decline_reason").get()
    assert internal.details == {"reason_code": "sanctions_match", "note": "Confirmed SDN match on owner"}


def test_the_acquirers_contact_details_are_needed_of_identified_people_only():
    """E-mail for each owner of 25% or more and the control person, a phone for a company's control person
    (the acquirer's representative); a small owner needs neither."""
    wen, rosa = (dict(party) for party in VALID_DRAFT["parties"])
    small = {**rosa, "first_name": "Li", "ownership_percent": 5, "email": "", "id_number": "318-60-9913"}
    application = draft_application(parties=[{**wen, "phone": ""}, {**rosa, "ownership_percent": 25, "email": ""},
                                             small])  # fmt: skip
    with pytest.raises(ValidationFailed) as caught:
        application_submit(application=application, actor=Actor.for_user(application.applicant))
    party_fields = {key for key in caught.value.fields if key.startswith("parties[")}
    assert party_fields == {"parties[0].phone", "parties[1].email"}


def test_a_sole_proprietors_phone_is_the_business_phone():
    wen = {**VALID_DRAFT["parties"][0], "phone": "", "ownership_percent": 100}
    application = draft_application(business={"entity_type": "sole_proprietorship", "legal_name": "Wen Zhao"},
                                    parties=[wen])  # fmt: skip
    application_submit(application=application, actor=Actor.for_user(application.applicant))
    assert Application.objects.get(pk=application.pk).state == AppState.SUBMITTED
