"""An officer's review: information requests and answers, expiry, declines, returning to review."""

from datetime import timedelta

import pytest
from django.utils import timezone

from onboarding.errors import InvalidTransition, PermissionDenied, ValidationFailed
from onboarding.models import Application, InfoRequest, Merchant
from onboarding.selectors import shared_events
from onboarding.services.actors import Actor
from onboarding.services.applications import (
    application_answer_info,
    application_decline,
    application_reopen_for_sanctions_hit,
    application_request_info,
    application_return_to_review,
    application_submit,
)
from onboarding.states import AppState, MerchantState
from onboarding.tasks import expire_info_requests
from tests.factories import application_in_state, draft_application, officer

pytestmark = pytest.mark.django_db


def test_request_and_answer_information(approvable):
    application = approvable(application_in_state(AppState.IN_REVIEW, has_been_in_review=True))
    reviewer = Actor.for_user(officer())
    request = application_request_info(application=application, actor=reviewer,
                                       message="Please upload a bank letter.")  # fmt: skip
    assert Application.objects.get(pk=application.pk).state == AppState.INFO_REQUESTED
    assert request.due_at > timezone.now() + timedelta(days=29)
    with pytest.raises(ValidationFailed):
        application_answer_info(application=application, actor=Actor.for_user(application.applicant), answer=" ")
    application_answer_info(application=application, actor=Actor.for_user(application.applicant),
                            answer="Uploaded it just now.")  # fmt: skip
    assert Application.objects.get(pk=application.pk).state == AppState.IN_REVIEW
    assert InfoRequest.objects.get(pk=request.pk).answered_at is not None
    texts = [e.public_text for e in shared_events(application=application)]
    assert "We need more information to continue. Please see the request below." in texts
    assert "Thank you: we have received your answer and resumed the review." in texts


def test_only_officers_request_information():
    application = application_in_state(AppState.IN_REVIEW)
    with pytest.raises(PermissionDenied):
        application_request_info(application=application, actor=Actor.for_user(application.applicant), message="x")


def test_unanswered_requests_expire_only_when_overdue_and_close_an_abandoned_merchant():
    application = draft_application()
    application_submit(application=application, actor=Actor.for_user(application.applicant))
    Application.objects.filter(pk=application.pk).update(state=AppState.IN_REVIEW, has_been_in_review=True)
    application_request_info(application=application, actor=Actor.for_user(officer()), message="ID please")
    assert expire_info_requests() == 0
    InfoRequest.objects.filter(application=application).update(due_at=timezone.now() - timedelta(minutes=1))
    assert expire_info_requests() == 1
    application.refresh_from_db()
    assert application.state == AppState.EXPIRED
    assert Merchant.objects.get(pk=application.merchant_id).state == MerchantState.CLOSED


def test_decline_needs_a_known_reason_and_an_officer():
    application = application_in_state(AppState.IN_REVIEW)
    with pytest.raises(ValidationFailed):
        application_decline(application=application, actor=Actor.for_user(officer()), reason_code="because")
    with pytest.raises(PermissionDenied):
        application_decline(application=application, actor=Actor.for_user(application.applicant), reason_code="other")
    application_decline(application=application, actor=Actor.for_user(officer()), reason_code="risk_too_high")
    application.refresh_from_db()
    assert application.state == AppState.DECLINED and application.decline_reason_code == "risk_too_high"


def test_a_second_approver_can_send_it_back_to_review():
    first = officer("Senior compliance officer")
    application = application_in_state(AppState.AWAITING_SECOND_APPROVAL, first_approver=first)
    application_return_to_review(application=application, actor=Actor.for_user(officer("Senior compliance officer")),
                                 note="Needs proof of address")  # fmt: skip
    application.refresh_from_db()
    assert application.state == AppState.IN_REVIEW and application.first_approver is None


@pytest.mark.parametrize("state", [AppState.APPROVED, AppState.BOARDING, AppState.BOARDING_FAILED])
def test_a_new_sanctions_hit_reopens_an_approved_application_without_telling_the_merchant(state):
    application = application_in_state(state, has_been_in_review=True)
    application_reopen_for_sanctions_hit(application=application, actor=Actor.system("rescreen"),
                                         details={"hit": "hit_x", "uid": 123})  # fmt: skip
    application.refresh_from_db()
    assert application.state == AppState.IN_REVIEW
    shared = list(shared_events(application=application))
    assert shared[-1].public_text.startswith("Your application is being reviewed")
    assert all("123" not in str(event.details) for event in shared)


def test_reopening_for_a_hit_is_only_for_approved_or_boarding_applications():
    with pytest.raises(InvalidTransition):
        application_reopen_for_sanctions_hit(application=application_in_state(AppState.DECLINED),
                                             actor=Actor.system("rescreen"), details={})  # fmt: skip
