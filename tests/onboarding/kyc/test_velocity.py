"""Velocity: many web submissions from one IP, or more API submissions than the partner's threshold."""

import pytest

from onboarding.kyc.pipeline import run_checks
from onboarding.models import Application, Outcome
from onboarding.services.actors import Actor
from onboarding.services.agreements import application_sign_agreement
from onboarding.services.applications import application_submit
from onboarding.services.drafts import application_create_draft
from onboarding.services.partners import partner_create
from tests.factories import UserFactory, draft_application, upload_documents, valid_draft

pytestmark = pytest.mark.django_db


def submit_from(ip: str) -> Application:
    application = draft_application()
    application_submit(application=application, actor=Actor.for_user(application.applicant), ip_address=ip)
    return application


def test_web_submissions_from_one_ip_above_the_limit_go_to_review(settings):
    settings.VELOCITY_WEB_MAX_PER_IP = 3
    first = [submit_from("198.51.100.20") for _ in range(3)]
    fourth = submit_from("198.51.100.20")
    other_ip = submit_from("203.0.113.9")
    assert run_checks(first[0])["velocity"].outcome == Outcome.PASS
    result = run_checks(fourth)["velocity"]
    assert result.outcome == Outcome.REVIEW and "4 submissions from this IP address" in result.details["problem"]
    assert run_checks(other_ip)["velocity"].outcome == Outcome.PASS


def test_api_submissions_above_the_partners_hourly_threshold_go_to_review():
    partner = partner_create(actor=Actor.system("t"), name="Busy ISO", kind="iso")
    partner.max_submissions_per_hour = 2
    partner.save()
    actor = Actor.for_partner(partner)
    submitted = []
    for _ in range(3):
        application = application_create_draft(actor=actor, channel="api", **valid_draft())
        upload_documents(application)
        # The merchant signs for themselves (they took the application up through an onboarding link).
        merchant = UserFactory()
        Application.objects.filter(pk=application.pk).update(applicant=merchant)
        application.applicant = merchant
        application_sign_agreement(
            application=application, actor=Actor.for_user(merchant), signer_name="Wen Zhao", signer_title="CEO"
        )
        submitted.append(application_submit(application=application, actor=actor))
    assert run_checks(submitted[1])["velocity"].outcome == Outcome.PASS
    result = run_checks(submitted[2])["velocity"]
    assert result.outcome == Outcome.REVIEW and "this partner" in result.details["problem"]
