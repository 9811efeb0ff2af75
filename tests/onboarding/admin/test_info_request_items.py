"""An information request's items (field paths, document kinds, each with a fix) become what the merchant
must give now: the requirements selector's ``currently_due``, with the officer's fix as the suggestion,
and the merchant's status page lists them; the due date is the officer's, counted from the email."""

from datetime import timedelta

import pytest
from django.utils import timezone

from onboarding.errors import ValidationFailed
from onboarding.models import InfoRequest
from onboarding.notifications import merchant_email_send
from onboarding.requirements import application_requirements
from onboarding.services.actors import Actor
from onboarding.services.applications import application_request_info
from onboarding.states import AppState
from tests.factories import application_in_state, officer

pytestmark = pytest.mark.django_db

ITEMS = [
    {"field": "parties[1].date_of_birth", "fix": "Check it against the passport."},
    {"document": "bank_statement", "fix": "Upload last month's statement."},
]


@pytest.fixture
def asked():
    application = application_in_state(AppState.IN_REVIEW, has_been_in_review=True)
    due = timezone.localdate() + timedelta(days=10)
    application_request_info(application=application, actor=Actor.for_user(officer()), message="Two things, please.",
                             items=ITEMS, due_date=due)  # fmt: skip
    application.refresh_from_db()
    return application


def test_the_items_are_currently_due_with_the_officers_fix(asked):
    reqs = application_requirements(asked).overall
    assert {"parties[1].date_of_birth", "documents.bank_statement", "information_request"} <= set(reqs.currently_due)
    fixes = {e.field: e.suggested_fix for e in reqs.errors}
    assert fixes["parties[1].date_of_birth"] == "Check it against the passport."
    assert fixes["documents.bank_statement"] == "Upload last month's statement."


def test_overdue_items_are_past_due(asked):
    InfoRequest.objects.filter(application=asked).update(due_at=timezone.now() - timedelta(minutes=1))
    assert "documents.bank_statement" in application_requirements(asked).overall.past_due


def test_the_due_date_counts_from_the_email(asked):
    merchant_email_send(application=asked, email="info_requested")
    request = InfoRequest.objects.get(application=asked)
    assert request.due_days == 10 and request.due_at == request.email_sent_at + timedelta(days=10)


def test_the_merchant_sees_the_items_on_the_status_page(client, asked):
    client.force_login(asked.applicant)
    page = client.get(f"/applications/{asked.public_id}/").content.decode()
    assert "Person 2: Date of birth" in page and "Check it against the passport." in page
    assert "Bank statement" in page


@pytest.mark.parametrize(
    ("items", "key"),
    [
        ([{"field": "parties[7].first_name", "fix": "x"}], "items[0].field"),
        ([{"field": "business.tax_id"}], "items[0].fix"),
        ([{"document": "selfie", "fix": "x"}], "items[0].document"),
        ([{"field": "business.dba", "document": "other", "fix": "x"}], "items[0].field"),
    ],
)
def test_bad_items_are_refused_before_anything_is_written(items, key):
    application = application_in_state(AppState.IN_REVIEW, has_been_in_review=True)
    with pytest.raises(ValidationFailed) as refused:
        application_request_info(application=application, actor=Actor.for_user(officer()), message="?", items=items)
    assert key in refused.value.fields
    assert not InfoRequest.objects.filter(application=application).exists()
