"""Work recorded with the state: published after commit, re-published by the sweeper when overdue."""

from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone

from onboarding import work
from onboarding.models import Application
from onboarding.services.actors import Actor
from onboarding.services.applications import application_submit
from onboarding.states import AppState
from tests.factories import application_in_state, draft_application

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent():
    with mock.patch("portal.celery.app.send_task") as send_task:
        yield send_task


def test_submit_publishes_after_commit(sent, django_capture_on_commit_callbacks):
    application = draft_application()
    with django_capture_on_commit_callbacks(execute=True):
        application_submit(application=application, actor=Actor.for_user(application.applicant))
        assert not sent.called  # nothing leaves before the commit
    sent.assert_called_once_with("onboarding.tasks.process_application", args=[application.public_id])


def test_a_failed_publish_is_logged_and_the_work_stays_owed(sent, caplog, django_capture_on_commit_callbacks):
    sent.side_effect = ConnectionError("broker down")
    application = draft_application()
    with django_capture_on_commit_callbacks(execute=True):
        application_submit(application=application, actor=Actor.for_user(application.applicant))
    assert "publish of onboarding.tasks.process_application" in caplog.text
    application.refresh_from_db()
    assert application.state == AppState.SUBMITTED and application.next_attempt_at is not None


def test_the_sweeper_publishes_overdue_work_with_growing_backoff(sent, settings):
    settings.PENDING_WORK_GRACE_SECONDS = 10
    application = application_in_state(AppState.SUBMITTED, next_attempt_at=timezone.now() - timedelta(seconds=1))
    now = timezone.now()
    assert work.sweep_pending_work(now=now) == 1
    sent.assert_called_once_with("onboarding.tasks.process_application", args=[application.public_id])
    application.refresh_from_db()
    assert application.work_attempts == 1
    assert application.next_attempt_at == now + timedelta(seconds=10)
    assert work.sweep_pending_work(now=now) == 0  # not due again yet
    later = now + timedelta(seconds=11)
    assert work.sweep_pending_work(now=later) == 1
    application.refresh_from_db()
    assert application.next_attempt_at == later + timedelta(seconds=20)


@pytest.mark.parametrize("state", [AppState.DRAFT, AppState.IN_REVIEW, AppState.APPROVED, AppState.DECLINED])
def test_states_that_owe_nothing_are_not_swept(sent, state):
    application_in_state(state, next_attempt_at=timezone.now() - timedelta(minutes=5))
    assert work.sweep_pending_work() == 0
    assert not sent.called


def test_leaving_a_pending_state_clears_the_due_time(sent):
    from onboarding.kyc.pipeline import application_advance

    application = application_in_state(AppState.SUBMITTED, next_attempt_at=timezone.now())
    application_advance(public_id=application.public_id)
    application.refresh_from_db()
    assert application.state == AppState.IN_REVIEW and application.next_attempt_at is None


def test_backoff_is_capped(settings):
    settings.PENDING_WORK_GRACE_SECONDS, settings.PENDING_WORK_MAX_BACKOFF_SECONDS = 60, 3600
    assert [work.backoff_seconds(n) for n in (0, 1, 2, 10)] == [60, 120, 240, 3600]


def test_every_pending_state_has_its_task_except_boarding_until_the_acquirer_lands():
    registered = work.registered_states()
    assert registered[AppState.SUBMITTED] == registered[AppState.SCREENING] == "onboarding.tasks.process_application"
    assert set(registered) <= AppState.PENDING_WORK
    assert Application.objects.count() == 0
