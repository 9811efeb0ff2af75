"""A merchant's next application (another store, a changed bank account) is filed under the same
merchant, starting from what its current application says."""

import pytest

from onboarding.errors import InvalidTransition, PermissionDenied, ValidationFailed
from onboarding.models import Application, Merchant
from onboarding.services.actors import Actor
from onboarding.services.agreements import application_sign_agreement
from onboarding.services.applications import application_submit, application_withdraw
from onboarding.services.drafts import application_update_draft
from onboarding.services.merchant_applications import application_create_next, application_sections
from onboarding.services.partners import partner_create
from onboarding.states import AppState, MerchantState
from tests.factories import UserFactory, draft_application, upload_documents, valid_draft

pytestmark = pytest.mark.django_db


def boarded_merchant(**overrides) -> tuple[Merchant, Application]:
    first = draft_application(**overrides)
    application_submit(application=first, actor=Actor.for_user(first.applicant))
    Application.objects.filter(pk=first.pk).update(state=AppState.BOARDED)
    Merchant.objects.filter(pk=first.merchant_id).update(state=MerchantState.ACTIVE, current_application=first)
    first.refresh_from_db()
    return first.merchant, first


def sign(application) -> None:
    application_sign_agreement(application=application, actor=Actor.for_user(application.applicant),
                               signer_name="Wen Zhao", signer_title="Managing member")  # fmt: skip


def test_the_next_application_goes_to_the_same_merchant_and_starts_from_the_current_one():
    merchant, first = boarded_merchant()
    user = Actor.for_user(first.applicant)
    second = application_create_next(merchant=merchant, actor=user)
    assert second.merchant == merchant and second.state == AppState.DRAFT and second.pk != first.pk
    assert application_sections(second) == application_sections(first)  # business, owners, bank, stores, wallets
    assert second.tax_id == first.tax_id and second.bank_account.account_number == first.bank_account.account_number

    # Another store, then documents, the signature and the submission: still one merchant.
    mott = valid_draft()["stores"][0]
    flushing = dict(mott, name="Flushing", address_line1="136-20 Roosevelt Ave", address_city="Flushing",
                    address_postal_code="11354")  # fmt: skip
    stores = [mott, flushing]
    application_update_draft(application=second, actor=user, stores=stores)
    upload_documents(second)
    sign(second)
    application_submit(application=second, actor=user)
    assert Merchant.objects.count() == 1
    second.refresh_from_db()
    assert second.state == AppState.SUBMITTED and second.merchant == merchant and second.stores.count() == 2


def test_a_next_application_must_be_for_the_same_business():
    merchant, first = boarded_merchant()
    user = Actor.for_user(first.applicant)
    second = application_create_next(merchant=merchant, actor=user)
    application_update_draft(application=second, actor=user, business={"tax_id": "46-3456789"})
    upload_documents(second)
    sign(second)
    with pytest.raises(ValidationFailed) as refused:
        application_submit(application=second, actor=user)
    assert "business.tax_id" in refused.value.fields
    assert Application.objects.get(pk=second.pk).state == AppState.DRAFT


def test_one_open_application_per_merchant_at_a_time():
    merchant, first = boarded_merchant()
    user = Actor.for_user(first.applicant)
    second = application_create_next(merchant=merchant, actor=user)
    with pytest.raises(InvalidTransition, match=second.public_id):
        application_create_next(merchant=merchant, actor=user)
    application_withdraw(application=second, actor=user)
    assert application_create_next(merchant=merchant, actor=user).merchant == merchant


def test_only_the_merchants_users_and_partner_start_its_next_application():
    merchant, first = boarded_merchant()
    with pytest.raises(PermissionDenied):
        application_create_next(merchant=merchant, actor=Actor.for_user(UserFactory()))
    partner = partner_create(actor=Actor.system("t"), name="Acme ISO", kind="iso")
    with pytest.raises(PermissionDenied):
        application_create_next(merchant=merchant, actor=Actor.for_partner(partner))
    Merchant.objects.filter(pk=merchant.pk).update(partner=partner)
    merchant.refresh_from_db()
    second = application_create_next(merchant=merchant, actor=Actor.for_partner(partner))
    assert second.channel == "api" and second.partner == partner and second.merchant == merchant


def test_a_closed_merchant_has_no_next_application():
    merchant, first = boarded_merchant()
    Merchant.objects.filter(pk=merchant.pk).update(state=MerchantState.CLOSED)
    with pytest.raises(InvalidTransition, match="closed"):
        application_create_next(merchant=merchant, actor=Actor.for_user(first.applicant))
