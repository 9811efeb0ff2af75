"""The KYC checks, risk score and policy through a real broker and worker process, on PostgreSQL."""

import pytest

from onboarding.models import Application, CheckResult, Event, RiskScore, WalletRequest
from onboarding.services.actors import Actor
from onboarding.services.applications import (
    application_answer_info,
    application_request_info,
    application_submit,
)
from onboarding.services.documents import document_upload
from onboarding.states import AppState
from tests.factories import PDF, draft_application, officer
from tests.live import wait_for

pytestmark = [pytest.mark.live_worker, pytest.mark.django_db(transaction=True)]


def reviews(application) -> int:
    return Event.objects.filter(application=application, action="sent_to_review").count()


def test_the_worker_runs_the_kyc_checks_and_reruns_only_what_changed(live_worker):
    application = draft_application(documents=False)
    application_submit(application=application, actor=Actor.for_user(application.applicant))
    wait_for(lambda: Application.objects.get(pk=application.pk).state == AppState.IN_REVIEW, what="the decision")

    results = {r.check_name: r for r in CheckResult.objects.filter(application=application, is_current=True)}
    assert {n for n, r in results.items() if r.outcome != "pass"} == {"sanctions", "documents"}
    assert RiskScore.objects.get(application=application, is_current=True).band == "low"
    assert set(WalletRequest.objects.filter(application=application).values_list("eligibility", flat=True)) == {
        "eligible"
    }
    reasons = Event.objects.get(application=application, action="review_reasons").details["reasons"]
    assert reasons[:2] == ["documents: review", "sanctions: not_run"]

    # An officer asks for the documents, the merchant uploads them and answers: what changed is checked
    # again by itself (only the documents check runs), and the application comes back to the officer.
    reviewer = Actor.for_user(officer())
    application_request_info(application=application, actor=reviewer, message="Please upload your documents.")
    pdf, actor = PDF, Actor.for_user(application.applicant)
    document_upload(application=application, actor=actor, kind="articles_of_organization", content=pdf)
    document_upload(application=application, actor=actor, kind="voided_check", content=pdf)
    for party in application.parties.all():
        document_upload(application=application, actor=actor, kind="drivers_license", content=pdf, party=party)
    rows, scores = CheckResult.objects.filter(application=application).count(), RiskScore.objects.count()
    application_answer_info(application=application, actor=actor, answer="Uploaded.")
    wait_for(lambda: reviews(application) == 2, what="the re-run")
    assert CheckResult.objects.filter(application=application).count() == rows + 1
    assert CheckResult.objects.get(application=application, check_name="documents", is_current=True).outcome == "pass"
    assert RiskScore.objects.count() == scores  # same inputs, same rules: the score row is reused
    reasons = Event.objects.filter(application=application, action="review_reasons").last().details["reasons"]
    assert reasons == ["sanctions: not_run", "risk score 0 (low, rules v1)"]
