"""The requirements selector: every source of a requirement gives its field path, code, reason and fix;
nothing sanctions- or fraud-related ever appears."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from onboarding.kyc.registry import registered_checks
from onboarding.models import Application, CheckResult, Document, InfoRequest
from onboarding.requirements import EXCLUDED_CHECKS, REQUIREMENT_CHECKS, application_requirements
from onboarding.services.actors import Actor
from onboarding.services.documents import document_decide
from onboarding.services.drafts import application_create_draft
from onboarding.states import AppState
from tests.factories import UserFactory, application_in_state, draft_application, officer, valid_draft

pytestmark = pytest.mark.django_db


def requirements(application):
    application.refresh_from_db()
    return application_requirements(application)


def test_every_registered_check_is_decided_either_way():
    names = {check.name for check in registered_checks()}
    assert names == REQUIREMENT_CHECKS | EXCLUDED_CHECKS, "decide whether a new check may produce requirements"
    assert not REQUIREMENT_CHECKS & EXCLUDED_CHECKS


def test_a_complete_signed_draft_with_its_documents_needs_nothing():
    reqs = requirements(draft_application())
    assert reqs.overall.currently_due == [] and reqs.overall.errors == [] and reqs.overall.disabled_reason is None
    assert {(w.wallet, w.channel, w.status) for w in reqs.wallets} == {
        ("wechat_pay", "in_store", "eligible"),
        ("alipay", "online", "eligible"),
    }


@pytest.mark.parametrize(
    ("overrides", "due"),
    [
        ({"business": {"legal_name": ""}}, "business.legal_name"),
        ({"business": {"tax_id": ""}}, "business.tax_id"),
        ({"bank_account": {"holder_name": "Pearl River Noodle Bar LLC"}}, "bank_account.account_number"),
        ({"stores": []}, "stores"),
        ({"wallets": []}, "wallets"),
        ({"parties": []}, "parties"),
    ],
)
def test_missing_fields_are_currently_due_by_their_path(overrides, due):
    user = UserFactory()
    data = valid_draft(**overrides)
    if "bank_account" in overrides:
        data["bank_account"] = overrides["bank_account"]
    application = application_create_draft(actor=Actor.for_user(user), **data)
    reqs = requirements(application)
    assert due in reqs.overall.currently_due
    assert "agreement" in reqs.overall.currently_due and reqs.overall.eventually_due == reqs.overall.currently_due


def test_missing_documents_are_due_one_by_one():
    application = draft_application(documents=False)
    due = requirements(application).overall.currently_due
    assert {"documents.company_registration", "documents.bank_account_proof", "parties[0].identity_document",
            "parties[1].identity_document"} <= set(due)  # fmt: skip


def test_a_rejected_document_is_an_error_with_the_officers_reason_and_due_again():
    application = application_in_state(AppState.INFO_REQUESTED, has_been_in_review=True)
    letter = Document.objects.get(application=application, kind="bank_letter")
    document_decide(document=letter, actor=Actor.for_user(officer()), status="rejected", reason="The page is cut off.")
    reqs = requirements(application).overall
    error = next(e for e in reqs.errors if e.code == "document_rejected")
    assert error.field == "documents.bank_account_proof" and error.reason == "The page is cut off."
    assert "documents.bank_account_proof" in reqs.currently_due


def test_an_open_information_request_is_due_and_past_due_after_its_date():
    application = application_in_state(AppState.INFO_REQUESTED, has_been_in_review=True)
    request = InfoRequest.objects.create(application=application, message="Send a photo of the storefront.",
                                         requested_by=officer(), due_at=timezone.now() + timedelta(days=3))  # fmt: skip
    reqs = requirements(application).overall
    assert "information_request" in reqs.currently_due and reqs.past_due == []
    assert any(e.reason == "Send a photo of the storefront." for e in reqs.errors)
    InfoRequest.objects.filter(pk=request.pk).update(due_at=timezone.now() - timedelta(minutes=1))
    assert requirements(application).overall.past_due == ["information_request"]


CHECK_FINDINGS = [
    ("tax_id", "fail", {"problem": "This is not a valid EIN."}, "tax_id_invalid", "business.tax_id"),
    ("tax_id", "review", {"problem": "not the owner's"}, "tax_id_not_owners", "business.tax_id"),
    ("owner_identifiers", "fail", {"problems": [{"party": "PARTY1"}]}, "id_number_invalid", "parties[1].id_number"),
    ("routing_number", "fail", {"problems": ["bad"]}, "bank_account_invalid", "bank_account.routing_number"),
    ("ownership", "fail", {"problems": {"parties[0].title": ["missing"]}}, "ownership_incomplete",
     "parties[0].title"),
    ("addresses", "review", {"problems": [{"where": "business", "field": "address_postal_code",
                                           "code": "zip_not_in_state"}]}, "address_zip_not_in_state",
     "business.address_postal_code"),
    ("addresses", "review", {"problems": [{"where": "store STORE0", "field": "address_line1", "code": "po_box"}]},
     "address_po_box", "stores[0].address_line1"),
]  # fmt: skip


@pytest.mark.parametrize(("check", "outcome", "details", "code", "path"), CHECK_FINDINGS)
def test_what_the_checks_found_is_an_error_once_the_merchant_can_fix_it(check, outcome, details, code, path):
    application = application_in_state(AppState.INFO_REQUESTED, has_been_in_review=True)
    text = json.dumps(details).replace("PARTY1", application.parties.all()[1].public_id)
    text = text.replace("STORE0", application.stores.get().public_id)
    CheckResult.objects.create(application=application, check_name=check, check_version="1", outcome=outcome,
                               details=json.loads(text), fingerprint="x")  # fmt: skip
    errors = {(e.code, e.field) for e in requirements(application).overall.errors}
    assert (code, path) in errors
    Application.objects.filter(pk=application.pk).update(state=AppState.IN_REVIEW)
    assert requirements(application).overall.errors == []  # under review, the officer raises it


def test_under_review_the_application_is_pending_and_nothing_is_due():
    application = application_in_state(AppState.IN_REVIEW, has_been_in_review=True)
    reqs = requirements(application).overall
    assert reqs.pending_verification[0] == "application" and reqs.currently_due == []


@pytest.mark.parametrize("state", [AppState.DECLINED, AppState.WITHDRAWN, AppState.EXPIRED])
def test_an_ended_application_says_why_and_needs_nothing(state):
    reqs = requirements(application_in_state(state)).overall
    assert reqs.disabled_reason == state and reqs.is_empty and reqs.pending_verification == []


def test_a_wallet_the_category_cannot_offer_says_so_on_that_wallet_only():
    application = draft_application(business={"mcc": "7995"})  # betting: WeChat Pay forbids it
    reqs = requirements(application)
    wechat = next(w for w in reqs.wallets if w.wallet == "wechat_pay")
    assert wechat.status == "ineligible" and wechat.errors[0].code == "wallet_unavailable"
    assert wechat.errors[0].field == "wallets[0]" and wechat.errors[0].reason


def test_an_in_store_wallet_needs_the_store_and_its_terminals():
    application = draft_application(stores=[])
    reqs = requirements(application)
    in_store = next(w for w in reqs.wallets if w.channel == "in_store")
    online = next(w for w in reqs.wallets if w.channel == "online")
    assert "stores" in in_store.currently_due and "stores" not in online.currently_due


def test_nothing_sanctions_or_fraud_related_ever_appears():
    application = application_in_state(AppState.INFO_REQUESTED, has_been_in_review=True)
    for name, outcome, details in [
        ("sanctions", "fail", {"hits": [{"hit": "hit_SECRET", "matched": "MORENO, Daniel"}], "block_reasons": ["x"]}),
        ("duplicates", "review", {"matches": [{"kind": "tax_id", "other": "app_OTHER"}]}),
        ("velocity", "review", {"problem": "9 submissions from this IP address"}),
        ("name_consistency", "review", {"problem": "holder differs"}),
    ]:
        CheckResult.objects.create(application=application, check_name=name, check_version="1", outcome=outcome,
                                   details=details, fingerprint="x")  # fmt: skip
    for state in (AppState.INFO_REQUESTED, AppState.IN_REVIEW, AppState.SCREENING, AppState.APPROVED):
        Application.objects.filter(pk=application.pk).update(state=state)
        text = json.dumps(requirements(application).as_dict()).lower()
        for word in ("sanction", "hit_secret", "moreno", "duplicate", "app_other", "velocity", "ip address",
                     "holder", "risk", "ofac"):  # fmt: skip
            assert word not in text, (state, word)
