"""Every decision on the review page goes through its service and writes that service's event; a
decision on a stale page is refused with a message; the second approval is never offered to, and is
refused for, the officer who gave the first."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from onboarding.admin.review import page_version
from onboarding.models import Application, Document, Event, InfoRequest, OwedWork
from onboarding.notifications import merchant_email_send
from onboarding.roles import COMPLIANCE_OFFICER, SENIOR_COMPLIANCE_OFFICER
from onboarding.services.actors import Actor
from onboarding.services.documents import document_decide
from onboarding.states import AppState
from sanctions.models import SanctionsHit
from tests.factories import application_in_state, officer
from tests.onboarding.admin.helpers import MORENO, decide, page_url, screened_in_review, with_parties
from tests.staff import staff_login

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_review(approvable):
    return approvable(application_in_state(AppState.IN_REVIEW, has_been_in_review=True))


@pytest.fixture
def reviewer(client):
    user = officer(COMPLIANCE_OFFICER)
    staff_login(client, user)
    return user


def in_two_weeks() -> str:
    return (timezone.localdate() + timedelta(days=14)).isoformat()


def events(application, action):
    return Event.objects.filter(application=application, action=action)


def state_of(application):
    return Application.objects.get(pk=application.pk).state


def test_approve_writes_the_approval_event(client, reviewer, in_review):
    response = decide(client, in_review, "approve", reason="All evidence fresh.")
    assert "Approved." in response.content.decode()
    assert state_of(in_review) == AppState.APPROVED
    assert events(in_review, "approved").get().actor_user == reviewer
    assert events(in_review, "officer_note").get().details == {"note": "All evidence fresh."}


def test_the_evidence_guard_refusal_reads_in_plain_words(client, reviewer):
    application = application_in_state(AppState.IN_REVIEW, has_been_in_review=True)  # no check has run
    page = decide(client, application, "approve", reason="Looks fine").content.decode()
    assert "The approval was not recorded: the checks do not support it yet." in page
    assert "has not run" in page and "Re-run the checks" in page
    assert state_of(application) == AppState.IN_REVIEW and not events(application, "approved").exists()


def test_decline_writes_the_decline_and_its_internal_reason(client, reviewer, in_review):
    decide(client, in_review, "decline", reason_code="fraud_suspected", reason="Forged bank letter.")
    assert state_of(in_review) == AppState.DECLINED
    assert events(in_review, "declined").get().reason_code == "declined"  # the merchant's neutral text
    note = events(in_review, "decline_reason").get()
    assert note.visibility == Event.Visibility.INTERNAL and note.details["reason_code"] == "fraud_suspected"


def test_request_information_with_items_and_a_due_date(client, reviewer, in_review):
    decide(client, in_review, "request_info", reason="Please confirm the tax id.", due_date=in_two_weeks(),
           item_0_field="business.tax_id", item_0_fix="Enter the EIN from the IRS letter.",
           item_1_document="ein_letter", item_1_fix="Upload the CP 575 letter.")  # fmt: skip
    assert state_of(in_review) == AppState.INFO_REQUESTED
    assert events(in_review, "info_requested").exists()
    request = InfoRequest.objects.get(application=in_review)
    assert [item["path"] for item in request.items] == ["business.tax_id", "documents.ein_letter"]
    assert request.due_days == 14


def test_a_ready_made_request_fills_the_question_and_items(client, reviewer, in_review):
    decide(client, in_review, "request_info", ready_made="bank_proof")
    request = InfoRequest.objects.get(application=in_review)
    assert "bank" in request.message and request.items[0]["path"] == "documents.bank_account_proof"


def test_a_bad_item_is_refused_with_its_reason(client, reviewer, in_review):
    page = decide(client, in_review, "request_info", reason="?", item_0_field="business.nope", item_0_fix="x")
    assert "business has no field nope" in page.content.decode()
    assert state_of(in_review) == AppState.IN_REVIEW


def test_rerun_checks_writes_its_event(client, reviewer, in_review):
    decide(client, in_review, "rerun_checks", reason="The merchant called with a correction.")
    assert events(in_review, "checks_rerun").exists()


def test_document_decisions_write_their_events(client, reviewer, in_review):
    first, second = in_review.documents.all()[:2]
    decide(client, in_review, "document_accept", target=first.public_id, reason="Readable and current.")
    assert Document.objects.get(pk=first.pk).status == "accepted"
    assert events(in_review, "document_decided").filter(subject_id=first.public_id, to_state="accepted").exists()
    # Asked in review: inside an information request, so the merchant can upload again.
    decide(client, in_review, "document_revision", target=second.public_id, reason="The scan is cut off.")
    assert Document.objects.get(pk=second.pk).status == "revision_requested"
    assert state_of(in_review) == AppState.INFO_REQUESTED
    request = InfoRequest.objects.get(application=in_review)
    assert request.message == "The scan is cut off." and request.items[0]["kind"] == "document"


def test_a_document_rejected_while_information_is_requested_stays_in_that_request(client, reviewer, in_review):
    decide(client, in_review, "request_info", reason="Please send a clearer bank letter.")
    document = in_review.documents.first()
    decide(client, in_review, "document_reject", target=document.public_id, reason="Not a bank letter.")
    assert Document.objects.get(pk=document.pk).status == "rejected"
    assert events(in_review, "document_decided").filter(to_state="rejected").exists()
    assert InfoRequest.objects.filter(application=in_review).count() == 1


def emails_owed(application) -> list[str]:
    owed = OwedWork.objects.filter(subject_id=application.public_id, kind__startswith="email_")
    return sorted(owed.values_list("kind", flat=True))


def test_a_document_rejected_in_review_sends_the_merchant_one_email_that_names_it(client, reviewer, in_review):
    document = in_review.documents.first()
    decide(client, in_review, "document_reject", target=document.public_id, reason="Not a bank letter.")
    assert state_of(in_review) == AppState.INFO_REQUESTED
    assert emails_owed(in_review) == ["email_info_requested"]
    mail.outbox.clear()
    assert merchant_email_send(application=in_review, email="info_requested") is True
    (message,) = mail.outbox
    assert f"- {document.get_kind_display()}: Not a bank letter." in message.body
    assert document.get_kind_display() in message.alternatives[0][0]


def test_a_document_rejected_within_an_open_request_sends_one_email_about_it(client, reviewer, in_review):
    decide(client, in_review, "request_info", reason="Please send a clearer bank letter.")
    OwedWork.objects.filter(subject_id=in_review.public_id).update(status=OwedWork.Status.DONE)
    document = in_review.documents.first()
    decide(client, in_review, "document_reject", target=document.public_id, reason="Not a bank letter.")
    pending = OwedWork.objects.filter(subject_id=in_review.public_id, status=OwedWork.Status.PENDING)
    assert list(pending.values_list("kind", flat=True)) == ["email_documents_attention"]


def test_returning_to_review_instead_of_the_second_approval_writes_its_event(client, approvable):
    application = approvable(application_in_state(AppState.AWAITING_SECOND_APPROVAL, has_been_in_review=True,
                                                  first_approver=officer(SENIOR_COMPLIANCE_OFFICER)))  # fmt: skip
    staff_login(client, officer(SENIOR_COMPLIANCE_OFFICER))
    decide(client, application, "return_to_review", reason="The bank letter is for another account.")
    assert state_of(application) == AppState.IN_REVIEW
    assert events(application, "returned_to_review").exists()


def test_a_decision_on_a_stale_page_is_refused_with_a_message(client, reviewer, in_review):
    seen = page_version(in_review)
    document = in_review.documents.first()
    document_decide(document=document, actor=Actor.for_user(officer()), status="accepted", reason="ok")
    response = decide(client, in_review, "decline", version=seen, reason_code="other", reason="x")
    assert response.status_code == 200
    assert "this application changed since you opened the page" in response.content.decode()
    assert state_of(in_review) == AppState.IN_REVIEW and not events(in_review, "declined").exists()


def test_the_second_approval_is_not_offered_to_the_first_approver_and_is_refused_for_them(client, approvable):
    first, second = officer(SENIOR_COMPLIANCE_OFFICER), officer(SENIOR_COMPLIANCE_OFFICER)
    application = approvable(application_in_state(AppState.IN_REVIEW, has_been_in_review=True,
                                                  requires_second_approval=True))  # fmt: skip
    staff_login(client, first)
    decide(client, application, "approve", reason="First look fine.")
    assert state_of(application) == AppState.AWAITING_SECOND_APPROVAL
    page = client.get(page_url(application)).content.decode()
    assert "/decide/second_approve/" not in page
    queue = client.get("/admin/onboarding/secondapprovalqueue/").content.decode()
    assert application.public_id in queue and "your first approval" in queue
    refused = decide(client, application, "second_approve", reason="Me again.").content.decode()
    assert "different officer" in refused and state_of(application) == AppState.AWAITING_SECOND_APPROVAL
    staff_login(client, second)
    assert "/decide/second_approve/" in client.get(page_url(application)).content.decode()
    decide(client, application, "second_approve", reason="Second look fine.")
    assert state_of(application) == AppState.APPROVED
    assert events(application, "approved").filter(actor_user=second, to_state=AppState.APPROVED).exists()


def test_an_officer_without_the_senior_permission_is_not_offered_the_second_approval(client, reviewer, approvable):
    application = approvable(application_in_state(AppState.AWAITING_SECOND_APPROVAL, has_been_in_review=True,
                                                  first_approver=officer(SENIOR_COMPLIANCE_OFFICER)))  # fmt: skip
    assert "/decide/second_approve/" not in client.get(page_url(application)).content.decode()
    decide(client, application, "second_approve", reason="I may not.")
    assert state_of(application) == AppState.AWAITING_SECOND_APPROVAL


@pytest.fixture
def with_hit(fresh_list):
    application = with_parties({**MORENO, "ownership_percent": 100})
    screened_in_review(application)
    return application, SanctionsHit.objects.get(application=application, is_current=True, kind="name")


def test_clearing_a_hit_writes_the_hit_event_and_asks_for_a_second_approval(client, reviewer, with_hit):
    application, hit = with_hit
    decide(client, application, "hit_clear", target=hit.public_id, reason="Different person: born elsewhere.")
    hit.refresh_from_db()
    assert hit.status == SanctionsHit.Status.CLEARED
    assert Event.objects.filter(subject_id=hit.public_id, action="cleared", actor_user=reviewer).exists()
    assert Application.objects.get(pk=application.pk).requires_second_approval


def test_confirming_a_hit_writes_the_hit_event(client, reviewer, with_hit):
    application, hit = with_hit
    decide(client, application, "hit_confirm", target=hit.public_id, reason="Same person, same date of birth.")
    assert Event.objects.filter(subject_id=hit.public_id, action="confirmed").exists()
