"""Emails to the merchant are owed work: recorded with the change they tell of, sent by a worker in the
merchant's language, with nothing personal beyond masked values and nothing that tips anyone off."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone

from onboarding.accounts import user_language_save
from onboarding.models import InfoRequest, OwedWork
from onboarding.notifications import merchant_email_owe
from onboarding.services.actors import Actor
from onboarding.services.applications import application_decline, application_request_info, application_submit
from onboarding.services.drafts import application_create_draft
from onboarding.services.partners import partner_create
from onboarding.states import AppState
from onboarding.tasks import send_merchant_email
from tests.factories import application_in_state, draft_application, officer, valid_draft

pytestmark = pytest.mark.django_db


def owed_emails(application) -> dict[str, str]:
    return dict(
        OwedWork.objects.filter(subject_id=application.public_id, kind__startswith="email_").values_list(
            "kind", "status"
        )
    )


def deliver(application, email):
    return send_merchant_email(application.public_id, email)  # what the worker runs


def test_submitting_owes_an_email_that_the_worker_sends_once(settings):
    application = draft_application()
    application_submit(application=application, actor=Actor.for_user(application.applicant))
    assert owed_emails(application) == {"email_submitted": "pending"}
    assert deliver(application, "submitted") is True
    message = mail.outbox[-1]
    assert message.to == [application.applicant.email]
    assert "Pearl River Noodles" in message.subject
    assert f"{settings.PORTAL_BASE_URL}/applications/{application.public_id}/" in message.body
    html = message.alternatives[0][0]
    assert 'lang="en"' in html and application.public_id in html
    assert owed_emails(application) == {"email_submitted": "done"}
    for secret in ("462811507", "212543321", "482910337765", "1980-05-17"):
        assert secret not in message.body and secret not in html


def test_an_email_is_owed_even_when_the_broker_is_down():
    application = draft_application()
    with mock.patch("portal.celery.app.send_task", side_effect=ConnectionError("broker down")):
        application_submit(application=application, actor=Actor.for_user(application.applicant))
    assert owed_emails(application) == {"email_submitted": "pending"}  # the sweeper publishes it later


def test_an_information_requests_due_date_counts_from_when_its_email_was_sent(settings):
    application = application_in_state(AppState.IN_REVIEW, has_been_in_review=True)
    application_request_info(application=application, actor=Actor.for_user(officer()), message="Send a menu.")
    later = timezone.now() + timedelta(days=3)
    with mock.patch("django.utils.timezone.now", return_value=later):
        deliver(application, "info_requested")
    request = InfoRequest.objects.get(application=application)
    assert request.email_sent_at == later
    assert request.due_at == later + timedelta(days=settings.INFO_REQUEST_EXPIRY_DAYS)
    assert "Send a menu." in mail.outbox[-1].body


def test_a_decline_email_reads_like_any_other_decline():
    application = application_in_state(AppState.IN_REVIEW, has_been_in_review=True)
    application_decline(application=application, actor=Actor.for_user(officer()), reason_code="sanctions_match")
    deliver(application, "declined")
    text = (mail.outbox[-1].subject + mail.outbox[-1].body + mail.outbox[-1].alternatives[0][0]).lower()
    assert "unable to approve" in text
    assert "sanction" not in text and "match" not in text


def test_a_partners_application_owes_the_merchant_no_email():
    partner = partner_create(actor=Actor.system("t"), name="Acme ISO", kind="iso")
    application = application_create_draft(actor=Actor.for_partner(partner), channel="api", **valid_draft())
    assert application.applicant_id is None
    merchant_email_owe(application=application, email="submitted")
    assert owed_emails(application) == {}


def test_the_email_is_in_the_merchants_language():
    application = draft_application()
    user_language_save(user=application.applicant, language="zh-hans")
    application_submit(application=application, actor=Actor.for_user(application.applicant))
    deliver(application, "submitted")
    assert 'lang="zh-hans"' in mail.outbox[-1].alternatives[0][0]
