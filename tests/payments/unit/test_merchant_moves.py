"""A merchant move the acquirer must hear of records owed work in the move's transaction; the acquirer's
requirements read as our field paths."""

import pytest

from onboarding.models import Merchant, OwedWork
from onboarding.services.actors import Actor
from onboarding.services.merchants import merchant_activate, merchant_close, merchant_create_for, merchant_suspend
from payments.merchant_sync import SYNC_WORK
from payments.requirements_source import our_path
from tests.factories import draft_application, officer

pytestmark = pytest.mark.django_db
SYSTEM = Actor.system("t")


def live_merchant(account: str | None = "acct_1") -> Merchant:
    merchant = merchant_create_for(application=draft_application(), actor=SYSTEM)
    Merchant.objects.filter(pk=merchant.pk).update(acquirer_account_id=account)
    merchant.refresh_from_db()
    merchant_activate(merchant=merchant, actor=SYSTEM)
    merchant.refresh_from_db()
    return merchant


def owed(merchant: Merchant) -> list[OwedWork]:
    return list(OwedWork.objects.filter(subject_id=merchant.public_id, kind=SYNC_WORK))


def test_going_live_owes_the_acquirer_nothing_boarding_switched_the_wallets_on():
    assert owed(live_merchant()) == []


def test_a_suspension_owes_the_acquirer_the_news(django_capture_on_commit_callbacks):
    merchant = live_merchant()
    with django_capture_on_commit_callbacks():
        merchant_suspend(merchant=merchant, actor=Actor.for_user(officer()), reason="Re-screen hit under review.")
    [work] = owed(merchant)
    assert work.status == OwedWork.Status.PENDING and work.payload == {"state": "suspended"}


def test_a_suspension_and_a_closure_share_one_owed_row_whose_worker_reads_the_latest_state():
    merchant = live_merchant()
    merchant_suspend(merchant=merchant, actor=Actor.for_user(officer()), reason="Hit.")
    merchant.refresh_from_db()
    merchant_close(merchant=merchant, actor=Actor.for_user(officer()), reason="Confirmed match.")
    [work] = owed(merchant)
    assert work.payload == {"state": "closed"}


def test_a_merchant_the_acquirer_never_saw_owes_it_nothing():
    merchant = live_merchant(account=None)
    merchant_suspend(merchant=merchant, actor=Actor.for_user(officer()), reason="Hit.")
    assert owed(merchant) == []


@pytest.mark.parametrize(
    ("requirement", "ours"),
    [
        ("company.tax_id", "business.tax_id"),
        ("company.address.line1", "business.address"),
        ("business_profile.url", "business.website"),
        ("external_account", "bank_account"),
        ("tos_acceptance.date", "agreement"),
        ("individual.dob.day", "parties[0]"),
        ("person_123.dob.day", "parties[1].date_of_birth"),
        ("person_123.verification.document", "parties[1].identity_document"),
        ("person_999.first_name", "acquirer"),
        ("settings.payments.statement_descriptor", "acquirer"),
    ],
)
def test_the_acquirers_requirements_read_as_our_field_paths(requirement, ours):
    assert our_path(requirement, {"person_123": "parties[1]"}) == ours
